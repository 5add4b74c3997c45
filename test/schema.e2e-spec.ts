import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestEnv, startApi } from './support/app';

describe('the committed SDL (apps/api/schema.gql)', () => {
  it('matches the schema the code generates, so every API change shows in review', async () => {
    const generated = path.join(os.tmpdir(), `shelterlink-schema-${process.pid}.gql`);
    const env = await createTestEnv({ SCHEMA_FILE: generated });
    const api = await startApi(env);
    try {
      const committed = readFileSync(path.join(__dirname, '../apps/api/schema.gql'), 'utf8');
      expect(readFileSync(generated, 'utf8')).toEqual(committed);
    } finally {
      await api.close();
      await env.cleanup();
    }
  });
});
