import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatConfigProblem, parseConfigText } from '../../src/config/config-file.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Which escalation policy pages: a routing rule's (carried from the alert to the incident), else
 * the service's, else the severity's default; the timeline says which one decided and why.
 */
describe.each(DIALECTS)('escalation policy by routing rule, service and severity (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let key: string;
  const users: Record<'sev' | 'svc' | 'rule', string> = { sev: '', svc: '', rule: '' };
  const policies: Record<'sev' | 'svc' | 'rule', string> = { sev: '', svc: '', rule: '' };

  const post = (url: string, body: unknown) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(admin) });
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(admin) });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    for (const which of ['sev', 'svc', 'rule'] as const) {
      users[which] = (await t.userWithKey('responder')).userId;
      const policy = await post('/api/v1/escalation-policies', {
        name: `${which} policy`,
        levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: users[which] }] }],
        ...(which === 'sev' ? { severities: ['SEV1'] } : {}),
      });
      expect(policy.statusCode, policy.body).toBe(201);
      policies[which] = policy.json().id;
    }
    const service = await post('/api/v1/services', { slug: 'checkout', name: 'Checkout', escalationPolicy: 'svc policy' });
    expect(service.statusCode, service.body).toBe(201);
    expect(service.json().escalationPolicy).toEqual({ id: policies.svc, name: 'svc policy' });
    const integration = await post('/api/v1/integrations', { name: 'am', format: 'alertmanager-webhook', service: 'checkout' });
    expect(integration.statusCode, integration.body).toBe(201);
    key = integration.json().key;
    const rule = await post('/api/v1/routing-rules', { name: 'db-team', matchers: 'team="db"', escalationPolicy: policies.rule });
    expect(rule.statusCode, rule.body).toBe(201);
    expect(rule.json().escalationPolicy).toBe(policies.rule);
  });
  afterAll(() => t?.close());

  /** Who the first step paged, and the `escalation_started` entry. */
  async function pagedFor(incidentId: string): Promise<{ userIds: string[]; started: { body: string; data: Record<string, unknown> } }> {
    await t.paging.worker.drain();
    const items = (await get(`/api/v1/incidents/${incidentId}/timeline`)).json().items as { kind: string; body: string; data: Record<string, unknown> }[];
    const paged = items.filter((e) => e.kind === 'paged');
    expect(paged).toHaveLength(1);
    return { userIds: paged[0]!.data.userIds as string[], started: items.find((e) => e.kind === 'escalation_started')! };
  }

  async function fire(alertname: string, labels: Record<string, string>): Promise<string> {
    const res = await t.app.inject({
      method: 'POST', url: `/ingest/alertmanager/${key}`, headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        version: '4', status: 'firing', receiver: 'firebreak', groupKey: `{}:{alertname="${alertname}"}`, truncatedAlerts: 0, groupLabels: { alertname }, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
        alerts: [{ status: 'firing', labels: { alertname, severity: 'critical', ...labels }, annotations: { summary: `${alertname} firing` }, startsAt: '2026-03-01T09:59:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: `fp-${alertname}` }],
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const alert = await t.store.db.selectFrom('alerts').select('incident_id').where('dedup_key', '=', `fp-${alertname}`).executeTakeFirstOrThrow();
    return alert.incident_id!;
  }

  it('without service or rule, the severity default pages and the timeline says so', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'no service', severity: 'SEV1' })).json();
    const { userIds, started } = await pagedFor(inc.id);
    expect(userIds).toEqual([users.sev]);
    expect(started.body).toContain('**sev policy** started (default for SEV1)');
    expect(started.data).toMatchObject({ policyId: policies.sev, chosenBy: 'severity' });
  });

  it("the service's policy beats the severity default, even for a severity with none", async () => {
    for (const severity of ['SEV1', 'SEV3']) {
      const inc = (await post('/api/v1/incidents', { title: `checkout ${severity}`, severity, service: 'checkout' })).json();
      const { userIds, started } = await pagedFor(inc.id);
      expect(userIds).toEqual([users.svc]);
      expect(started.body).toContain('(service checkout names it)');
      expect(started.data.chosenBy).toBe('service');
    }
  });

  it("the matching routing rule's policy beats the service's, and is stored on the incident", async () => {
    const incidentId = await fire('DbDown', { team: 'db' });
    const { userIds, started } = await pagedFor(incidentId);
    expect(userIds).toEqual([users.rule]);
    expect(started.body).toMatch(/\*\*rule policy\*\* started \(routing rule db-team \(rr_\w+\) matched the alert\)/);
    expect(started.data.chosenBy).toBe('routing-rule');
    const row = await t.store.db.selectFrom('incidents').select(['escalation_policy_id', 'escalation_policy_reason', 'service_id']).where('id', '=', incidentId).executeTakeFirstOrThrow();
    expect(row.escalation_policy_id).toBe(policies.rule);
    expect(row.escalation_policy_reason).toContain('db-team');
    expect(row.service_id).not.toBeNull();
    // An alert no rule matches: the integration's service decides.
    const other = await fire('ApiSlow', { team: 'web' });
    expect((await pagedFor(other)).userIds).toEqual([users.svc]);
  });

  it('a referenced policy cannot be deleted: 409 naming who uses it', async () => {
    const shown = (await get(`/api/v1/escalation-policies/${policies.svc}`)).json();
    expect(shown.usedBy).toEqual(['service checkout']);
    const bySeverity = await t.app.inject({ method: 'DELETE', url: `/api/v1/escalation-policies/${policies.sev}`, headers: bearer(admin) });
    expect(bySeverity.statusCode).toBe(409);
    expect(bySeverity.json().message).toContain('severity SEV1');
    const byService = await t.app.inject({ method: 'DELETE', url: '/api/v1/escalation-policies/svc%20policy', headers: bearer(admin) });
    expect(byService.statusCode).toBe(409);
    expect(byService.json().message).toContain('service checkout');
    const byRule = await t.app.inject({ method: 'DELETE', url: `/api/v1/escalation-policies/${policies.rule}`, headers: bearer(admin) });
    expect(byRule.statusCode).toBe(409);
    expect(byRule.json().message).toMatch(/routing rule db-team \(rr_/);
    // Unreferenced, it goes.
    const cleared = await t.app.inject({ method: 'PATCH', url: '/api/v1/services/checkout', headers: bearer(admin), payload: { escalationPolicy: null } });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json().escalationPolicy).toBeNull();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/escalation-policies/${policies.svc}`, headers: bearer(admin) })).statusCode).toBe(204);
  });

  it('an unknown policy is a 400 naming the field', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/services/checkout', headers: bearer(admin), payload: { escalationPolicy: 'nope' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^escalationPolicy: /);
    const rule = await post('/api/v1/routing-rules', { name: 'bad', matchers: 'x="y"', escalationPolicy: 'pol_nope' });
    expect(rule.statusCode).toBe(400);
    expect(rule.json().message).toMatch(/^escalationPolicy: /);
  });

  it('firebreak.yaml names policies for services and routes; one that does not exist yet is reported, not fatal', async () => {
    const text = (policy: string) => `
services:
  - { slug: payments, name: Payments, escalationPolicy: ${policy} }
routes:
  - { name: pay-critical, matchers: ['team="payments"'], escalationPolicy: ${policy} }
`;
    const parsed = (policy: string) => {
      const result = parseConfigText(text(policy));
      if (!result.ok) throw new Error(result.problems.map(formatConfigProblem).join('\n'));
      return result.loaded.config;
    };
    const apply = (policy: string) => applyConfig({ ctx: t.ctx({ type: 'system', name: 'firebreak.yaml' }), input: { config: parsed(policy), file: 'firebreak.yaml' } });
    const missing = await apply('later-policy');
    expect(missing.changes).toEqual(expect.arrayContaining([
      expect.stringMatching(/^service payments: created \(escalation policy 'later-policy' does not exist yet/),
      expect.stringMatching(/^route pay-critical: created \(escalation policy 'later-policy' does not exist yet/),
    ]));
    expect((await apply('later-policy')).changed).toBe(false);
    const result = await apply('"rule policy"');
    expect(result.changes).toEqual(expect.arrayContaining(['service payments: escalation policy → rule policy', 'route pay-critical: escalation policy changed']));
    const service = (await get('/api/v1/services/payments')).json();
    expect(service.escalationPolicy).toEqual({ id: policies.rule, name: 'rule policy' });
    const rules = (await get('/api/v1/routing-rules')).json().items as { name: string; escalationPolicy: string | null }[];
    expect(rules.find((r) => r.name === 'pay-critical')!.escalationPolicy).toBe(policies.rule);
    // A rule that only chooses a policy is valid; one that drops and pages is not.
    const bad = parseConfigText("routes:\n  - { name: x, matchers: [a=b], drop: true, escalationPolicy: p }\n", 'firebreak.yaml');
    expect(bad.ok ? [] : bad.problems.map(formatConfigProblem)).toEqual([
      'firebreak.yaml:2:39 routes.0.drop: a rule that drops alerts sets no service, severity or escalation policy; remove one or the other',
    ]);
  });
});
