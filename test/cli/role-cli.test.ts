import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { adminKey, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** `firebreak role …` as an operator runs it: the real binary against a real server process. */
beforeAll(ensureBuilt, 120_000);

describe.each(DIALECTS)('role CLI against a server on %s', (dialect) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let token = '';

  const cli = (args: string[]) => execute(process.execPath, [BIN, ...args], { env: cleanEnv({ FIREBREAK_URL: server.url, FIREBREAK_API_KEY: token }) });

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

  it('list / add (a bad key names the field) / edit / remove', async () => {
    const listed = await cli(['role', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^commander +Incident commander +- +Leads the response/m);

    const bad = await cli(['role', 'add', 'Security Lead', 'Security lead']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('key');
    const added = await cli(['role', 'add', 'security-lead', 'Security lead', '--description', 'Owns containment']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('Added role security-lead (Security lead)\n');

    const edited = await cli(['role', 'edit', 'security-lead', '--name', 'Security officer', '--position', '0']);
    expect(edited.code, edited.stderr).toBe(0);
    const json = JSON.parse((await cli(['role', 'list', '--json'])).stdout) as { items: { key: string; name: string; description: string | null }[] };
    expect(json.items[0]).toMatchObject({ key: 'security-lead', name: 'Security officer', description: 'Owns containment' });

    expect((await cli(['role', 'remove', 'security-lead'])).code).toBe(0);
    expect((await cli(['role', 'list'])).stdout).not.toContain('security-lead');
    expect((await cli(['role', 'remove', 'security-lead'])).code).not.toBe(0);
  }, 180_000);
});
