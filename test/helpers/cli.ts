import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Running the real `firebreak` binary from tests, as an operator's shell would. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin/firebreak.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function execute(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeout?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: options.env, cwd: options.cwd ?? ROOT, timeout: options.timeout ?? 20_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The environment of a shell with nothing Firebreak-specific set, no colour, UTC. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TZ: 'UTC', ...extra };
  for (const name of ['FIREBREAK_URL', 'FIREBREAK_API_KEY', 'FIREBREAK_TIMEOUT', 'DATABASE_URL', 'FIREBREAK_CONFIG', 'PUBLIC_URL']) if (!(name in extra)) delete env[name];
  return env;
}

/** `npm test` has just built in `pretest`; a direct `vitest run` needs a fresh dist/. */
export async function ensureBuilt(): Promise<void> {
  if (process.env.npm_lifecycle_event === 'test' && existsSync(join(ROOT, 'dist/cli/main.js'))) return;
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const result = await execute(process.execPath, [tsc, '-p', 'tsconfig.json'], { timeout: 120_000 });
  // tsc still emits on type errors elsewhere in the tree; only a missing entry point is fatal here.
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error(`build failed:\n${result.stdout}${result.stderr}`);
}
