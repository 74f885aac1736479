import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatConfigProblem, parseConfigText } from '../../src/config/config-file.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const heron = readFileSync(path.join(root, 'test/fixtures/runbooks/heron-ledger-roles.md'), 'utf8');

interface Entry { id: string; kind: string; title: string; action: string; reason?: string; changes: { field: string; from: string | null; to: string | null }[] }
interface Plan { entries: Entry[]; summary: Record<string, number>; notes: string[] }

/** Roles a document names become incident roles through the import plan: planned, applied, idempotent. */
describe.each(DIALECTS)('incident roles in the runbook import plan on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
  });
  afterAll(() => t?.close());

  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: bearer(admin.token) });
  const plan = async (markdown: string) => {
    const res = await post('/api/v1/runbooks/import/plan', { markdown, sourceName: 'heron-ledger-roles.md' });
    expect(res.statusCode).toBe(200);
    return res.json() as Plan;
  };
  const roleEntries = (p: Plan) => p.entries.filter((e) => e.kind === 'incident-role');
  const catalogue = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/incident-roles', headers: bearer(admin.token) })).json().items as { key: string; name: string; description: string | null; managedBy: string | null }[];

  it('plans the roles: new ones added, the seeded ones matched by alias keep their names, duties become descriptions', async () => {
    const entries = roleEntries(await plan(heron));
    expect(entries.map((e) => [e.id, e.action])).toEqual([
      ['incident-role:commander', 'change'], ['incident-role:communications', 'change'], ['incident-role:security-lead', 'add'],
      ['incident-role:ledger-sme', 'add'], ['incident-role:scribe', 'change'], ['incident-role:finance-liaison', 'add'],
    ]);
    // "Incident Commander (IC)" is the seeded commander: only its description changes, not its name.
    expect(entries[0]!.changes).toEqual([{ field: 'description', from: 'Leads the response: decides, delegates and keeps the incident moving.', to: 'Runs the response, owns decisions, asks for help early' }]);
    expect(entries[2]!.changes).toContainEqual({ field: 'name', from: null, to: 'Security Lead' });
  });

  it('applies them; re-importing the same document shows no changes', async () => {
    const res = await post('/api/v1/runbooks/import/apply', { markdown: heron, sourceName: 'heron-ledger-roles.md', select: roleEntries(await plan(heron)).map((e) => e.id) });
    expect(res.statusCode).toBe(200);
    expect(res.json().changes).toEqual(expect.arrayContaining(['incident role security-lead: created', 'incident role commander: description changed']));
    const roles = await catalogue();
    expect(roles.map((r) => [r.key, r.name, r.managedBy])).toEqual([
      ['commander', 'Incident commander', null], ['communications', 'Communications lead', null], ['scribe', 'Scribe', null],
      ['security-lead', 'Security Lead', null], ['ledger-sme', 'Ledger SME', null], ['finance-liaison', 'Finance Liaison', null],
    ]);
    expect(roles.find((r) => r.key === 'scribe')!.description).toBe('Keeps the timeline in the incident channel.\n- Notes every decision with its time\n- Collects graphs for the post-mortem');
    expect(roleEntries(await plan(heron)).every((e) => e.action === 'unchanged')).toBe(true);
  });

  it('shows what changed in the document as a field diff', async () => {
    const changed = heron.replace('Preserves evidence and decides on containment when fraud is suspected', 'Preserves evidence; calls in the fraud team');
    const entry = roleEntries(await plan(changed)).find((e) => e.id === 'incident-role:security-lead')!;
    expect(entry.action).toBe('change');
    expect(entry.changes).toEqual([{ field: 'description', from: 'Preserves evidence and decides on containment when fraud is suspected', to: 'Preserves evidence; calls in the fraud team' }]);
  });

  it('exports the roles as firebreak.yaml incidentRoles, and a role the file owns is blocked', async () => {
    const res = await post('/api/v1/runbooks/import/yaml', { markdown: heron, sourceName: 'heron-ledger-roles.md', select: ['incident-role:security-lead'] });
    expect(res.statusCode).toBe(200);
    const yamlText = res.json().yaml as string;
    expect(parse(yamlText).incidentRoles).toEqual([{ key: 'security-lead', name: 'Security Lead', description: 'Preserves evidence and decides on containment when fraud is suspected' }]);
    const loaded = parseConfigText(yamlText.replace('Preserves evidence and decides', 'Keeps evidence and decides'));
    if (!loaded.ok) throw new Error(loaded.problems.map(formatConfigProblem).join('\n'));
    await applyConfig({ ctx: t.ctx({ type: 'system', name: 'firebreak.yaml' }), input: { config: loaded.loaded.config } });
    const entry = roleEntries(await plan(heron)).find((e) => e.id === 'incident-role:security-lead')!;
    expect(entry).toMatchObject({ action: 'blocked', reason: expect.stringContaining('managed by firebreak.yaml') });
  });
});
