import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (name: string) => readFileSync(path.join(root, 'test/fixtures/runbooks', name), 'utf8');

interface Entry { id: string; kind: string; action: string; changes: { field: string; from: string | null; to: string | null }[]; placeholders: string[] }
interface Plan { entries: Entry[]; placeholders: { name: string; mappedTo: string | null; suggestedType: string }[]; summary: Record<string, number>; notes: string[] }

describe.each(DIALECTS)('runbook import plan on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string; email: string };
  const meadow = fixture('meadow-ledger-db.md');

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    await t.store.db.insertInto('teams').values({ id: 'team_platform', slug: 'platform', name: 'Platform', managed_by: null, created_at: 0, updated_at: 0 }).execute();
  });
  afterAll(() => t?.close());

  const post = (url: string, payload: object, token = admin.token) => t.app.inject({ method: 'POST', url, payload, headers: bearer(token) });
  const plan = async (markdown: string, extra: object = {}) => {
    const res = await post('/api/v1/runbooks/import/plan', { markdown, sourceName: 'meadow-ledger-db.md', ...extra });
    expect(res.statusCode).toBe(200);
    return res.json() as Plan;
  };
  const auditCount = async () => Number((await t.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const mapping = () => ({ 'Database on-call': `user:${admin.email}`, 'DBA lead': 'team:platform', 'Engineering manager': 'team:platform', CTO: 'team:platform', 'On-call': 'team:platform' });

  it('plans the document: the ladder changes, policies, checklist and template are added, people are placeholders', async () => {
    const p = await plan(meadow);
    const byId = new Map(p.entries.map((e) => [e.id, e]));
    expect(byId.get('severities')).toMatchObject({ action: 'change' });
    const ladder = byId.get('severities')!.changes;
    expect(ladder).toContainEqual({ field: 'P1', from: null, to: 'Critical (new level)' });
    expect(ladder).toContainEqual({ field: 'SEV1', from: 'Critical', to: null });
    expect(byId.get('escalation-policy:Meadow Ledger Database escalation')).toMatchObject({ action: 'add', placeholders: ['Database on-call', 'DBA lead', 'Engineering manager', 'CTO'] });
    expect(byId.get('checklist:meadow-ledger-db-post-incident-checklist')).toMatchObject({ action: 'add' });
    expect(byId.get('update-template:initial/internal')).toMatchObject({ action: 'add' });
    expect(p.placeholders.map((x) => x.name)).toEqual(['CTO', 'Database on-call', 'DBA lead', 'Engineering manager', 'On-call']);
    expect(p.placeholders.every((x) => x.mappedTo === null)).toBe(true);
    expect(p.placeholders.find((x) => x.name === 'Database on-call')!.suggestedType).toBe('schedule');
  });

  it('refuses to apply while a placeholder is unmapped, naming it, and writes nothing', async () => {
    const before = await auditCount();
    const res = await post('/api/v1/runbooks/import/apply', { markdown: meadow, sourceName: 'meadow-ledger-db.md', map: { CTO: 'team:platform' } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['map.DBA lead', 'map.Database on-call']));
    expect(fields).not.toContain('map.CTO');
    const bad = await post('/api/v1/runbooks/import/apply', { markdown: meadow, sourceName: 'meadow-ledger-db.md', map: { ...mapping(), CTO: 'someone' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe('map.CTO');
    const unknown = await post('/api/v1/runbooks/import/apply', { markdown: meadow, sourceName: 'meadow-ledger-db.md', map: mapping(), select: ['checklist:nope'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().issues[0].field).toBe('select.0');
    expect(await auditCount()).toBe(before);
    expect((await t.store.db.selectFrom('severities').select('key').orderBy('rank').execute()).map((r) => r.key)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
  });

  it('applies the whole plan in one transaction with one audit entry', async () => {
    const before = await auditCount();
    const res = await post('/api/v1/runbooks/import/apply', { markdown: meadow, sourceName: 'meadow-ledger-db.md', map: mapping() });
    expect(res.statusCode).toBe(200);
    expect(await auditCount()).toBe(before + 1);
    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'target']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'runbook.plan_applied', target: 'meadow-ledger-db.md' });
    const sev = await t.store.db.selectFrom('severities').selectAll().orderBy('rank').execute();
    expect(sev.map((r) => [r.key, r.ack_target_seconds === null ? null : Number(r.ack_target_seconds), r.resolve_target_seconds === null ? null : Number(r.resolve_target_seconds), r.managed_by])).toEqual([
      ['P1', 0, 7200, null], ['P2', 1800, 28800, null], ['P3', 14400, null, null], ['P4', 259200, null, null],
    ]);
    const policy = await t.store.db.selectFrom('escalation_policies').selectAll().where('name', '=', 'Meadow Ledger Database escalation').executeTakeFirstOrThrow();
    const levels = JSON.parse(policy.levels);
    expect(levels[0]).toEqual({ delaySeconds: 0, targets: [{ type: 'user', id: expect.any(String) }] });
    expect(levels[3]).toMatchObject({ targets: [{ type: 'team', id: 'team_platform' }], condition: { severities: ['P1'] } });
    expect(sev[0]!.escalation_policy_id).toBe(policy.id);
    const checklist = await t.store.db.selectFrom('checklist_templates').selectAll().where('slug', '=', 'meadow-ledger-db-post-incident-checklist').executeTakeFirstOrThrow();
    expect(checklist.trigger).toBe('on_resolve');
    expect(JSON.parse(checklist.severities)).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(await t.store.db.selectFrom('update_templates').select('kind').where('audience', '=', 'internal').execute()).toEqual([{ kind: 'initial' }]);
    expect(res.json().plan.summary).toMatchObject({ add: 0, change: 0 });
  });

  it('is idempotent: the same document again shows no changes and applying it writes no audit entry', async () => {
    const p = await plan(meadow);
    expect(p.entries.every((e) => e.action === 'unchanged')).toBe(true);
    expect(p.placeholders.every((x) => x.mappedTo !== null)).toBe(true);
    const before = await auditCount();
    const res = await post('/api/v1/runbooks/import/apply', { markdown: meadow, sourceName: 'meadow-ledger-db.md' });
    expect(res.statusCode).toBe(200);
    expect(res.json().changes).toEqual([]);
    expect(await auditCount()).toBe(before);
  });

  it('shows a new version of the document as a field diff, and applies only the selected object', async () => {
    const v2 = meadow.replace('Response: 30 minutes. Resolve: 8 hours.', 'Response: 20 minutes. Resolve: 8 hours.').replace('Page CTO', 'Page CTO and CISO');
    const p = await plan(v2);
    const changed = p.entries.filter((e) => e.action !== 'unchanged');
    expect(changed.map((e) => e.id).sort()).toEqual(['escalation-policy:Meadow Ledger Database escalation: Any suspected data corruption', 'severities']);
    expect(changed.find((e) => e.id === 'severities')!.changes).toEqual([{ field: 'P2.ackTarget', from: '30m', to: '20m' }]);
    expect(p.placeholders.find((x) => x.name === 'CISO')).toMatchObject({ mappedTo: null });
    const res = await post('/api/v1/runbooks/import/apply', { markdown: v2, sourceName: 'meadow-ledger-db.md', select: ['severities'] });
    expect(res.statusCode).toBe(200);
    expect(res.json().changes).toEqual(['severity P2: changed']);
    const after = (res.json().plan as Plan).entries.filter((e) => e.action !== 'unchanged').map((e) => e.id);
    expect(after).toEqual(['escalation-policy:Meadow Ledger Database escalation: Any suspected data corruption']);
  });

  it('never touches an object firebreak.yaml manages: blocked in the plan, 409 when selected', async () => {
    await t.store.db.updateTable('update_templates').set({ managed_by: 'config', body: 'from the file' }).where('kind', '=', 'initial').where('audience', '=', 'internal').execute();
    const p = await plan(meadow);
    expect(p.entries.find((e) => e.id === 'update-template:initial/internal')).toMatchObject({ action: 'blocked' });
    const res = await post('/api/v1/runbooks/import/apply', { markdown: meadow, sourceName: 'meadow-ledger-db.md', select: ['update-template:initial/internal'] });
    expect(res.statusCode).toBe(409);
    expect((await t.store.db.selectFrom('update_templates').select('body').where('kind', '=', 'initial').executeTakeFirstOrThrow()).body).toBe('from the file');
  });

  it('exports the plan as firebreak.yaml with the mapped people', async () => {
    const res = await post('/api/v1/runbooks/import/yaml', { markdown: meadow, sourceName: 'meadow-ledger-db.md', select: ['severities', 'escalation-policy:Meadow Ledger Database escalation'] });
    expect(res.statusCode).toBe(200);
    const yaml = res.json().yaml as string;
    expect(yaml).toContain('ackTarget: "0"');
    expect(yaml).toContain('- team:platform');
    expect(yaml).toContain('escalationPolicy: Meadow Ledger Database escalation');
    const { parseConfigText } = await import('../../src/config/config-file.js');
    const parsed = parseConfigText(yaml);
    expect(parsed.ok).toBe(true);
  });

  it('plans a large document off the event loop with the same result', async () => {
    const padding = Array.from({ length: 400 }, (_, i) => `## Extra scenario ${i}\n\n\`\`\`bash\necho step ${i}\n\`\`\`\n`).join('\n');
    const big = `${meadow}\n${padding}`;
    expect(big.length).toBeGreaterThan(16 * 1024);
    const small = await plan(meadow);
    const large = await plan(big);
    expect(large.entries.map((e) => [e.id, e.action])).toEqual(small.entries.map((e) => [e.id, e.action]));
  });

  it('needs an admin', async () => {
    const responder = await t.userWithKey('responder');
    expect((await post('/api/v1/runbooks/import/plan', { markdown: meadow }, responder.token)).statusCode).toBe(403);
  });
});
