import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { exitIfShutdownHangs } from '@shelterlink/common';
import { AppConfig, ConfigError } from '@shelterlink/config';
import { AppModule } from './app.module';
import { mountQueueDashboard } from './queues/queue-dashboard';

export async function createApi(config = new AppConfig()): Promise<INestApplication> {
  let app: INestApplication;
  // the client address (login and export limits, audit) comes from X-Forwarded-For only through a trusted proxy
  const proxies = config.trustedProxies;
  const trustProxy = proxies.length > 0 ? proxies : false;
  if (config.env.HTTP_ADAPTER === 'fastify') {
    app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter({ trustProxy }), {
      bufferLogs: true,
    });
  } else {
    const express = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
    express.set('trust proxy', trustProxy);
    express.disable('x-powered-by');
    app = express;
  }
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await mountQueueDashboard(app);
  return app;
}

async function main(): Promise<void> {
  const config = new AppConfig();
  const app = await createApi(config);
  exitIfShutdownHangs(config.env.SHUTDOWN_GRACE_MS);
  await app.listen(config.env.PORT, config.host);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // a start-up error holds no survivor data: configuration errors name the variable, never its value
    process.stderr.write(
      error instanceof ConfigError ? `${error.message}\n` : `API failed to start: ${String(error)}\n`,
    );
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  });
}
