import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server-process.js';

/**
 * kill -9 at a random moment while incidents are being declared: every incident the server
 * answered 201 for is there after restart, and the file passes SQLite's integrity check.
 * SIGKILL tests a process crash, not power loss; the WAL fsync before every answer covers the
 * latter (store/sqlite/wal-sync.ts, and wal-sync.test.ts for its ordering).
 */
describe('crash safety on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no acknowledged write across three kill -9s', async () => {
    const dbFile = join(dir, 'crash.db');
    let server = await startServerProcess(`sqlite:${dbFile}`);
    const signIn = async (url: string, password: string) => {
      const res = await fetch(`${url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@process.test', password }) });
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    };
    const password = server.password!;
    const acked: string[] = [];
    for (let round = 0; round < 3; round++) {
      const session = await signIn(server.url, password);
      let stop = false;
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          const title = `r${round}-w${w}-${i}`;
          try {
            const res = await fetch(`${server.url}/api/v1/incidents`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
              body: JSON.stringify({ title, severity: 'SEV3' }),
            });
            if (res.status === 201) acked.push(title);
          } catch {
            return; // the server died under us: this write was never acknowledged
          }
        }
      });
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 500));
      server.child.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      await server.exited;
      server = await startServerProcess(`sqlite:${dbFile}`);
    }
    server.child.kill('SIGTERM');
    await server.exited;

    expect(acked.length).toBeGreaterThan(10);
    const db = new Database(dbFile, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const titles = new Set((db.prepare('select title from incidents').all() as { title: string }[]).map((r) => r.title));
      expect(acked.filter((t) => !titles.has(t))).toEqual([]);
      // Every incident has its declaration on the timeline: change and event committed together.
      const orphans = db.prepare("select count(*) as n from incidents i where not exists (select 1 from timeline_events e where e.incident_id = i.id and e.kind = 'declared')").get() as { n: number };
      expect(orphans.n).toBe(0);
    } finally {
      db.close();
    }
  }, 120_000);
});
