import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import path from 'node:path';

/** Shared by the benchmarks: database URLs, migrating a clone, and free ports for the processes they start. */
export const dbUrl = (name: string) => `postgres://postgres@127.0.0.1:5432/${name}`;

/**
 * Applies any migration newer than the template to the clone (the CLI from dist/ runs only pending ones).
 * The child is tracked in `children` while it runs, so an interrupted benchmark can kill it.
 */
export async function migrate(
  database: string,
  where: { root: string; dist: string; children: Set<ChildProcess> },
): Promise<void> {
  const child = spawn(process.execPath, [path.join(where.dist, 'apps/cli/src/main.js'), 'migrate'], {
    cwd: where.root,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: dbUrl(database), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  where.children.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  where.children.delete(child);
  if (code !== 0) throw new Error(`migrate failed (${code}): ${stderr}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
