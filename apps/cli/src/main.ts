import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError } from '@shelterlink/config';
import { DatabaseRoleError, dataSourceOptions, grantApplicationRole, roleOf } from '@shelterlink/database';
import { seedDemo } from './demo-data';

/**
 * Operator commands, run as the database's owner (DATABASE_OWNER_URL): `migrate` applies pending migrations, then
 * makes the role DATABASE_URL names the application's, with only its rights (APPLICATION_PRIVILEGES); `seed-demo`
 * loads the demo network (idempotent).
 */
async function main(command: string | undefined): Promise<void> {
  const config = new AppConfig();
  // the demo's logins and passwords are published in the README
  if (command === 'seed-demo' && config.isProduction) {
    throw new ConfigError('seed-demo refuses to run in production (NODE_ENV=production)');
  }
  const owner = config.ownerDatabaseUrl;
  if (decodeURIComponent(new URL(owner).username) === roleOf(config.env.DATABASE_URL).role) {
    throw new DatabaseRoleError(
      'DATABASE_URL and DATABASE_OWNER_URL name the same role: the application needs a role of its own',
    );
  }
  const db = new DataSource(dataSourceOptions(config, [], owner));
  await db.initialize();
  try {
    switch (command) {
      case 'migrate': {
        const applied = await db.runMigrations({ transaction: 'each' });
        await db.transaction((tx) => grantApplicationRole(tx, config.env.DATABASE_URL));
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
  if (error instanceof ConfigError || error instanceof DatabaseRoleError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`failed: ${(error as Error)?.message}\n`);
  process.exit(1);
});
