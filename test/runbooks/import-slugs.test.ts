import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

// Two teams' documents with a section of the same title: two runbooks, never one overwriting
// the other; and only the document a runbook came from can replace it.
const doc = (team: string, command: string) => `# ${team} runbook

## Storage Issues

### Symptoms
- Disk above 90% on ${team} nodes

### Mitigation
\`\`\`bash
${command}
\`\`\`

### Verification
- Disk below 80%
`;

describe.each(DIALECTS)('runbook slugs on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
  });
  afterAll(() => t?.close());

  const importDoc = (markdown: string, sourceName: string, extra: object = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/runbooks/import', payload: { markdown, sourceName, ...extra }, headers: bearer(admin.token) });
  const slugs = async () => (await t.store.db.selectFrom('runbooks').select(['slug', 'source_path']).orderBy('slug').execute()).map((r) => `${r.slug}@${r.source_path}`);

  it('namespaces a second document with the same section title instead of replacing the first', async () => {
    const first = (await importDoc(doc('Search', 'df -h /data'), 'teams/search.md')).json();
    expect(first.runbooks).toMatchObject([{ slug: 'storage-issues', action: 'created', version: 1 }]);

    const dry = (await importDoc(doc('Billing', 'du -sh /var/lib/billing'), 'teams/billing.md', { dryRun: true })).json();
    expect(dry.runbooks).toMatchObject([{ slug: 'billing--storage-issues', action: 'created' }]);
    expect(dry.report.warnings.map((w: { code: string }) => w.code)).toContain('slug-namespaced');

    const second = (await importDoc(doc('Billing', 'du -sh /var/lib/billing'), 'teams/billing.md')).json();
    expect(second.runbooks).toMatchObject([{ slug: 'billing--storage-issues', action: 'created', version: 1 }]);
    expect(await slugs()).toEqual(['billing--storage-issues@teams/billing.md', 'storage-issues@teams/search.md']);

    // The first document's runbook is untouched: still version 1 with its own command.
    const search = (await t.app.inject({ method: 'GET', url: '/api/v1/runbooks/storage-issues', headers: bearer(admin.token) })).json();
    expect(search.version ?? search.runbook?.version).toBe(1);
    expect(JSON.stringify(search)).toContain('df -h /data');
    expect(JSON.stringify(search)).not.toContain('/var/lib/billing');
  });

  it('re-importing each document updates its own runbook and nothing else', async () => {
    expect((await importDoc(doc('Billing', 'du -sh /var/lib/billing'), 'teams/billing.md')).json().runbooks).toMatchObject([{ slug: 'billing--storage-issues', action: 'unchanged' }]);
    expect((await importDoc(doc('Billing', 'du -sh /srv/billing'), 'teams/billing.md')).json().runbooks).toMatchObject([{ slug: 'billing--storage-issues', action: 'updated', version: 2 }]);
    expect((await importDoc(doc('Search', 'df -h /srv'), 'teams/search.md')).json().runbooks).toMatchObject([{ slug: 'storage-issues', action: 'updated', version: 2 }]);
    expect(await slugs()).toEqual(['billing--storage-issues@teams/billing.md', 'storage-issues@teams/search.md']);
  });

  it('a third document named like the second gets its own suffix', async () => {
    const third = (await importDoc(doc('Billing EU', 'df -h /eu'), 'eu/billing.md')).json();
    expect(third.runbooks).toMatchObject([{ slug: 'billing--storage-issues-2', action: 'created' }]);
    expect(await slugs()).toHaveLength(3);
  });
});
