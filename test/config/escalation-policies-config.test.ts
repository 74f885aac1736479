import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatConfigProblem, parseConfigText, type FirebreakConfig } from '../../src/config/config-file.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/** `escalationPolicies:` in firebreak.yaml, a severity's default policy by name, and "Immediate" (0) targets. */

function parse(text: string): FirebreakConfig {
  const result = parseConfigText(text);
  if (!result.ok) throw new Error(result.problems.map(formatConfigProblem).join('\n'));
  return result.loaded.config;
}
const problems = (text: string) => {
  const result = parseConfigText(text, 'firebreak.yaml');
  return result.ok ? [] : result.problems.map(formatConfigProblem);
};

const FILE = [
  'users:',
  '  - { email: boss@example.com, name: Boss, role: admin }',
  'teams:',
  '  - { slug: db, name: Database, members: [{ user: boss@example.com }] }',
  'escalationPolicies:',
  '  - name: Database escalation',
  '    levels:',
  '      - { after: 0, targets: [team:db] }',
  '      - { after: 15m, targets: [user:boss@example.com], severities: [P1] }',
  '    ifUnresolved:',
  '      - { after: 45m, targets: [user:boss@example.com] }',
  'severities:',
  '  - { key: P1, name: Critical, ackTarget: immediate, resolveTarget: 2h, escalationPolicy: Database escalation }',
  '  - { key: P2, name: Low, ackTarget: 8h, businessHours: true }',
].join('\n');

describe('escalationPolicies: in firebreak.yaml (config check)', () => {
  it('names bad targets, placeholders, unknown severities and duplicate names', () => {
    expect(problems([
      'severities:', //                                                      1
      '  - { key: P1, name: Critical }', //                                  2
      'escalationPolicies:', //                                              3
      '  - name: a', //                                                      4
      '    levels: [{ targets: [placeholder:Team lead] }]', //               5
      '  - name: a', //                                                      6
      '    levels: [{ targets: [ana], severities: [P9] }]', //               7
    ].join('\n'))).toEqual([
      "firebreak.yaml:5:26 escalationPolicies.0.levels.0.targets.0: 'Team lead' is a placeholder from a runbook import plan; map it to user:EMAIL, team:SLUG or schedule:NAME",
      "firebreak.yaml:7:26 escalationPolicies.1.levels.0.targets.0: 'ana' is not a target; write user:EMAIL, team:SLUG or schedule:NAME",
    ]);
    expect(problems([
      'severities:',
      '  - { key: P1, name: Critical }',
      'escalationPolicies:',
      '  - { name: a, levels: [{ targets: [team:x] }] }',
      '  - { name: a, levels: [{ targets: [team:x], severities: [P9] }] }',
    ].join('\n'))).toEqual([
      "firebreak.yaml:5:13 escalationPolicies.1.name: duplicate name 'a' (first declared at escalationPolicies.0)",
      "firebreak.yaml:5:59 escalationPolicies.1.levels.0.severities.0: severity 'P9' is not in the severities: section (P1)",
    ]);
  });
});

describe.each(DIALECTS)('escalationPolicies: applied on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t?.close());
  const apply = (text: string) => applyConfig({ ctx: t.ctx({ type: 'system', name: 'firebreak.yaml' }), input: { config: parse(text), file: 'firebreak.yaml' } });

  it('creates the policy, makes it the severity default, owns it, and removes it when the file drops it', async () => {
    const first = await apply(FILE);
    expect(first.changes).toContain('escalation policy Database escalation: created');
    const policy = await t.store.db.selectFrom('escalation_policies').selectAll().where('name', '=', 'Database escalation').executeTakeFirstOrThrow();
    expect(policy.managed_by).toBe('config');
    expect(JSON.parse(policy.levels)).toEqual([
      { delaySeconds: 0, targets: [{ type: 'team', id: expect.any(String) }] },
      { delaySeconds: 900, targets: [{ type: 'user', id: expect.any(String) }], condition: { severities: ['P1'] } },
    ]);
    expect(JSON.parse(policy.if_unresolved!)).toEqual([{ afterSeconds: 2700, targets: [{ type: 'user', id: expect.any(String) }] }]);
    const sev = await t.store.db.selectFrom('severities').selectAll().orderBy('rank').execute();
    expect(sev.map((s) => [s.key, Number(s.ack_target_seconds), s.escalation_policy_id, Number(s.business_hours)])).toEqual([['P1', 0, policy.id, 0], ['P2', 28800, null, 1]]);
    expect((await apply(FILE)).changed).toBe(false);

    const admin = await t.userWithKey('admin');
    const edit = await t.app.inject({ method: 'PUT', url: `/api/v1/escalation-policies/${policy.id}`, headers: bearer(admin.token), payload: { name: 'x', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: admin.userId }] }] } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().message).toContain('managed by firebreak.yaml');

    const without = FILE.split('\n').filter((l, i) => i < 4 || i > 10).join('\n').replace(', escalationPolicy: Database escalation', '');
    const removed = await apply(without);
    expect(removed.changes).toContain('escalation policy Database escalation: removed');
    expect(await t.store.db.selectFrom('escalation_policies').select('id').where('name', '=', 'Database escalation').executeTakeFirst()).toBeUndefined();
  });
});
