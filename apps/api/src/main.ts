import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppConfig, ConfigError } from '@shelterlink/config';
import { AppModule } from './app.module';

export async function createApi(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  return app;
}

async function main(): Promise<void> {
  const config = new AppConfig();
  const app = await createApi();
  await app.listen(config.env.PORT, config.env.HOST);
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
