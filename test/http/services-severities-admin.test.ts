import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * What the Services and Severities pages rely on: a service's answer names what it is wired to,
 * its deletion is refused with a reason while something depends on it, and the severity ladder
 * can be edited one level at a time with errors naming the field or the incidents in the way.
 */
describe.each(DIALECTS)('services and severity levels API on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  let viewer: { token: string };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    viewer = await t.userWithKey('viewer');
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, token = admin.token) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

  describe('services', () => {
    it('answers a service with its runbooks, integrations, routing rules and open incidents', async () => {
      expect((await call('POST', '/api/v1/teams', { slug: 'payments', name: 'Payments' })).statusCode).toBe(201);
      expect((await call('POST', '/api/v1/services', { slug: 'checkout', name: 'Checkout', team: 'payments' })).statusCode).toBe(201);
      const doc = '---\nservice: checkout\n---\n\n# Checkout\n\n## Card payments failing\n\n### Mitigation\n```bash\nsystemctl restart checkout\n```\n';
      expect((await call('POST', '/api/v1/runbooks/import', { markdown: doc, sourceName: 'checkout.md' })).statusCode).toBe(200);
      const integration = await call('POST', '/api/v1/integrations', { name: 'Checkout alerts', format: 'alertmanager-webhook', service: 'checkout' });
      expect(integration.statusCode).toBe(201);
      const incident = await call('POST', '/api/v1/incidents', { title: 'Cards declined', severity: 'SEV2', service: 'checkout' });
      expect(incident.statusCode).toBe(201);

      const res = await call('GET', '/api/v1/services/checkout', undefined, viewer.token);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        slug: 'checkout', team: { slug: 'payments' },
        runbooks: [{ slug: 'card-payments-failing' }],
        integrations: [{ name: 'Checkout alerts', format: 'alertmanager-webhook', disabled: false }],
        routingRules: [],
        openIncidents: [{ number: incident.json().number, title: 'Cards declined', severity: 'SEV2' }],
        openIncidentCount: 1,
      });
    });

    it('refuses to delete a service with open incidents or a routing rule to it, naming them', async () => {
      const open = await call('DELETE', '/api/v1/services/checkout');
      expect(open.statusCode).toBe(409);
      expect(open.json().message).toMatch(/1 open incident \(#\d+\) is on it/);
      const [incident] = (await call('GET', '/api/v1/services/checkout')).json().openIncidents;
      expect((await call('POST', `/api/v1/incidents/${incident.number}/resolve`, {})).statusCode).toBe(200);

      const rule = await call('POST', '/api/v1/routing-rules', { name: 'cards-to-checkout', matchers: 'team="cards"', service: 'checkout' });
      expect(rule.statusCode).toBe(201);
      const routed = await call('DELETE', '/api/v1/services/checkout');
      expect(routed.statusCode).toBe(409);
      expect(routed.json().message).toContain('routing rule "cards-to-checkout" sends alerts to it');
      expect((await call('DELETE', `/api/v1/routing-rules/${rule.json().id}`)).statusCode).toBe(204);

      expect((await call('DELETE', '/api/v1/services/checkout', undefined, viewer.token)).statusCode).toBe(403);
      expect((await call('DELETE', '/api/v1/services/checkout')).statusCode).toBe(204);
      // The resolved incident keeps its history; the integration stays, without a service.
      expect((await call('GET', `/api/v1/incidents/${incident.number}`)).json()).toMatchObject({ title: 'Cards declined', service: null });
      const integrations = (await call('GET', '/api/v1/integrations')).json().items as { name: string; service: unknown }[];
      expect(integrations.find((i) => i.name === 'Checkout alerts')?.service ?? null).toBeNull();
      expect((await call('GET', '/api/v1/services/checkout')).statusCode).toBe(404);
    });
  });

  describe('severity levels', () => {
    const keys = async () => ((await call('GET', '/api/v1/severities')).json().items as { key: string }[]).map((s) => s.key);

    it('adds a level at a position, with targets and cadence', async () => {
      const res = await call('POST', '/api/v1/severities', { key: 'SEV0', name: 'Catastrophic', ackTargetSeconds: 120, resolveTargetSeconds: 3600, updateCadenceSeconds: 900, position: 0 });
      expect(res.statusCode).toBe(201);
      expect(res.json().items[0]).toMatchObject({ key: 'SEV0', rank: 0, ackTargetSeconds: 120, resolveTargetSeconds: 3600, updateCadenceSeconds: 900 });
      expect(await keys()).toEqual(['SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4']);
    });

    it('refuses a duplicate key, a bad field by name, and non-admins', async () => {
      const dup = await call('POST', '/api/v1/severities', { key: 'sev2', name: 'Again' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().message).toContain('severity sev2 already exists');
      const bad = await call('POST', '/api/v1/severities', { key: 'P 1', name: '' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().issues.map((i: { field: string }) => i.field).sort()).toEqual(['key', 'name']);
      const shorter = await call('PATCH', '/api/v1/severities/SEV3', { resolveTargetSeconds: 60 });
      expect(shorter.statusCode).toBe(400);
      expect(shorter.json().issues).toEqual([{ field: 'resolveTargetSeconds', message: 'resolve target is shorter than the acknowledge target' }]);
      expect((await call('POST', '/api/v1/severities', { key: 'P9', name: 'x' }, viewer.token)).statusCode).toBe(403);
      expect((await call('PATCH', '/api/v1/severities/SEV9', { name: 'x' })).statusCode).toBe(404);
    });

    it('changes one level and moves it, keeping the others as they were', async () => {
      const before = (await call('GET', '/api/v1/severities')).json().items as Record<string, unknown>[];
      const res = await call('PATCH', '/api/v1/severities/SEV4', { name: 'Cosmetic', updateCadenceSeconds: 86_400, position: 3 });
      expect(res.statusCode).toBe(200);
      const after = res.json().items as Record<string, unknown>[];
      expect(after.map((s) => s.key)).toEqual(['SEV0', 'SEV1', 'SEV2', 'SEV4', 'SEV3']);
      expect(after[3]).toMatchObject({ key: 'SEV4', name: 'Cosmetic', updateCadenceSeconds: 86_400, ackTargetSeconds: before[4]!.ackTargetSeconds });
      expect(after[4]).toMatchObject({ ...before[3], rank: 4 });
      // Clearing a target with null.
      expect((await call('PATCH', '/api/v1/severities/SEV4', { updateCadenceSeconds: null, position: 4 })).json().items[4]).toMatchObject({ key: 'SEV4', updateCadenceSeconds: null });
    });

    it('refuses to delete a level open incidents use, naming them; deletes it once they are resolved', async () => {
      const incident = await call('POST', '/api/v1/incidents', { title: 'Everything is on fire', severity: 'SEV0' });
      expect(incident.statusCode).toBe(201);
      const n = incident.json().number as number;
      const refused = await call('DELETE', '/api/v1/severities/SEV0');
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toContain(`open incidents #${n}`);
      expect((await call('POST', `/api/v1/incidents/${n}/resolve`, {})).statusCode).toBe(200);
      const res = await call('DELETE', '/api/v1/severities/sev0');
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((s: { key: string }) => s.key)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
      expect((await call('DELETE', '/api/v1/severities/SEV0')).statusCode).toBe(404);
    });

    it('refuses to delete the last level', async () => {
      expect((await call('PUT', '/api/v1/severities', { items: [{ key: 'P1', name: 'Only' }] })).statusCode).toBe(200);
      const res = await call('DELETE', '/api/v1/severities/P1');
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toContain('it is the only level');
    });
  });

  describe('incident escalation', () => {
    it('says which policy pages an incident and which level is next; null without one', async () => {
      const severity = ((await call('GET', '/api/v1/severities')).json().items as { key: string }[]).at(-1)!.key;
      const none = await call('POST', '/api/v1/incidents', { title: 'No policy here', severity });
      expect(none.statusCode, none.body).toBe(201);
      expect((await call('GET', `/api/v1/incidents/${none.json().number}`)).json().escalation).toBeNull();
      const policy = await call('POST', '/api/v1/escalation-policies', { name: 'Primary', severities: [severity], repeat: 0, levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: admin.userId }] }, { delaySeconds: 600, targets: [{ type: 'user', id: admin.userId }] }] });
      expect(policy.statusCode).toBe(201);
      const paged = await call('POST', '/api/v1/incidents', { title: 'Paged by policy', severity });
      expect((await call('GET', `/api/v1/incidents/${paged.json().number}`)).json().escalation).toMatchObject({ policy: { name: 'Primary' }, levels: 2, nextLevel: 0 });
    });
  });
});
