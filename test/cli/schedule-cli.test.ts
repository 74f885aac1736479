import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { adminKey, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/**
 * `firebreak schedule timeline | overrides | override-remove` and the refused delete, as an
 * operator runs them: the real binary against a real server process, at parity with the web UI.
 */
beforeAll(ensureBuilt, 120_000);

describe.each(DIALECTS)('schedule CLI against a server on %s', (dialect) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let token = '';
  const people = { ann: '', bob: '' };
  let scheduleId = '';

  const cli = (args: string[]) => execute(process.execPath, [BIN, ...args], { env: cleanEnv({ FIREBREAK_URL: server.url, FIREBREAK_API_KEY: token }) });
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    server = await startServerProcess(db.url);
    token = await adminKey(server.url, server.password!);
    people.ann = (await api<{ id: string }>('POST', '/api/v1/users', { email: 'ann@cli.test', name: 'Ann', role: 'responder' })).id;
    people.bob = (await api<{ id: string }>('POST', '/api/v1/users', { email: 'bob@cli.test', name: 'Bob', role: 'responder' })).id;
    scheduleId = (await api<{ id: string }>('POST', '/api/v1/schedules', {
      name: 'Office rota', timeZone: 'UTC',
      layers: [{ id: 'day', name: 'Office', rotation: { type: 'daily', handoffTime: '00:00', startDate: '2026-03-02', members: [people.ann, people.bob] }, restrictions: [{ type: 'daily', from: '09:00', to: '17:00' }] }],
    })).id;
  }, 60_000);

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await Promise.race([server?.exited, new Promise((r) => setTimeout(r, 5000))]);
    await db?.drop();
  });

  it('timeline prints who is on call when, by name, with the gaps', async () => {
    const run = await cli(['schedule', 'timeline', 'Office rota', '--from', '2026-03-02T00:00:00Z', '--days', '2']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => /^\d{4}-/.test(l)).map((l) => l.split(/ {2,}/));
    expect(lines).toEqual([
      ['2026-03-02T00:00Z', '2026-03-02T09:00Z', 'nobody', 'gap'],
      ['2026-03-02T09:00Z', '2026-03-02T17:00Z', 'Ann', 'layer Office'],
      ['2026-03-02T17:00Z', '2026-03-03T09:00Z', 'nobody', 'gap'],
      ['2026-03-03T09:00Z', '2026-03-03T17:00Z', 'Bob', 'layer Office'],
      ['2026-03-03T17:00Z', '2026-03-04T00:00Z', 'nobody', 'gap'],
    ]);
    const bad = await cli(['schedule', 'timeline', 'Office rota', '--days', '400']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/days/);
  });

  it('override, overrides and override-remove', async () => {
    const add = await cli(['schedule', 'override', 'Office rota', '--user', 'bob@cli.test', '--replaces', 'ann@cli.test', '--start', '2026-03-02T12:00:00Z', '--end', '2026-03-02T14:00:00Z']);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^Override ovr_\w+ added to Office rota\n {2}undo: firebreak schedule override-remove sch_\w+ ovr_\w+\n$/);
    const list = await cli(['schedule', 'overrides', 'Office rota']);
    expect(list.code, list.stderr).toBe(0);
    const row = list.stdout.split('\n').find((l) => l.startsWith('ovr_'))!;
    expect(row.split(/ {2,}/).slice(1)).toEqual(['Bob', 'Ann', '2026-03-02T12:00:00.000Z', '2026-03-02T14:00:00.000Z']);
    const id = row.split(/ +/)[0]!;
    expect(add.stdout).toContain(`Override ${id} added`);
    const timeline = await cli(['schedule', 'timeline', scheduleId, '--from', '2026-03-02T09:00:00Z', '--days', '1']);
    expect(timeline.stdout).toMatch(new RegExp(`2026-03-02T12:00Z +2026-03-02T14:00Z +Bob +override ${id}`));

    const removed = await cli(['schedule', 'override-remove', 'Office rota', id]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout.trim()).toBe(`Removed override ${id}`);
    expect((await cli(['schedule', 'overrides', 'Office rota'])).stdout.trim()).toBe('No overrides on Office rota.');
    const again = await cli(['schedule', 'override-remove', 'Office rota', id]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/override/);
  });

  it('delete is refused while a policy pages the schedule, naming the policy', async () => {
    await api('POST', '/api/v1/escalation-policies', { name: 'Office paging', levels: [{ delaySeconds: 0, targets: [{ type: 'schedule', id: scheduleId }] }] });
    const show = await cli(['schedule', 'show', 'Office rota']);
    expect(show.stdout).toContain('Paged by: escalation policy Office paging');
    const refused = await cli(['schedule', 'delete', 'Office rota']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('"Office paging"');
  });
});
