import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestServiceOf } from '../../src/http/routes/ingest.js';
import { sweepAlertsOnce } from '../../src/ingest/alert-expiry.js';
import type { IngestService } from '../../src/ingest/ingest-service.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from '../paging/receivers.js';

/**
 * A scheduled maintenance silences through the existing silences and alert maintenance
 * windows: an alert matching it during the window is recorded and pages nobody; when the
 * window ends (on its own, or completed early) the alert, still firing, pages.
 */
const MIN = 60_000;
const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

describe.each(DIALECTS)('alerts during scheduled maintenance on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: string;
  let service: IngestService;
  const keys: Record<string, string> = {};

  const post = (url: string, body: unknown, headers: Record<string, string> = bearer(admin)) =>
    t.app.inject({ method: 'POST', url, payload: body as object, headers: { 'content-type': 'application/json', ...headers } });
  const notify = async (name: string, instance: string) => {
    const res = await post(`/ingest/alertmanager/${keys.am}`, {
      receiver: 'firebreak', status: 'firing', version: '4', groupKey: `{}:{alertname="${name}"}`, truncatedAlerts: 0,
      groupLabels: { alertname: name }, commonLabels: { alertname: name }, commonAnnotations: {}, externalURL: 'http://am:9093',
      alerts: [{ status: 'firing', labels: { alertname: name, instance, severity: 'critical' }, annotations: { summary: `${name} on ${instance}` }, startsAt: at(0), endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom:9090/graph' }],
    }, {});
    expect(res.statusCode, res.body).toBe(200);
  };
  const alertOf = (summary: string) => t.store.db.selectFrom('alerts').selectAll().where('summary', '=', summary).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const schedule = async (body: object) => {
    const res = await post('/api/v1/status-pages/acme/maintenances', { name: 'Storage work', components: ['Storage'], remindMinutes: null, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  const maintenance = async (id: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/status-pages/acme/maintenances/${id}`, headers: bearer(admin) })).json();
  const expectPaged = async (summary: string) => {
    const row = await alertOf(summary);
    expect(row.suppressed_by).toBeNull();
    expect(row.incident_id).not.toBeNull();
    await t.paging.worker.drain();
    const deliveries = await t.store.db.selectFrom('deliveries').select('id').where('incident_id', '=', row.incident_id!).execute();
    expect(deliveries.length).toBeGreaterThan(0);
    return row;
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, { start: at(0), paging: { config: { outboundAllow: '127.0.0.1/32' } } });
    admin = (await t.userWithKey('admin')).token;
    service = ingestServiceOf(t.app)!;
    const alice = await t.userWithKey('responder');
    expect((await post('/api/v1/contact-methods', { kind: 'webhook', address: `${receiver.url}/alice` }, bearer(alice.token))).statusCode).toBe(201);
    const policy = await post('/api/v1/escalation-policies', { name: 'Alice', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: alice.userId }] }], severities: ['SEV1', 'SEV2', 'SEV3', 'SEV4'] });
    expect(policy.statusCode, policy.body).toBe(201);
    expect((await post('/api/v1/services', { slug: 'storage', name: 'Storage' })).statusCode).toBe(201);
    for (const [name, format, svc] of [['am', 'alertmanager-webhook', null], ['pd', 'pagerduty-events-v2', 'storage']] as const) {
      const res = await post('/api/v1/integrations', { name, format, ...(svc ? { service: svc } : {}) });
      expect(res.statusCode, res.body).toBe(201);
      keys[name] = res.json().key as string;
    }
    expect((await post('/api/v1/status-pages', { slug: 'acme', name: 'Acme' })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages/acme/components', { name: 'Storage' })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('a matching alert pages nobody during the window and pages after it ends on its own if still firing', async () => {
    const { id } = await schedule({ scheduledFor: at(10), scheduledUntil: at(70), matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }] });
    t.clock.set(T0 + 10 * MIN);
    await t.paging.worker.drain();
    const running = await maintenance(id);
    expect(running.status).toBe('in_progress');

    await notify('DiskFull', 'db-1');
    const held = await alertOf('DiskFull on db-1');
    expect(held).toMatchObject({ status: 'firing', suppressed_by: running.silenceId, incident_id: null });
    expect(JSON.parse(held.decision)).toMatchObject({ kind: 'silenced' });
    // An alert the maintenance does not match pages as ever.
    await notify('CpuHot', 'web-1');
    await expectPaged('CpuHot on web-1');
    await t.paging.worker.drain();
    expect((await alertOf('DiskFull on db-1')).incident_id).toBeNull();

    // Its end: the timer completes it; the silence is over; the sweep releases the alert.
    t.clock.set(T0 + 70 * MIN);
    await t.paging.worker.drain();
    expect((await maintenance(id)).status).toBe('completed');
    expect((await sweepAlertsOnce({ store: t.store, clock: t.clock, log: t.ctx().log, service, holder: 'test', leaseMs: 45_000 }))?.released).toBe(1);
    const paged = await expectPaged('DiskFull on db-1');
    expect(JSON.parse(paged.decision)).toMatchObject({ kind: 'opened-incident', message: expect.stringContaining(`silence ${running.silenceId} ended`) });
  });

  it('a service in maintenance holds its alerts; completing early pages the held ones at once', async () => {
    const { id } = await schedule({ scheduledFor: at(80), scheduledUntil: at(200), services: ['storage'] });
    t.clock.set(T0 + 80 * MIN);
    await t.paging.worker.drain();
    const running = await maintenance(id);
    expect(running.windowId).toMatch(/^mw_/);
    const res = await post('/v2/enqueue', { routing_key: keys.pd, event_action: 'trigger', dedup_key: 'vol-full', payload: { summary: 'Volume full', source: 'st-1', severity: 'critical' } }, {});
    expect(res.statusCode, res.body).toBe(202);
    expect(await alertOf('Volume full')).toMatchObject({ suppressed_by: running.windowId, incident_id: null });

    t.clock.advance(5 * MIN);
    expect((await post(`/api/v1/status-pages/acme/maintenances/${id}/complete`, { body: 'Finished early.' })).statusCode).toBe(200);
    // No sweep: the request released it.
    await expectPaged('Volume full');
  });
});
