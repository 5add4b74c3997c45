import { DataSource } from 'typeorm';

export async function seedDemo(_db: DataSource): Promise<string> {
  return Promise.resolve('demo data: not yet');
}
