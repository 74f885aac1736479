import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expirySignal } from '../../src/domain/alerts/expire-alerts.js';
import { takeJobLease } from '../../src/domain/jobs/job-lease.js';
import { ingestServiceOf } from '../../src/http/routes/ingest.js';
import { ALERT_EXPIRY_JOB, expireAlertsOnce } from '../../src/ingest/alert-expiry.js';
import type { IngestService } from '../../src/ingest/ingest-service.js';
import { emptyResult } from '../../src/domain/alerts/signal.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Alertmanager API semantics: an alert posted to /api/v2/alerts resolves itself when its endsAt
 * passes without a re-post (no endsAt: after resolve_timeout, 5 min). The expiry job resolves it
 * through the normal pipeline, so its incident resolves and says why.
 */
const MIN = 60_000;

describe.each(DIALECTS)('alert expiry by endsAt on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let key: string;
  let service: IngestService;
  const iso = (ms: number) => new Date(ms).toISOString();
  const post = (alerts: unknown[]) => t.app.inject({ method: 'POST', url: '/api/v2/alerts', headers: { ...bearer(key), 'content-type': 'application/json' }, payload: alerts });
  const sweep = (holder = 'instance-a') => expireAlertsOnce({ store: t.store, clock: t.clock, log: t.ctx().log, service, holder, leaseMs: 45_000 });
  const alert = (name: string) => t.store.db.selectFrom('alerts').selectAll().where('summary', '=', name).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const incident = (id: string) => t.store.db.selectFrom('incidents').select(['status', 'number']).where('id', '=', id).executeTakeFirstOrThrow();
  const timeline = (id: string) => t.store.db.selectFrom('timeline_events').select(['kind', 'body']).where('incident_id', '=', id).orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestApp(dialect, { start: '2026-03-01T10:00:00Z' });
    admin = (await t.userWithKey('admin')).token;
    service = ingestServiceOf(t.app)!;
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', payload: { name: 'prometheus', format: 'alertmanager-api', settings: { grouping: 'alert' } }, headers: bearer(admin) });
    key = made.json().key as string;
  });
  afterAll(() => t?.close());

  it('resolves an alert Prometheus stopped posting once its last endsAt passed, never before, and resolves its incident', async () => {
    const t0 = t.clock.now();
    expect((await post([{ labels: { alertname: 'DiskFull', instance: 'db-1' }, startsAt: iso(t0), endsAt: iso(t0 + 4 * MIN) }])).statusCode).toBe(200);
    const first = await alert('DiskFull');
    expect(first.status).toBe('firing');
    expect(first.ends_at).toBeGreaterThanOrEqual(t0 + 4 * MIN);

    // Re-posted at +3 min with endsAt +7 min: the expiry moves; the last post is remembered.
    t.clock.set(t0 + 3 * MIN);
    await post([{ labels: { alertname: 'DiskFull', instance: 'db-1' }, startsAt: iso(t0), endsAt: iso(t0 + 7 * MIN) }]);
    expect((await alert('DiskFull')).ends_at).toBeGreaterThanOrEqual(t0 + 7 * MIN);

    t.clock.set(t0 + 7 * MIN - 1);
    expect(await sweep()).toBe(0);
    expect((await alert('DiskFull')).status).toBe('firing');

    t.clock.set(t0 + 8 * MIN);
    expect(await sweep()).toBe(1);
    const expired = await alert('DiskFull');
    expect(expired.status).toBe('resolved');
    expect(expired.resolved_at).toBe(t0 + 8 * MIN);
    expect(JSON.parse(expired.decision)).toBeTruthy();
    expect((await incident(expired.incident_id!)).status).toBe('resolved');
    const events = await timeline(expired.incident_id!);
    expect(events.at(-1)).toMatchObject({ kind: 'status_changed', body: `Resolved: all of its alerts resolved; the last one expired: no update since ${iso(t0 + 3 * MIN)}` });
    const raw = await t.store.db.selectFrom('raw_payloads').select('outcome').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(raw.outcome).decisions[0]).toMatchObject({ kind: 'resolved', message: `alert expired: no update since ${iso(t0 + 3 * MIN)}; it was the last open alert, so its incident resolved` });
    // Nothing left to do.
    expect(await sweep()).toBe(0);
  });

  it('expires an alert posted without endsAt after resolve_timeout (5 min), and a re-post keeps it alive', async () => {
    const t0 = t.clock.now();
    await post([{ labels: { alertname: 'NoEnd', job: 'amtool' } }]);
    t.clock.set(t0 + 4 * MIN);
    await post([{ labels: { alertname: 'NoEnd', job: 'amtool' } }]);
    t.clock.set(t0 + 8 * MIN);
    expect(await sweep()).toBe(0);
    expect((await alert('NoEnd')).status).toBe('firing');
    t.clock.set(t0 + 10 * MIN);
    expect(await sweep()).toBe(1);
    expect((await alert('NoEnd')).status).toBe('resolved');
  });

  it('keeps the incident open while another of its alerts is still posted', async () => {
    const t0 = t.clock.now();
    await t.app.inject({ method: 'PATCH', url: '/api/v1/integrations/prometheus', payload: { settings: { grouping: 'labels', groupBy: ['alertname'] } }, headers: bearer(admin) });
    service.invalidateKeys();
    await post([
      { labels: { alertname: 'HighLatency', instance: 'a' }, endsAt: iso(t0 + 4 * MIN) },
      { labels: { alertname: 'HighLatency', instance: 'b' }, endsAt: iso(t0 + 4 * MIN) },
    ]);
    t.clock.set(t0 + 3 * MIN);
    await post([{ labels: { alertname: 'HighLatency', instance: 'b' }, endsAt: iso(t0 + 7 * MIN) }]);
    t.clock.set(t0 + 5 * MIN + 30_000);
    expect(await sweep()).toBe(1);
    const rows = await t.store.db.selectFrom('alerts').select(['labels', 'status', 'incident_id']).where('summary', '=', 'HighLatency').execute();
    expect(rows.map((r) => [JSON.parse(r.labels).instance, r.status]).sort()).toEqual([['a', 'resolved'], ['b', 'firing']]);
    expect((await incident(rows[0]!.incident_id!)).status).toBe('triggered');
    t.clock.set(t0 + 9 * MIN);
    expect(await sweep()).toBe(1);
    expect((await incident(rows[0]!.incident_id!)).status).toBe('resolved');
  });

  it('does not resolve an alert re-posted after the job looked (the planner re-checks the expiry)', async () => {
    const t0 = t.clock.now();
    await post([{ labels: { alertname: 'Raced', instance: 'x' }, endsAt: iso(t0 + 4 * MIN) }]);
    const row = await alert('Raced');
    // The job's stale view: a resolve for an alert whose stored expiry is still ahead.
    const outcome = await service.submit({
      integration: { id: row.integration_id, format: 'alertmanager-api', serviceId: null, settings: (await t.app.inject({ method: 'GET', url: '/api/v1/integrations/prometheus', headers: bearer(admin) })).json().settings, repeatsAreNoops: true },
      result: { ...emptyResult('alertmanager-api', { status: 200, body: null }), signals: [expirySignal(row.dedup_key, row.summary, JSON.parse(row.labels), row.last_seen_at, t0)] },
      rawBody: '',
    });
    expect(outcome.decisions[0]).toMatchObject({ kind: 'duplicate', message: 'expiry skipped: the alert was posted again since' });
    expect((await alert('Raced')).status).toBe('firing');
  });

  it('runs on one instance at a time: the lease holder sweeps, others skip until it lapses', async () => {
    const t0 = t.clock.now();
    await post([{ labels: { alertname: 'Leased', instance: 'y' }, endsAt: iso(t0 + MIN) }]);
    t.clock.set(t0 + 3 * MIN);
    expect(await takeJobLease(t.store.db, { name: ALERT_EXPIRY_JOB, holder: 'instance-b', now: t.clock.now(), ttlMs: 45_000 })).toBe(true);
    expect(await sweep('instance-a')).toBe(0);
    expect((await alert('Leased')).status).toBe('firing');
    t.clock.advance(45_000);
    expect(await sweep('instance-a')).toBe(1);
    expect((await alert('Leased')).status).toBe('resolved');

    // Instances racing for a free lease on separate connections: exactly one wins.
    const others = [t.db.openAnother(), t.db.openAnother(), t.db.openAnother()];
    t.clock.advance(60_000);
    const now = t.clock.now();
    const wins = await Promise.all([t.store, ...others].map((s, i) => takeJobLease(s.db, { name: 'race-test', holder: `h${i}`, now, ttlMs: 10_000 })));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });
});
