import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError } from '@shelterlink/config';
import { dataSourceOptions } from '@shelterlink/database';
import { seedDemo } from './demo-data';

/** Operator commands: `migrate` applies pending migrations; `seed-demo` loads the demo network (idempotent). */
async function main(command: string | undefined): Promise<void> {
  const config = new AppConfig();
  // the demo's logins and passwords are published in the README
  if (command === 'seed-demo' && config.isProduction) {
    throw new ConfigError('seed-demo refuses to run in production (NODE_ENV=production)');
  }
  const db = new DataSource(dataSourceOptions(config));
  await db.initialize();
  try {
    switch (command) {
      case 'migrate': {
        const applied = await db.runMigrations({ transaction: 'each' });
        process.stdout.write(`migrations applied: ${applied.length}\n`);
        break;
      }
      case 'seed-demo': {
        const summary = await seedDemo(db);
        process.stdout.write(`${summary}\n`);
        break;
      }
      case undefined:
      default:
        throw new ConfigError('usage: cli migrate | seed-demo');
    }
  } finally {
    await db.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `failed: ${(error as Error)?.message}\n`);
  process.exit(1);
});
