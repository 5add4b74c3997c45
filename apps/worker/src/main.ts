import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { exitIfShutdownHangs } from '@shelterlink/common';
import { AppConfig, ConfigError } from '@shelterlink/config';
import { WorkerModule } from './worker.module';

/** The worker: BullMQ processors only, no HTTP. Shutdown hooks close the workers so no job is left stalled. */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  exitIfShutdownHangs(app.get(AppConfig).env.SHUTDOWN_GRACE_MS);
  await app.init();
  logger.log('worker ready');
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError ? `${error.message}\n` : `Worker failed to start: ${String(error)}\n`,
  );
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
