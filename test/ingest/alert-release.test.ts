import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestServiceOf } from '../../src/http/routes/ingest.js';
import { sweepAlertsOnce } from '../../src/ingest/alert-expiry.js';
import type { IngestService } from '../../src/ingest/ingest-service.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from '../paging/receivers.js';

/**
 * Issue 11, "pages lost" 1: a silence or maintenance window that ends releases every firing
 * alert it held at once (expired or deleted through the API, or simply run out, found by the
 * periodic sweep), and a sender's unchanged repeat is never a no-op for an alert that nothing
 * holds any more. Released alerts page as if they had just arrived: an incident opens (or they
 * join one) and its first escalation step creates a delivery.
 */
const MIN = 60_000;
const STARTS = '2026-03-01T09:55:00.000Z';

describe.each(DIALECTS)('alerts released when their silence or maintenance window ends on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: string;
  let service: IngestService;
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
  const pd = async (dedupKey: string) => {
    const res = await post('/v2/enqueue', { routing_key: keys.pd, event_action: 'trigger', dedup_key: dedupKey, payload: { summary: dedupKey, source: 'db-1', severity: 'critical' } }, {});
    expect(res.statusCode, res.body).toBe(202);
  };
  const silence = async (matchers: { name: string; value: string }[], minutes = 60) => {
    const now = t.clock.now();
    const res = await post('/api/v2/silences', {
      matchers: matchers.map((m) => ({ ...m, isRegex: false, isEqual: true })), startsAt: new Date(now).toISOString(), endsAt: new Date(now + minutes * MIN).toISOString(),
      createdBy: 'tester', comment: 'deploy',
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().silenceID as string;
  };
  const alertOf = (summary: string) => t.store.db.selectFrom('alerts').selectAll().where('summary', '=', summary).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const deliveriesOf = (incidentId: string) => t.store.db.selectFrom('deliveries').select(['id', 'status']).where('incident_id', '=', incidentId).execute();
  const incidentOf = (id: string) => t.store.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const sweep = () => sweepAlertsOnce({ store: t.store, clock: t.clock, log: t.ctx().log, service, holder: 'test', leaseMs: 45_000 });

  /** The alert is held and paged nobody. */
  const expectHeld = async (summary: string, by: string) => {
    const row = await alertOf(summary);
    expect(row).toMatchObject({ status: 'firing', suppressed_by: by, incident_id: null, group_id: null });
  };
  /** The alert opened (or joined) a triggered incident, and paging created a delivery for it. */
  const expectPaged = async (summary: string) => {
    const row = await alertOf(summary);
    expect(row.suppressed_by).toBeNull();
    expect(row.incident_id).not.toBeNull();
    expect((await incidentOf(row.incident_id!)).status).toBe('triggered');
    await t.paging.worker.drain();
    expect((await deliveriesOf(row.incident_id!)).length).toBeGreaterThan(0);
    return row;
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32' } } });
    admin = (await t.userWithKey('admin')).token;
    service = ingestServiceOf(t.app)!;
    const alice = await t.userWithKey('responder');
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

  it('expiring a silence through the API (amtool silence expire) pages the alert it held at once', async () => {
    const id = await silence([{ name: 'alertname', value: 'DiskFull' }]);
    await notify('DiskFull', ['db-1']);
    await expectHeld('DiskFull on db-1', id);

    const res = await t.app.inject({ method: 'DELETE', url: `/api/v2/silence/${id}`, headers: bearer(admin) });
    expect(res.statusCode, res.body).toBe(200);
    const row = await expectPaged('DiskFull on db-1');
    expect(JSON.parse(row.decision)).toMatchObject({ kind: 'opened-incident', message: expect.stringContaining(`silence ${id} ended`) });
    // Alertmanager's next repeat is what it always was: a repeat of an open alert.
    await notify('DiskFull', ['db-1']);
    expect((await alertOf('DiskFull on db-1')).incident_id).toBe(row.incident_id);
  });

  it('an unchanged repeat of an alert whose silence ran out pages: never a no-op', async () => {
    const id = await silence([{ name: 'alertname', value: 'Latency' }], 10);
    await notify('Latency', ['api-1']);
    await expectHeld('Latency on api-1', id);
    t.clock.advance(5 * MIN);
    await notify('Latency', ['api-1']);
    await expectHeld('Latency on api-1', id);

    // The silence ends; no sweep has run yet. Alertmanager's repeat, same startsAt, pages.
    t.clock.advance(6 * MIN);
    await notify('Latency', ['api-1']);
    await expectPaged('Latency on api-1');
  });

  it('a silence that simply runs out releases its alerts at the next sweep', async () => {
    const id = await silence([{ name: 'alertname', value: 'QueueStuck' }], 10);
    await notify('QueueStuck', ['mq-1']);
    await expectHeld('QueueStuck on mq-1', id);
    t.clock.advance(9 * MIN);
    expect((await sweep())?.released).toBe(0);
    await expectHeld('QueueStuck on mq-1', id);
    t.clock.advance(2 * MIN);
    expect((await sweep())?.released).toBe(1);
    await expectPaged('QueueStuck on mq-1');
    expect((await sweep())?.released).toBe(0);
  });

  it('a released alert joins the open incident of its group', async () => {
    await notify('ErrorRate', ['web-1']);
    const first = await alertOf('ErrorRate on web-1');
    expect(first.incident_id).not.toBeNull();
    const id = await silence([{ name: 'instance', value: 'web-2' }]);
    await notify('ErrorRate', ['web-1', 'web-2']);
    await expectHeld('ErrorRate on web-2', id);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/silences/${id}`, headers: bearer(admin) })).statusCode).toBe(204);
    const second = await alertOf('ErrorRate on web-2');
    expect(second).toMatchObject({ suppressed_by: null, incident_id: first.incident_id, group_id: first.group_id });
    expect(JSON.parse(second.decision).kind).toBe('joined-incident');
  });

  it('stays held by another silence that still matches, and the sweep leaves it alone', async () => {
    const a = await silence([{ name: 'alertname', value: 'Overlap' }]);
    const b = await silence([{ name: 'instance', value: 'x-1' }]);
    await notify('Overlap', ['x-1']);
    await expectHeld('Overlap on x-1', a);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v2/silence/${a}`, headers: bearer(admin) })).statusCode).toBe(200);
    await expectHeld('Overlap on x-1', b);
    expect((await sweep())?.released).toBe(0);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v2/silence/${b}`, headers: bearer(admin) })).statusCode).toBe(200);
    await expectPaged('Overlap on x-1');
  });

  it('a maintenance window that ends releases its alerts at the next sweep; one deleted releases them at once', async () => {
    const now = t.clock.now();
    const window = await post('/api/v1/maintenance-windows', { startsAt: new Date(now - 1000).toISOString(), endsAt: new Date(now + 10 * MIN).toISOString(), reason: 'upgrade' });
    expect(window.statusCode, window.body).toBe(201);
    await pd('replica lag');
    await expectHeld('replica lag', window.json().id);
    t.clock.advance(11 * MIN);
    expect((await sweep())?.released).toBe(1);
    await expectPaged('replica lag');

    const deleted = await post('/api/v1/maintenance-windows', { startsAt: new Date(t.clock.now() - 1000).toISOString(), endsAt: new Date(t.clock.now() + 60 * MIN).toISOString(), reason: 'cancelled later' });
    await pd('disk latency');
    await expectHeld('disk latency', deleted.json().id);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/maintenance-windows/${deleted.json().id}`, headers: bearer(admin) })).statusCode).toBe(204);
    await expectPaged('disk latency');
  });
});
