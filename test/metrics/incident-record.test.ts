import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 13, honest metrics: the incident row holds the moments the figures are computed from.
 * Detected is the alert's own start when the source gives one (not its receipt); an incident
 * resolved without anyone taking it has no acknowledgement time.
 */
describe.each(DIALECTS)('the incident record on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let responder: string;
  const keys: Record<string, string> = {};
  const post = (url: string, body: unknown, headers: Record<string, string> = bearer(admin)) =>
    t.app.inject({ method: 'POST', url, payload: body as object, headers: { 'content-type': 'application/json', ...headers } });
  const incidentOfAlert = async (summary: string) => {
    const alert = await t.store.db.selectFrom('alerts').select('incident_id').where('summary', '=', summary).executeTakeFirstOrThrow();
    return t.store.db.selectFrom('incidents').selectAll().where('id', '=', alert.incident_id!).executeTakeFirstOrThrow();
  };
  const amAlert = (name: string, startsAt: string) => post(`/ingest/alertmanager/${keys.am}`, {
    receiver: 'firebreak', status: 'firing', version: '4', groupKey: `{}:{alertname="${name}"}`, truncatedAlerts: 0,
    groupLabels: { alertname: name }, commonLabels: { alertname: name }, commonAnnotations: {}, externalURL: 'http://am:9093',
    alerts: [{ status: 'firing', labels: { alertname: name, severity: 'critical' }, annotations: { summary: name }, startsAt, endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom' }],
  }, {});

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    responder = (await t.userWithKey('responder')).token;
    for (const [name, format] of [['am', 'alertmanager-webhook'], ['pd', 'pagerduty-events-v2']] as const) {
      const res = await post('/api/v1/integrations', { name, format });
      expect(res.statusCode, res.body).toBe(201);
      keys[name] = res.json().key as string;
    }
  });
  afterAll(async () => { await t?.close(); });

  it('detected is the Alertmanager startsAt, not the receipt', async () => {
    const res = await amAlert('DiskFull', '2026-03-01T09:52:00.000Z');
    expect(res.statusCode, res.body).toBe(200);
    const inc = await incidentOfAlert('DiskFull');
    expect(Number(inc.detected_at)).toBe(Date.parse('2026-03-01T09:52:00.000Z'));
    expect(Number(inc.declared_at)).toBe(t.clock.now());
  });

  it('detected is the PagerDuty payload timestamp', async () => {
    const res = await post('/v2/enqueue', {
      routing_key: keys.pd, event_action: 'trigger', dedup_key: 'pd-1',
      payload: { summary: 'Checkout 500s', source: 'web-1', severity: 'critical', timestamp: '2026-03-01T09:40:00.000Z' },
    }, {});
    expect(res.statusCode, res.body).toBe(202);
    expect(Number((await incidentOfAlert('Checkout 500s')).detected_at)).toBe(Date.parse('2026-03-01T09:40:00.000Z'));
  });

  it('a start time ahead of our clock (sender clock skew) counts as receipt', async () => {
    expect((await amAlert('FutureSkew', '2026-03-01T10:30:00.000Z')).statusCode).toBe(200);
    expect(Number((await incidentOfAlert('FutureSkew')).detected_at)).toBe(t.clock.now());
  });

  it('an incident resolved without an acknowledgement has no acknowledgement time', async () => {
    const declared = await post('/api/v1/incidents', { title: 'Never taken', severity: 'SEV3' }, bearer(responder));
    expect(declared.statusCode, declared.body).toBe(201);
    const number = declared.json().number as number;
    t.clock.advance(10 * 60_000);
    const resolved = await post(`/api/v1/incidents/${number}/resolve`, {}, bearer(responder));
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', acknowledgedAt: null, resolvedAt: new Date(t.clock.now()).toISOString() });
    const row = await t.store.db.selectFrom('incidents').select('acknowledged_at').where('number', '=', number).executeTakeFirstOrThrow();
    expect(row.acknowledged_at).toBeNull();
  });
});
