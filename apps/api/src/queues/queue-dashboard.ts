import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication, Logger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { AuthService } from '@shelterlink/accounts';
import { Role } from '@shelterlink/common';
import { QueueName } from '@shelterlink/queue';

export const QUEUE_DASHBOARD_PATH = '/queues';

/**
 * Bull Board for admins at /queues. A browser signs in with HTTP Basic (an admin's email and password, through
 * the same throttled login); tools may send an admin's Bearer token. Job data holds ids only, so the board
 * shows no survivor data.
 */
export function mountQueueDashboard(app: INestApplication): void {
  if (app.getHttpAdapter().getType() !== 'express') {
    new Logger('QueueDashboard').warn('the queue dashboard is served with the Express adapter only');
    return;
  }
  const auth = app.get(AuthService);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map(
      (name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)), { readOnlyMode: false }),
    ),
    serverAdapter,
  });
  app.use(QUEUE_DASHBOARD_PATH, adminOnly(auth), serverAdapter.getRouter());
}

function adminOnly(auth: AuthService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const refuse = () => {
      res.setHeader('WWW-Authenticate', 'Basic realm="ShelterLink queues", charset="UTF-8"');
      res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Admins only' } });
    };
    const header = req.headers.authorization ?? '';
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const check = async (): Promise<boolean> => {
      if (/^Bearer\s+/i.test(header)) {
        const actor = await auth.actorFromToken(header.replace(/^Bearer\s+/i, '').trim());
        return actor?.role === Role.ADMIN;
      }
      if (/^Basic\s+/i.test(header)) {
        const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
        const split = decoded.indexOf(':');
        if (split < 1) return false;
        const { user } = await auth.login(decoded.slice(0, split), decoded.slice(split + 1), address);
        return user.role === Role.ADMIN;
      }
      return false;
    };
    check().then(
      (ok) => (ok ? next() : refuse()),
      () => refuse(),
    );
  };
}
