import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { adminKey, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** `firebreak action …` and `firebreak checklist …`: the real binary against a real server process. */
beforeAll(ensureBuilt, 120_000);

describe.each(DIALECTS)('action CLI against a server on %s', (dialect) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let token = '';

  const cli = (args: string[], input?: string) =>
    execute(process.execPath, [BIN, ...args], { env: cleanEnv({ FIREBREAK_URL: server.url, FIREBREAK_API_KEY: token }), ...(input === undefined ? {} : { input }) });
  const json = async <T = Record<string, unknown>>(args: string[]): Promise<T> => {
    const run = await cli([...args, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as T;
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    server = await startServerProcess(db.url);
    token = await adminKey(server.url, server.password!);
  }, 60_000);
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await Promise.race([server?.exited, new Promise((r) => setTimeout(r, 5000))]);
    await db?.drop();
  });

  it('add / list (names, not ids) / edit / done / wontdo; bad input exits 2 naming the field', async () => {
    const inc = await json<{ number: number }>(['incident', 'declare', 'Checkout errors', '--severity', 'SEV2']);
    const added = await cli(['action', 'add', String(inc.number), 'Add', 'a', 'circuit', 'breaker', '--owner', 'admin@process.test', '--due', '2w', '--priority', 'high', '--link', 'https://tracker.example/PAY-12']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(new RegExp(`^Added to incident #${inc.number}: Add a circuit breaker — \\S.* due \\d{4}-\\d{2}-\\d{2}, open {2}act_\\w+$`, 'm'));
    const id = /act_\w+/.exec(added.stdout)![0];
    const second = await json<{ id: string }>(['action', 'add', String(inc.number), 'Alert on queue depth', '--owner', 'admin@process.test', '--due', '3d']);

    const list = await cli(['action', 'list', '--incident', String(inc.number)]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^DUE +STATUS +PRIORITY +OWNER +INCIDENT +SERVICE +TITLE +ID$/m);
    expect(list.stdout).toMatch(new RegExp(`open +medium +\\S.* +#${inc.number} +— +Alert on queue depth`));
    // Soonest due first.
    expect(list.stdout.indexOf('Alert on queue depth')).toBeLessThan(list.stdout.indexOf('Add a circuit breaker'));
    expect(list.stdout).not.toContain('usr_');

    const past = await cli(['action', 'add', String(inc.number), 'Too late', '--owner', 'admin@process.test', '--due', '2020-01-01']);
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('dueAt');
    const scheme = await cli(['action', 'add', String(inc.number), 'Bad link', '--owner', 'admin@process.test', '--due', '3d', '--link', 'javascript:alert(1)']);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toContain('externalUrl');

    const edited = await json<{ dueAt: string; priority: string }>(['action', 'edit', id, '--due', '2099-01-31', '--priority', 'low']);
    expect(edited).toMatchObject({ dueAt: '2099-01-31T23:59:59.999Z', priority: 'low' });
    const done = await cli(['action', 'done', id]);
    expect(done.stdout).toMatch(/^Done: Add a circuit breaker/);
    const noReason = await cli(['action', 'wontdo', second.id]);
    expect(noReason.code).not.toBe(0);
    const wont = await json<{ status: string; reason: string }>(['action', 'wontdo', second.id, 'Covered', 'by', 'the', 'new', 'alerts']);
    expect(wont).toEqual(expect.objectContaining({ status: 'wont_do', reason: 'Covered by the new alerts' }));
    expect((await cli(['action', 'list', '--status', 'open'])).stdout.trim()).toBe('No action items.');
  }, 180_000);

  it('checklist set (post-incident, time windows) / list', async () => {
    const yaml = [
      'slug: post-incident', 'name: Post-incident', 'severities: [SEV1, SEV2]', 'trigger: on_resolve', 'groups:',
      '  - name: Immediate', '    dueOffsetSeconds: 3600', '    items: [Tell support]',
      '  - name: Long-term', '    dueOffsetSeconds: 604800', '    items: [Review action items]',
    ].join('\n');
    const set = await cli(['checklist', 'set', '-'], yaml);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout.trim()).toBe('Saved checklist post-incident (on_resolve, 2 tasks)');
    expect((await cli(['checklist', 'set', '-'], yaml.replace('[Tell support]', '[Tell support, Thank the responders]'))).stdout.trim()).toBe('Saved checklist post-incident (on_resolve, 3 tasks)');
    const list = await cli(['checklist', 'list']);
    expect(list.stdout).toMatch(/^post-incident +Post-incident +on_resolve +SEV1,SEV2 +Immediate \(\+1h\): 2; Long-term \(\+7d\): 1$/m);
  }, 120_000);
});
