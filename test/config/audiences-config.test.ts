import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatConfigProblem, parseConfigText, summariseConfig, type FirebreakConfig } from '../../src/config/config-file.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/** The `audiences:` section of firebreak.yaml, and communication deadlines on a severity. */
function parse(text: string): FirebreakConfig {
  const result = parseConfigText(text);
  if (!result.ok) throw new Error(result.problems.map(formatConfigProblem).join('\n'));
  return result.loaded.config;
}

const BASE = [
  'users:',
  '  - { email: ceo@example.test, name: Cee Eo, role: viewer }',
  'teams:',
  '  - { slug: finance, name: Finance }',
  'services:',
  '  - { slug: payments, name: Payments }',
  'severities:',
  '  - key: SEV1',
  '    name: Critical',
  '    updateCadence: 30m',
  '    communicationTasks:',
  '      - { title: Update the status page, audience: public, within: 5m }',
  '      - { title: Brief management, audience: internal, within: 30m }',
  '  - { key: SEV2, name: Major }',
].join('\n');

const FILE = (groups: string, rules: string) => `${BASE}\naudiences:\n  groups:\n${groups}\n  rules:\n${rules}\n`;
const EXEC = [
  '    - slug: executives',
  '      name: Executives',
  '      emails: [board@example.test]',
  '      webhookUrl: https://hooks.example.test/exec',
  '      users: [ceo@example.test]',
  '      teams: [finance]',
].join('\n');

describe.each(DIALECTS)('audiences: in firebreak.yaml on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string };
  const apply = (text: string) => applyConfig({ ctx: t.ctx({ type: 'system', name: 'firebreak.yaml' }), input: { config: parse(text), file: 'firebreak.yaml' } });
  const get = async (url: string) => (await t.app.inject({ url, headers: bearer(admin.token) })).json();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
  });
  afterAll(() => t?.close());

  it('creates groups and rules as managed objects, unchanged on re-apply, refused over the API', async () => {
    const text = FILE(EXEC, '    - { group: executives, severities: [SEV1], services: [payments] }');
    expect(summariseConfig(parse(text))).toMatchObject({ audienceGroups: 1, audienceRules: 1 });
    const first = await apply(text);
    expect(first.changes).toEqual(expect.arrayContaining(['audience group executives: created', 'audience rules: 1 from the file (was 0)']));
    const groups = (await get('/api/v1/audience-groups')).items;
    expect(groups).toMatchObject([{ slug: 'executives', source: 'config', emails: ['board@example.test'], webhookUrl: 'https://hooks.example.test/exec', hasWebhookSecret: true, users: [{ email: 'ceo@example.test' }], teams: [{ slug: 'finance' }] }]);
    const memberIds = await t.store.db.selectFrom('audience_group_members').select(['id', 'secret']).orderBy('id').execute();
    expect((await get('/api/v1/audience-rules')).items).toMatchObject([{ group: { slug: 'executives' }, severities: ['SEV1'], services: ['payments'], source: 'config' }]);
    expect((await apply(text)).changed).toBe(false);
    // Members (and the generated secret) survive a re-apply: queued deliveries name them.
    expect(await t.store.db.selectFrom('audience_group_members').select(['id', 'secret']).orderBy('id').execute()).toEqual(memberIds);
    const refused = await t.app.inject({ method: 'PUT', url: '/api/v1/audience-groups/executives', payload: { name: 'X' }, headers: bearer(admin.token) });
    expect(refused.statusCode).toBe(409);
    const ruleId = (await get('/api/v1/audience-rules')).items[0].id;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/audience-rules/${ruleId}`, headers: bearer(admin.token) })).statusCode).toBe(409);
    // The severity's communication deadlines came from the file.
    expect((await get('/api/v1/severities')).items[0].commTasks).toEqual([
      { title: 'Update the status page', audience: 'public', withinSeconds: 300 },
      { title: 'Brief management', audience: 'internal', withinSeconds: 1800 },
    ]);
  });

  it('names the field of an unknown user, severity or bad address', async () => {
    await expect(apply(FILE(EXEC.replace('ceo@example.test', 'nobody@example.test'), '    - { group: executives }'))).rejects.toMatchObject({ issues: [{ field: 'audiences.groups.0.users.0' }] });
    await expect(apply(FILE(EXEC, '    - { group: executives, severities: [SEV7] }'))).rejects.toMatchObject({ issues: [{ field: 'audiences.rules.0.severities.0' }] });
    const bad = parseConfigText(FILE(EXEC.replace('[board@example.test]', '[not-an-address]'), '    - { group: executives }'));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems[0]!.path).toBe('audiences.groups.0.emails.0');
  });

  it('removes groups and rules the file no longer declares', async () => {
    const result = await apply(BASE);
    expect(result.changes).toEqual(expect.arrayContaining(['audience group executives: removed']));
    expect((await get('/api/v1/audience-groups')).items).toEqual([]);
    expect((await get('/api/v1/audience-rules')).items).toEqual([]);
  });
});
