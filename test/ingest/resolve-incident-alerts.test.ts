import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from '../paging/receivers.js';

/**
 * Issue 11, "pages lost" 6: a human resolving an incident resolves its alerts (PagerDuty's
 * semantics), so the next firing notification of the same alert opens a new incident and
 * pages, instead of being recorded as a duplicate of an alert behind a resolved incident.
 */
const STARTS = '2026-03-01T09:55:00.000Z';

describe.each(DIALECTS)('resolving an incident resolves its alerts on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: string;
  let responder: string;
  const keys: Record<string, string> = {};

  const post = (url: string, body: unknown, headers: Record<string, string> = bearer(admin)) =>
    t.app.inject({ method: 'POST', url, payload: body as object, headers: { 'content-type': 'application/json', ...headers } });
  /** An Alertmanager webhook notification, as AM repeats it: same startsAt every time. */
  const notify = async (name: string, instances: string[]) => {
    const res = await post(`/ingest/alertmanager/${keys.am}`, {
      receiver: 'firebreak', status: 'firing', version: '4', groupKey: `{}:{alertname="${name}"}`, truncatedAlerts: 0,
      groupLabels: { alertname: name }, commonLabels: { alertname: name }, commonAnnotations: {}, externalURL: 'http://am:9093',
      alerts: instances.map((instance) => ({
        status: 'firing', labels: { alertname: name, instance, severity: 'critical' }, annotations: { summary: `${name} on ${instance}` },
        startsAt: STARTS, endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom:9090/graph',
      })),
    }, {});
    expect(res.statusCode, res.body).toBe(200);
  };
  const alertsOf = (summary: string) => t.store.db.selectFrom('alerts').selectAll().where('summary', '=', summary).orderBy('id').execute();
  const incidentOf = (id: string) => t.store.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const deliveriesOf = (incidentId: string) => t.store.db.selectFrom('deliveries').select('id').where('incident_id', '=', incidentId).execute();
  const resolve = async (incidentId: string) => {
    const { number } = await incidentOf(incidentId);
    const res = await post(`/api/v1/incidents/${number}/resolve`, { note: 'fixed, I think' }, bearer(responder));
    expect(res.statusCode, res.body).toBe(200);
  };
  const timeline = (incidentId: string) => t.store.db.selectFrom('timeline_events').select(['kind', 'body']).where('incident_id', '=', incidentId).orderBy('id').execute();

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32' } } });
    admin = (await t.userWithKey('admin')).token;
    const alice = await t.userWithKey('responder');
    responder = alice.token;
    expect((await post('/api/v1/contact-methods', { kind: 'webhook', address: `${receiver.url}/alice` }, bearer(alice.token))).statusCode).toBe(201);
    const policy = await post('/api/v1/escalation-policies', { name: 'Alice', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: alice.userId }] }], severities: ['SEV1', 'SEV2', 'SEV3', 'SEV4'] });
    expect(policy.statusCode, policy.body).toBe(201);
    for (const [name, format] of [['am', 'alertmanager-webhook'], ['pd', 'pagerduty-events-v2']] as const) {
      const res = await post('/api/v1/integrations', { name, format });
      expect(res.statusCode, res.body).toBe(201);
      keys[name] = res.json().key as string;
    }
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('Alertmanager: the next repeat after a human resolved the incident opens a new incident and pages', async () => {
    await notify('DiskFull', ['db-1', 'db-2']);
    const [a1, a2] = await alertsOf('DiskFull on db-1').then(async (a) => [...a, ...(await alertsOf('DiskFull on db-2'))]);
    const first = a1!.incident_id!;
    expect(a2!.incident_id).toBe(first);
    await t.paging.worker.drain();
    expect(await deliveriesOf(first)).toHaveLength(1);

    await resolve(first);
    for (const summary of ['DiskFull on db-1', 'DiskFull on db-2']) {
      expect((await alertsOf(summary)).map((a) => a.status)).toEqual(['resolved']);
    }
    expect((await timeline(first)).at(-1)).toMatchObject({ kind: 'alerts_resolved', body: expect.stringContaining('its 2 open alerts') });

    // Alertmanager repeats the unchanged group: a new incident, paged.
    t.clock.advance(60_000);
    await notify('DiskFull', ['db-1', 'db-2']);
    const again = await alertsOf('DiskFull on db-1');
    expect(again.map((a) => a.status)).toEqual(['resolved', 'firing']);
    const second = again[1]!.incident_id!;
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect((await alertsOf('DiskFull on db-2'))[1]!.incident_id).toBe(second);
    expect((await incidentOf(second)).status).toBe('triggered');
    expect((await incidentOf(first)).status).toBe('resolved');
    await t.paging.worker.drain();
    expect(await deliveriesOf(second)).toHaveLength(1);
    expect(JSON.parse(again[1]!.decision).kind).toBe('opened-incident');
  });

  it('PagerDuty: a trigger with the same dedup key after a human resolve opens a new incident', async () => {
    const trigger = () => post('/v2/enqueue', { routing_key: keys.pd, event_action: 'trigger', dedup_key: 'db-lag', payload: { summary: 'replica lag', source: 'db-3', severity: 'critical' } }, {});
    expect((await trigger()).statusCode).toBe(202);
    const [first] = await alertsOf('replica lag');
    await resolve(first!.incident_id!);
    expect((await trigger()).statusCode).toBe(202);
    const rows = await alertsOf('replica lag');
    expect(rows.map((a) => a.status)).toEqual(['resolved', 'firing']);
    expect(rows[1]!.incident_id).not.toBe(first!.incident_id);
    expect((await incidentOf(rows[1]!.incident_id!)).status).toBe('triggered');
    await t.paging.worker.drain();
    expect(await deliveriesOf(rows[1]!.incident_id!)).toHaveLength(1);
  });

  it('an incident its alerts resolved records nothing more', async () => {
    const send = (action: 'trigger' | 'resolve') => post('/v2/enqueue', { routing_key: keys.pd, event_action: action, dedup_key: 'cpu', payload: { summary: 'cpu hot', source: 'web-1', severity: 'critical' } }, {});
    expect((await send('trigger')).statusCode).toBe(202);
    expect((await send('resolve')).statusCode).toBe(202);
    const [row] = await alertsOf('cpu hot');
    expect((await incidentOf(row!.incident_id!)).status).toBe('resolved');
    expect((await timeline(row!.incident_id!)).map((e) => e.kind)).not.toContain('alerts_resolved');
  });
});
