import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRunbookDirectory, type RunbookDirectorySync } from '../../src/app/runbook-directory.js';
import { parseConfigText } from '../../src/config/config-file.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

const doc = (step: string) => `# Disk full\n\n## Mitigation\n\n1. ${step}\n\n## Verification\n\n- [ ] Verify free space above 20%\n`;

describe('firebreak.yaml runbooks section', () => {
  it('accepts a directory and refuses unknown keys', () => {
    expect(parseConfigText('runbooks:\n  directory: ./runbooks\n').ok).toBe(true);
    const bad = parseConfigText('runbooks:\n  dir: ./runbooks\n');
    expect(bad.ok).toBe(false);
  });
});

describe.each(DIALECTS)('runbook directory on %s', (dialect) => {
  let t: TestApp;
  let dir: string;
  let sync: RunbookDirectorySync;
  let admin: { token: string };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    dir = mkdtempSync(join(tmpdir(), 'firebreak-rbdir-'));
    writeFileSync(join(dir, 'disk.md'), doc('Delete old logs'));
    writeFileSync(join(dir, 'broken.md'), '---\ntargets: [\n---\n# Broken\n');
    sync = startRunbookDirectory(t.ctx(), dir, { debounceMs: 100 });
  });
  afterAll(async () => {
    sync?.stop();
    await t?.close();
  });

  const show = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/runbooks/disk-full', headers: bearer(admin.token) })).json();

  it('imports every file at start, skipping a broken one', async () => {
    expect(await sync.syncNow()).toBe(1);
    expect(await show()).toMatchObject({ version: 1, managedBy: 'directory', sourcePath: 'disk.md' });
  });

  it('re-imports when a file changes, and refuses API edits of what it manages', async () => {
    writeFileSync(join(dir, 'disk.md'), doc('Delete logs older than 7 days'));
    const until = Date.now() + 10_000;
    while ((await show()).version !== 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect((await show()).version).toBe(2);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/runbooks/import', headers: bearer(admin.token), payload: { markdown: doc('Something else'), sourceName: 'x.md' } });
    expect(res.json().runbooks[0]).toMatchObject({ action: 'managed-elsewhere', version: 2 });
  });
});
