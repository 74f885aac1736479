import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../bin/firebreak.js');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** The first-start admin password, when this start created the admin. */
  password: string | null;
  exited: Promise<number | null>;
}

/** Starts `firebreak serve` from the built dist/ as a child process on a free port. */
export function startServerProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--database', databaseUrl], {
      env: { ...process.env, FIREBREAK_LOG: 'silent', FIREBREAK_ADMIN_EMAIL: 'admin@process.test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Firebreak (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, password: /^\s+password\s+(\S+)$/m.exec(out)?.[1] ?? null, exited });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      if (!/Firebreak http/.test(out)) reject(new Error(`server exited ${code}: ${out}`));
    });
  });
}

/** Signs in as the first admin and returns an admin API key. */
export async function adminKey(url: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@process.test', password }) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const key = await fetch(`${url}/api/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'test', scopes: ['admin'] }) });
  return ((await key.json()) as { token: string }).token;
}
