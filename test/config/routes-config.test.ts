import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatConfigProblem, parseConfigText, summariseConfig, type FirebreakConfig } from '../../src/config/config-file.js';
import { AppError } from '../../src/core/errors.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/** The `routes:` section of firebreak.yaml: routing rules declared as code, applied with the rest. */

function parse(text: string): FirebreakConfig {
  const result = parseConfigText(text);
  if (!result.ok) throw new Error(result.problems.map(formatConfigProblem).join('\n'));
  return result.loaded.config;
}

function problems(text: string): string[] {
  const result = parseConfigText(text, 'firebreak.yaml');
  return result.ok ? [] : result.problems.map(formatConfigProblem);
}

describe('routes: in firebreak.yaml (config check, no database)', () => {
  it('accepts Alertmanager matchers and counts the rules in the summary', () => {
    const config = parse([
      'routes:',
      '  - { name: crit, matchers: [\'severity="critical"\', \'env=~"prod|staging"\'], severity: P1 }',
      '  - { name: dev, matchers: [env=dev], drop: true }',
    ].join('\n'));
    expect(config.routes.map((r) => [r.name, r.matchers, r.drop])).toEqual([
      ['crit', ['severity="critical"', 'env=~"prod|staging"'], false],
      ['dev', ['env=dev'], true],
    ]);
    expect(summariseConfig(config)).toMatchObject({ routes: 2 });
    expect(summariseConfig(parse(''))).not.toHaveProperty('routes');
  });

  it('names the field of every bad rule: regex, matcher syntax, what the rule does, duplicates, unknown severity', () => {
    expect(problems([
      'severities:', //                                                         1
      '  - { key: P1, name: Critical }', //                                     2
      'routes:', //                                                             3
      '  - { name: a, matchers: [\'team="db"\'], severity: P1 }', //           4
      '  - { name: b, matchers: [\'team="db"\'], service: db, drop: true }', // 5
      '  - name: c', //                                                         6
      '    matchers:', //                                                       7
      '      - \'job="x"\'', //                                                 8
      '      - \'instance=~"(unclosed"\'', //                                   9
      '    severity: P1', //                                                    10
      '  - { name: d, matchers: [\'no operator\'] }', //                        11
      '  - { name: a, matchers: [x=y], severity: P9 }', //                      12
      '  - { name: e, matchers: [], sevrity: P1 }', //                          13
    ].join('\n'))).toEqual([
      'firebreak.yaml:13:26 routes.5.matchers: at least one matcher is required',
      "firebreak.yaml:13:30 routes.5.sevrity: unknown key; did you mean 'severity'?",
    ]);
    // The second pass runs once the shapes are right.
    const second = problems([
      'severities:',
      '  - { key: P1, name: Critical }',
      'routes:',
      '  - { name: a, matchers: [\'team="db"\'], severity: P1 }',
      '  - { name: b, matchers: [\'team="db"\'], service: db, drop: true }',
      '  - name: c',
      '    matchers:',
      '      - \'job="x"\'',
      '      - \'instance=~"(unclosed"\'',
      '    severity: P1',
      '  - { name: d, matchers: [\'no operator\'], service: db }',
      '  - { name: a, matchers: [x=y], severity: P9 }',
      '  - { name: e, matchers: [x=y] }',
    ].join('\n'));
    expect(second).toEqual([
      'firebreak.yaml:5:60 routes.1.drop: a rule that drops alerts sets no service, severity or escalation policy; remove one or the other',
      expect.stringMatching(/^firebreak\.yaml:9:9 routes\.2\.matchers\.1: invalid regular expression in matcher instance=~"\(unclosed": /),
      'firebreak.yaml:11:27 routes.3.matchers.0: expected one of = != =~ !~ after "no" in "no operator"',
      "firebreak.yaml:12:13 routes.4.name: duplicate name 'a' (first declared at routes.0)",
      "firebreak.yaml:12:43 routes.4.severity: severity 'P9' is not in the severities: section (P1)",
      'firebreak.yaml:13:13 routes.5.name: a rule must set a service, a severity, an escalationPolicy, or drop: true',
    ]);
  });
});

