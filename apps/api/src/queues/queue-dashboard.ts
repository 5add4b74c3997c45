import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { ControllerHandlerReturnType } from '@bull-board/api/typings/app';
import { ExpressAdapter } from '@bull-board/express';
import { FastifyAdapter } from '@bull-board/fastify';
import { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
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
export async function mountQueueDashboard(app: INestApplication): Promise<void> {
  const auth = app.get(AuthService);
  const queues = Object.values(QueueName).map(
    (name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)), { readOnlyMode: false }),
  );
  if (app.getHttpAdapter().getType() === 'fastify') {
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({ queues, serverAdapter });
    serverAdapter.setErrorHandler(quietErrors);
    // a plugin of its own, so the admin check guards the board's routes and nothing else
    await (app as NestFastifyApplication).register(async (scope: FastifyInstance) => {
      scope.addHook('onRequest', async (req, reply) => {
        if (!(await isAdmin(auth, req.headers.authorization, req.ip))) return refuse(reply);
      });
      await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
    });
    return;
  }
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues, serverAdapter });
  serverAdapter.setErrorHandler(quietErrors);
  app.use(QUEUE_DASHBOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    isAdmin(auth, req.headers.authorization, req.ip ?? req.socket.remoteAddress ?? 'unknown').then(
      (ok) => (ok ? next() : refuse(res)),
      () => refuse(res),
    );
  });
  app.use(QUEUE_DASHBOARD_PATH, serverAdapter.getRouter());
}

/**
 * The board's own error answers carry the error's message, and in development its stack (server paths): ours
 * carry the status and a fixed key only.
 */
function quietErrors(error: Error & { statusCode?: number }): ControllerHandlerReturnType {
  const client = error.statusCode === 400 || error.statusCode === 404;
  return client
    ? { status: error.statusCode as 400 | 404, body: { error: { key: 'ERRORS.BAD_REQUEST' } } }
    : { status: 500, body: { error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' } } };
}

/** An admin's Bearer token, or an admin's email and password over HTTP Basic (through the throttled login). */
async function isAdmin(auth: AuthService, header = '', address: string): Promise<boolean> {
  try {
    if (/^Bearer\s+/i.test(header)) {
      const actor = await auth.actorFromToken(header.replace(/^Bearer\s+/i, '').trim());
      return actor?.role === Role.ADMIN;
    }
    if (/^Basic\s+/i.test(header)) {
      const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
      const split = decoded.indexOf(':');
      if (split < 1) return false;
      // no sign-in to renew: the browser sends Basic credentials with every request
      const { user } = await auth.login(decoded.slice(0, split), decoded.slice(split + 1), address, false);
      return user.role === Role.ADMIN;
    }
  } catch {
    // a refused login (wrong password, throttled) is a refusal here
  }
  return false;
}

/** Express's response and Fastify's reply both answer this way. */
interface Answer {
  header(name: string, value: string): unknown;
  status(code: number): { send(body: unknown): unknown };
}

function refuse(res: Answer) {
  res.header('WWW-Authenticate', 'Basic realm="ShelterLink queues", charset="UTF-8"');
  return res.status(401).send({ error: { code: 'UNAUTHENTICATED', message: 'Admins only' } });
}
