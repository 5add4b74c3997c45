import { EntityManager, QueryResult } from 'typeorm';

/**
 * The rows of any statement. TypeORM's `query()` returns `[rows, count]` for UPDATE and DELETE, so an
 * `UPDATE … RETURNING` must go through this.
 */
export async function queryRows<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = (await runner.query(sql, params, true)) as QueryResult<T>;
    return result.records;
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