describe.each(DIALECTS)('apply routes: on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string };
  let amKey: string;
  const BASE = `
services:
  - { slug: checkout, name: Checkout }
  - { slug: db, name: Database }
severities:
  - { key: SEV1, name: Critical }
  - { key: SEV2, name: High }
  - { key: SEV3, name: Moderate }
routes:
  - name: critical-is-sev1
    matchers: ['severity="critical"']
    severity: SEV1
  - name: drop-dev
    matchers: ['env="dev"']
    drop: true
  - name: db-team
    matchers: ['team=~"db|dba"']
    service: db
`;
  const apply = (text: string) => applyConfig({ ctx: t.ctx({ type: 'system', name: 'firebreak.yaml' }), input: { config: parse(text), file: 'firebreak.yaml' } });
  const rules = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/routing-rules', headers: bearer(admin.token) })).json().items as { id: string; name: string; position: number; managedBy: string | null; setSeverity: string | null; drop: boolean }[];
  const post = (alerts: unknown[]) => t.app.inject({ method: 'POST', url: '/api/v2/alerts', headers: { ...bearer(amKey), 'content-type': 'application/json' }, payload: alerts });
  const auditSeq = async () => Number((await t.store.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
  });
  afterAll(() => t?.close());

  it('creates the rules as managed, in file order, in the one config.apply transaction and audit entry', async () => {
    const before = await auditSeq();
    const result = await apply(BASE);
    expect(result.changes.filter((c) => c.startsWith('route'))).toEqual(['route critical-is-sev1: created', 'route drop-dev: created', 'route db-team: created']);
    expect(await auditSeq()).toBe(before + 1);
    const audit = await t.store.db.selectFrom('audit_log').select('data').where('action', '=', 'config.apply').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.data).toContain('route drop-dev: created');
    expect((await rules()).map((r) => [r.name, r.managedBy])).toEqual([['critical-is-sev1', 'config'], ['drop-dev', 'config'], ['db-team', 'config']]);
  });

  it('routes ingested alerts by the declared rules: severity, drop and service', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', payload: { name: 'prom', format: 'alertmanager-api', service: 'checkout' }, headers: bearer(admin.token) });
    amKey = made.json().key as string;
    const res = await post([
      { labels: { alertname: 'CheckoutErrors', severity: 'critical' } },
      { labels: { alertname: 'DevNoise', env: 'dev', severity: 'critical' } },
      { labels: { alertname: 'ReplicaLag', team: 'dba', severity: 'warning' } },
    ]);
    expect(res.statusCode).toBe(200);
    const alerts = await t.store.db.selectFrom('alerts').leftJoin('services', 'services.id', 'alerts.service_id')
      .select(['alerts.summary', 'alerts.severity', 'services.slug']).orderBy('alerts.summary').execute();
    // File order, first match wins: DevNoise meets the severity rule before drop-dev.
    expect(alerts).toEqual([
      { summary: 'CheckoutErrors', severity: 'SEV1', slug: 'checkout' },
      { summary: 'DevNoise', severity: 'SEV1', slug: 'checkout' },
      { summary: 'ReplicaLag', severity: 'SEV3', slug: 'db' },
    ]);
  });

  it('is idempotent, and re-ordering the file re-orders evaluation (drop before the severity rule)', async () => {
    const before = await auditSeq();
    expect(await apply(BASE)).toEqual({ changed: false, changes: [] });
    expect(await auditSeq()).toBe(before);
    const reordered = BASE.replace(
      "  - name: critical-is-sev1\n    matchers: ['severity=\"critical\"']\n    severity: SEV1\n  - name: drop-dev\n    matchers: ['env=\"dev\"']\n    drop: true\n",
      "  - name: drop-dev\n    matchers: ['env=\"dev\"']\n    drop: true\n  - name: critical-is-sev1\n    matchers: ['severity=\"critical\"', 'env!=\"dev\"']\n    severity: SEV1\n",
    );
    const result = await apply(reordered);
    expect(result.changes).toEqual(['route drop-dev: moved', 'route critical-is-sev1: moved, matchers changed']);
    expect((await rules()).map((r) => r.name)).toEqual(['drop-dev', 'critical-is-sev1', 'db-team']);
    // The ingest cache sees the change at once (the alert-config counter moved in the same transaction).
    expect((await post([{ labels: { alertname: 'DevNoise2', env: 'dev', severity: 'critical' } }])).statusCode).toBe(200);
    expect(await t.store.db.selectFrom('alerts').select('id').where('summary', '=', 'DevNoise2').executeTakeFirst()).toBeUndefined();
    const raw = await t.store.db.selectFrom('raw_payloads').select('outcome').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(raw.outcome).decisions[0]).toMatchObject({ kind: 'dropped' });
  });

  it('keeps API-made rules after the file\'s, refuses to delete a managed rule, and adopts an API rule of a declared name', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/routing-rules', payload: { name: 'api-rule', matchers: 'team="web"', severity: 'SEV2' }, headers: bearer(admin.token) });
    expect(made.statusCode).toBe(201);
    expect((await rules()).map((r) => r.name)).toEqual(['drop-dev', 'critical-is-sev1', 'db-team', 'api-rule']);
    const managed = (await rules()).find((r) => r.name === 'db-team')!;
    const refused = await t.app.inject({ method: 'DELETE', url: `/api/v1/routing-rules/${managed.id}`, headers: bearer(admin.token) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/managed by firebreak\.yaml; edit the file/);

    const adopted = await apply(`${BASE}  - { name: api-rule, matchers: ['team="web"'], severity: SEV3 }\n`);
    expect(adopted.changes).toContain('route api-rule: now managed by the file, moved, severity changed');
    expect((await rules()).map((r) => [r.name, r.managedBy, r.setSeverity])).toEqual([
      ['critical-is-sev1', 'config', 'SEV1'], ['drop-dev', 'config', null], ['db-team', 'config', null], ['api-rule', 'config', 'SEV3'],
    ]);
  });

  it('locates what only the database knows (unknown service or integration) and rolls the whole apply back', async () => {
    const bad = await apply(`${BASE}  - { name: x, matchers: [a=b], service: nowhere }\n  - { name: y, matchers: [a=b], integration: ghost, severity: SEV2 }\n`).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).issues[0]?.field).toBe('routes.3.service');
    expect(await t.store.db.selectFrom('routing_rules').select('id').where('name', '=', 'x').executeTakeFirst()).toBeUndefined();
    const ghost = await apply(`${BASE}  - { name: y, matchers: [a=b], integration: ghost, severity: SEV2 }\n`).catch((e: unknown) => e);
    expect((ghost as AppError).issues[0]?.field).toBe('routes.3.integration');
  });

  it('scopes a rule to a declared or API-made integration by name, and deletes rules that left the file', async () => {
    const scoped = await apply(`${BASE}  - { name: prom-only, matchers: [alertname=Scoped], integration: prom, severity: SEV1 }\n`);
    expect(scoped.changes).toEqual(['route api-rule: removed', 'route prom-only: created']);
    const row = await t.store.db.selectFrom('routing_rules').innerJoin('integrations', 'integrations.id', 'routing_rules.integration_id').select('integrations.name').where('routing_rules.name', '=', 'prom-only').executeTakeFirstOrThrow();
    expect(row.name).toBe('prom');
    const emptied = await apply('services:\n  - { slug: checkout, name: Checkout }\n  - { slug: db, name: Database }\nseverities:\n  - { key: SEV1, name: Critical }\n  - { key: SEV2, name: High }\n  - { key: SEV3, name: Moderate }\n');
    expect(emptied.changes.sort()).toEqual(['route critical-is-sev1: removed', 'route db-team: removed', 'route drop-dev: removed', 'route prom-only: removed']);
    expect(await rules()).toEqual([]);
  });
});
