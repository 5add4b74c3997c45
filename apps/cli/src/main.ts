import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError } from '@shelterlink/config';
import { dataSourceOptions } from '@shelterlink/database';
import { seedDemo } from './demo-data';

/** Operator commands: `migrate` applies pending migrations; `seed-demo` loads the demo network (idempotent). */
async function main(command: string | undefined): Promise<void> {
  const config = new AppConfig();
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
