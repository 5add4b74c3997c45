import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { dataSourceOptions } from './data-source-options';
import { databaseState } from './pg-errors';
import { DatabaseRoleError, privilegedConnection } from './privileges';

/** The API and the worker refuse to start on a connection with more rights than the application's role. */
@Injectable()
export class LeastPrivilegeCheck implements OnModuleInit {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    // a new connection after the database was lost: it is back (see databaseState)
    const pool = (this.db.driver as unknown as { master?: { on(event: 'connect', listener: () => void): void } })
      .master;
    pool?.on('connect', () => databaseState.back());
    const problem = await privilegedConnection(this.db);
    if (problem) {
      throw new DatabaseRoleError(
        `${problem}: DATABASE_URL must name the application's own role (\`migrate\`, run as the owner with ` +
          'DATABASE_OWNER_URL, creates it and grants it what it needs)',
      );
    }
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), autoLoadEntities: true }),
    }),
  ],
  providers: [LeastPrivilegeCheck],
})
export class DatabaseModule {}
