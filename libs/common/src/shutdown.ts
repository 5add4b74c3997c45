import { Logger } from '@nestjs/common';

/**
 * A stop signal ends the process within `graceMs` whatever happens: Nest's shutdown hooks close the queues and
 * connections in that time (jobs here take well under a second, webhook calls at most WEBHOOK_TIMEOUT_MS), and if
 * they have not finished by then the process exits anyway, rather than hang. Seen hanging: a BullMQ worker closed
 * while its blocking Redis connection waits to reconnect waits for an 'end' event ioredis never sends. A job cut
 * short this way is not lost: its lock lapses and another worker runs it again (every handler is idempotent).
 */
export function exitIfShutdownHangs(graceMs: number): void {
  const logger = new Logger('Shutdown');
  const arm = () => {
    setTimeout(() => {
      logger.error({ graceMs }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, graceMs).unref();
  };
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
}
