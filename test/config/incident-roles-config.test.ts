import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatConfigProblem, parseConfigText, summariseConfig, type FirebreakConfig } from '../../src/config/config-file.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/** `incidentRoles:` in firebreak.yaml: the roles the incident page offers, declared as code. */

function parse(text: string): FirebreakConfig {
  const result = parseConfigText(text);
  if (!result.ok) throw new Error(result.problems.map(formatConfigProblem).join('\n'));
  return result.loaded.config;
}

const problems = (text: string): string[] => {
  const result = parseConfigText(text, 'firebreak.yaml');
  return result.ok ? [] : result.problems.map(formatConfigProblem);
};

describe('incidentRoles: in firebreak.yaml (config check, no database)', () => {
  it('reads roles and counts them in the summary', () => {
    const config = parse('incidentRoles:\n  - { key: security-lead, name: Security lead, description: Owns containment }\n');
    expect(config.incidentRoles).toEqual([{ key: 'security-lead', name: 'Security lead', description: 'Owns containment' }]);
    expect(summariseConfig(config)).toMatchObject({ incidentRoles: 1 });
    expect(summariseConfig(parse(''))).not.toHaveProperty('incidentRoles');
  });

  it('names the field of a bad key, a missing name, a misspelt field and a duplicate', () => {
    expect(problems([
      'incidentRoles:',
      '  - { key: Security Lead, name: Security lead }',
      '  - { key: sme }',
      '  - { key: scribe, name: Scribe, descripton: x }',
    ].join('\n'))).toEqual([
      expect.stringMatching(/^firebreak\.yaml:2:\d+ incidentRoles\.0\.key: use lower-case letters/),
      expect.stringMatching(/^firebreak\.yaml:3:\d+ incidentRoles\.1\.name: /),
      expect.stringMatching(/^firebreak\.yaml:4:\d+ incidentRoles\.2\.descripton: unknown key/),
    ]);
    expect(problems('incidentRoles:\n  - { key: scribe, name: Scribe }\n  - { key: scribe, name: Note taker }\n')).toEqual([
      "firebreak.yaml:3:12 incidentRoles.1.key: duplicate key 'scribe' (first declared at incidentRoles.0)",
    ]);
  });
});

describe.each(DIALECTS)('apply incidentRoles: on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  const FILE = `
incidentRoles:
  - key: commander
    name: Incident commander
    description: Runs the response and owns every decision.
  - key: security-lead
    name: Security lead
    description: Preserves evidence; decides on containment.
  - { key: liaison, name: Customer liaison, position: 10 }
`;
  const apply = (text: string) => applyConfig({ ctx: t.ctx({ type: 'system', name: 'firebreak.yaml' }), input: { config: parse(text), file: 'firebreak.yaml' } });
  const roles = async () => (await t.store.db.selectFrom('incident_role_definitions').selectAll().orderBy('position').orderBy('key').execute())
    .map((r) => [r.key, r.name, Number(r.position), r.managed_by]);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
  });
  afterAll(() => t?.close());

  it('creates new roles (last, unless a position is given) and adopts the seeded one it declares', async () => {
    const result = await apply(FILE);
    expect(result.changes).toEqual([
      'incident role commander: now managed by the file, description changed',
      'incident role security-lead: created',
      'incident role liaison: created',
    ]);
    expect(await roles()).toEqual([
      ['commander', 'Incident commander', 1, 'config'], ['communications', 'Communications lead', 2, null], ['scribe', 'Scribe', 3, null],
      ['security-lead', 'Security lead', 4, 'config'], ['liaison', 'Customer liaison', 10, 'config'],
    ]);
  });

  it('is idempotent: the same file again changes nothing', async () => {
    expect(await apply(FILE)).toEqual({ changed: false, changes: [] });
  });

  it('refuses API edits of a role the file owns, with where to change it', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/v1/incident-roles/security-lead', payload: { name: 'Sec' }, headers: bearer(admin.token) });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('managed by firebreak.yaml');
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/incident-roles/liaison', headers: bearer(admin.token) })).statusCode).toBe(409);
  });

  it('removes a role the file no longer declares, even while held, saying the incident keeps it as a custom role', async () => {
    const inc = (await t.app.inject({ method: 'POST', url: '/api/v1/incidents', payload: { title: 'Phishing wave', severity: 'SEV2' }, headers: bearer(admin.token) })).json();
    await t.app.inject({ method: 'PUT', url: `/api/v1/incidents/${inc.id}/roles/security-lead`, payload: { user: admin.userId }, headers: bearer(admin.token) });
    const result = await apply(FILE.replace(/  - key: security-lead[\s\S]*?containment\.\n/, ''));
    expect(result.changes).toEqual([`incident role security-lead: removed (still held on open incident #${inc.number} as a custom role)`]);
    expect((await roles()).map((r) => r[0])).toEqual(['commander', 'communications', 'scribe', 'liaison']);
    const held = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${inc.id}`, headers: bearer(admin.token) })).json();
    expect(held.roles.map((r: { role: string }) => r.role)).toEqual(['security-lead']);
  });

  it('when the section goes: removes its own roles, hands a built-in role back to the API, leaves the rest alone', async () => {
    const result = await apply('');
    expect(result.changes).toEqual(['incident role commander: no longer managed by the file', 'incident role liaison: removed']);
    expect(await roles()).toEqual([['commander', 'Incident commander', 1, null], ['communications', 'Communications lead', 2, null], ['scribe', 'Scribe', 3, null]]);
    expect(await apply('')).toEqual({ changed: false, changes: [] });
  });
});
