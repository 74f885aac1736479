import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { newId } from '../../src/core/ids.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 15, the alerts console's API: alert search (status incl. suppressed, integration, label
 * matchers, time range, keyset pages that neither skip nor repeat), the alert detail (integration
 * name, incident, redacted raw payload), the silence preview, and maintenance windows that can be
 * edited and ended; every refusal a 4xx naming the field.
 */
const MIN = 60_000;

describe.each(DIALECTS)('alert search, silence preview and maintenance windows on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let amId = '';
  let pdId = '';
  const keys: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: bearer(admin), ...(payload === undefined ? {} : { payload: payload as object }) });
  const notify = async (alerts: { name: string; instance: string; env?: string; status?: 'firing' | 'resolved' }[]) => {
    const res = await t.app.inject({
      method: 'POST', url: `/ingest/alertmanager/${keys.am}`, headers: { 'content-type': 'application/json' },
      payload: {
        receiver: 'firebreak', status: 'firing', version: '4', groupKey: '{}:{}', truncatedAlerts: 0, groupLabels: {}, commonLabels: {}, commonAnnotations: {},
        externalURL: 'http://am:9093',
        alerts: alerts.map((a) => ({
          status: a.status ?? 'firing', labels: { alertname: a.name, instance: a.instance, env: a.env ?? 'prod', severity: 'critical' }, annotations: { summary: `${a.name} on ${a.instance}` },
          startsAt: '2026-03-01T09:55:00.000Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom:9090/graph',
        })),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  type Listed = { alerts: { id: string; summary: string; status: string; labels: Record<string, string> }[]; next: string | null; scanLimited: boolean };
  const list = async (query: string): Promise<Listed> => {
    const res = await call('GET', `/api/v1/alerts?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Listed;
  };
  const summaries = async (query: string) => (await list(query)).alerts.map((a) => a.summary);
  const startedAt = { t0: 0, t1: 0 };

  beforeAll(async () => {
    // Later than the real clock: ids are monotonic ULIDs, so alert ids carry this clock's time
    // only once it is ahead of every id the process made before (the real clock, the other dialect's run).
    t = await createTestApp(dialect, { start: `${2031 + DIALECTS.indexOf(dialect)}-03-01T10:00:00Z` });
    admin = (await t.userWithKey('admin')).token;
    const am = await call('POST', '/api/v1/integrations', { name: 'prom-eu', format: 'alertmanager-webhook' });
    ({ key: keys.am, id: amId } = am.json() as { key: string; id: string });
    const pd = await call('POST', '/api/v1/integrations', { name: 'pd-client', format: 'pagerduty-events-v2' });
    expect(pd.statusCode, pd.body).toBe(201);
    ({ key: keys.pd, id: pdId } = pd.json() as { key: string; id: string });
    expect((await call('POST', '/api/v1/services', { slug: 'db', name: 'Database' })).statusCode).toBe(201);

    const silence = await call('POST', '/api/v1/silences', { matchers: 'alertname="Quiet"', endsAt: new Date(t.clock.now() + 60 * MIN).toISOString(), comment: 'deploy' });
    expect(silence.statusCode, silence.body).toBe(200);
    startedAt.t0 = t.clock.now();
    await notify([{ name: 'DiskFull', instance: 'db-1' }, { name: 'DiskFull', instance: 'db-2', env: 'stage' }, { name: 'Quiet', instance: 'db-1' }, { name: 'Gone', instance: 'db-3' }]);
    t.clock.advance(10 * MIN);
    startedAt.t1 = t.clock.now();
    await notify([{ name: 'Gone', instance: 'db-3', status: 'resolved' }, { name: 'Later', instance: 'db-9' }]);
    const event = await t.app.inject({
      method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' },
      payload: { routing_key: keys.pd, event_action: 'trigger', dedup_key: 'pd-1', payload: { summary: 'Checkout errors', source: 'web-1', severity: 'critical', custom_details: { api_key: 'sk-live-abcdef123456' } } },
    });
    expect(event.statusCode, event.body).toBe(202);
  });
  afterAll(async () => t?.close());

  it('lists newest first and filters by status, suppressed included', async () => {
    expect(await summaries('')).toEqual(['Checkout errors', 'Later on db-9', 'Gone on db-3', 'Quiet on db-1', 'DiskFull on db-2', 'DiskFull on db-1']);
    expect(await summaries('status=resolved')).toEqual(['Gone on db-3']);
    expect(await summaries('status=suppressed')).toEqual(['Quiet on db-1']);
    expect(await summaries('status=firing')).toEqual(['Checkout errors', 'Later on db-9', 'Quiet on db-1', 'DiskFull on db-2', 'DiskFull on db-1']);
    expect(await summaries('status=open')).toEqual(['Checkout errors', 'Later on db-9', 'Quiet on db-1', 'DiskFull on db-2', 'DiskFull on db-1']);
  });

  it('filters by integration, label matchers and the time it was first received', async () => {
    expect(await summaries(`integration=${pdId}`)).toEqual(['Checkout errors']);
    expect(await summaries(`integration=${amId}&status=firing`)).toEqual(['Later on db-9', 'Quiet on db-1', 'DiskFull on db-2', 'DiskFull on db-1']);
    expect(await summaries(`matchers=${encodeURIComponent('alertname="DiskFull", env!="stage"')}`)).toEqual(['DiskFull on db-1']);
    expect(await summaries(`matchers=${encodeURIComponent('{instance=~"db-[12]"}')}&status=firing`)).toEqual(['Quiet on db-1', 'DiskFull on db-2', 'DiskFull on db-1']);
    expect(await summaries(`matchers=${encodeURIComponent('alertname!~"Disk.*|Quiet"')}&status=resolved`)).toEqual(['Gone on db-3']);
    expect(await summaries(`until=${new Date(startedAt.t1).toISOString()}`)).toEqual(['Gone on db-3', 'Quiet on db-1', 'DiskFull on db-2', 'DiskFull on db-1']);
    expect(await summaries(`since=${new Date(startedAt.t1).toISOString()}`)).toEqual(['Checkout errors', 'Later on db-9']);
  });

  it('pages by keyset: every alert once, in order, through each path', async () => {
    for (const filter of ['', 'status=firing', `matchers=${encodeURIComponent('severity="critical"')}`]) {
      const all = (await list(filter)).alerts.map((a) => a.id);
      const seen: string[] = [];
      let before: string | null = null;
      for (let i = 0; i < 10; i += 1) {
        const page: Listed = await list(`${filter}&limit=2${before ? `&before=${before}` : ''}`);
        seen.push(...page.alerts.map((a) => a.id));
        if (!page.next) break;
        before = page.next;
      }
      expect(seen, filter).toEqual(all);
    }
  });

  it('reads past more alerts than one chunk with matchers, and stops at its bound with a cursor', async () => {
    // Resolved rows written straight to the table (as old history would be): 1 200 of them,
    // older than every alert above, one in 400 carrying the label searched for.
    const base = Date.parse('2026-02-01T00:00:00Z');
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      id: `alr_${ulid(base + i * 1000).toLowerCase()}`, integration_id: amId, dedup_key: `old-${i}`, status: 'resolved', summary: `old ${i}`, description: null, severity_raw: null, severity: null,
      labels: JSON.stringify({ alertname: 'Old', shard: i % 400 === 0 ? 'needle' : 'hay' }), annotations: '{}', source: null, generator_url: null, runbook_url: null, group_key: null,
      group_id: null, service_id: null, incident_id: null, suppressed_by: null, decision: JSON.stringify({ kind: 'resolved', message: '' }), started_at: null,
      first_seen_at: base + i * 1000, last_seen_at: base + i * 1000, acknowledged_at: null, resolved_at: base + i * 1000 + 1, count: 1, flapping: 0, raw_payload_id: null,
    }));
    for (let i = 0; i < rows.length; i += 200) await t.store.db.insertInto('alerts').values(rows.slice(i, i + 200)).execute();
    const page = await list(`matchers=${encodeURIComponent('shard="needle"')}`);
    expect(page.alerts.map((a) => a.summary)).toEqual(['old 800', 'old 400', 'old 0']);
    expect(page.next).toBeNull();
    const paged = await list(`matchers=${encodeURIComponent('shard="needle"')}&limit=2`);
    expect(paged.alerts.map((a) => a.summary)).toEqual(['old 800', 'old 400']);
    expect((await list(`matchers=${encodeURIComponent('shard="needle"')}&before=${paged.next}`)).alerts.map((a) => a.summary)).toEqual(['old 0']);
    expect(await summaries(`until=${new Date(base + 3000).toISOString()}`)).toEqual(['old 2', 'old 1', 'old 0']);
  });

  it('refuses bad search input with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['status=sleeping', 'query.status'],
      [`matchers=${encodeURIComponent('alertname=~"(unclosed"')}`, 'matchers'],
      [`matchers=${encodeURIComponent('alertname')}`, 'matchers'],
      ['since=yesterday', 'query.since'],
      [`since=${new Date(startedAt.t1).toISOString()}&until=${new Date(startedAt.t0).toISOString()}`, 'until'],
      ['limit=0', 'query.limit'],
    ];
    for (const [query, field] of cases) {
      const res = await call('GET', `/api/v1/alerts?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect((res.json() as { issues: { field: string }[] }).issues.map((i) => i.field), query).toContain(field);
    }
  });

  it('shows one alert with its integration, incident and a raw payload without the credentials', async () => {
    const [pdAlert] = (await list(`integration=${pdId}`)).alerts;
    const res = await call('GET', `/api/v1/alerts/${pdAlert!.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as { integrationName: string; incident: { number: number; title: string } | null; rawPayload: { body: string } };
    expect(detail.integrationName).toBe('pd-client');
    expect(detail.incident).toMatchObject({ number: expect.any(Number), title: expect.any(String) });
    expect(detail.rawPayload.body).toContain('Checkout errors');
    expect(detail.rawPayload.body).not.toContain(keys.pd);
    expect(detail.rawPayload.body).not.toContain('sk-live-abcdef123456');
    const quiet = (await list('status=suppressed')).alerts[0]!;
    expect(((await call('GET', `/api/v1/alerts/${quiet.id}`)).json() as { incident: unknown }).incident).toBeNull();
    expect((await call('GET', '/api/v1/alerts/alr_nope')).statusCode).toBe(404);
  });

  it('previews what a silence would hold, checked as saving checks it', async () => {
    const res = await call('POST', '/api/v1/silences/preview', { matchers: 'alertname="DiskFull"' });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json() as { total: number; alerts: { labels: Record<string, string>; state: string }[]; matchers: unknown[] };
    expect(preview.total).toBe(2);
    expect(preview.alerts.map((a) => a.labels.instance).sort()).toEqual(['db-1', 'db-2']);
    expect(preview.matchers).toEqual([{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }]);
    const api = await call('POST', '/api/v1/silences/preview', { matchers: [{ name: 'instance', value: 'db-1', isRegex: false }] });
    expect((api.json() as { alerts: { labels: Record<string, string>; state: string }[] }).alerts.map((a) => `${a.labels.alertname}:${a.state}`).sort()).toEqual(['DiskFull:active', 'Quiet:suppressed']);
    expect((await call('POST', '/api/v1/silences/preview', { matchers: 'alertname="Nothing"' })).json()).toMatchObject({ total: 0, alerts: [] });
    for (const [matchers, field] of [['env=~".*"', 'matchers'], ['alertname=~"(x"', 'matchers'], [[{ name: '', value: 'x', isRegex: false }], 'matchers.0.name']] as const) {
      const bad = await call('POST', '/api/v1/silences/preview', { matchers });
      expect(bad.statusCode, JSON.stringify(matchers)).toBe(400);
      expect((bad.json() as { issues: { field: string }[] }).issues.map((i) => i.field)).toContain(field);
    }
  });

  it('creates, edits and ends a maintenance window; refuses what cannot be done, naming the field', async () => {
    const now = t.clock.now();
    const created = await call('POST', '/api/v1/maintenance-windows', { services: ['db'], startsAt: new Date(now + 60 * MIN).toISOString(), endsAt: new Date(now + 120 * MIN).toISOString(), reason: 'upgrade' });
    expect(created.statusCode, created.body).toBe(201);
    const w = created.json() as { id: string; state: string; services: string[] };
    expect(w.state).toBe('pending');
    const edited = await call('PATCH', `/api/v1/maintenance-windows/${w.id}`, { reason: 'PostgreSQL 17 upgrade', endsAt: new Date(now + 180 * MIN).toISOString(), services: [] });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ reason: 'PostgreSQL 17 upgrade', endsAt: new Date(now + 180 * MIN).toISOString(), services: [], state: 'pending' });

    const badEnd = await call('PATCH', `/api/v1/maintenance-windows/${w.id}`, { endsAt: new Date(now + 30 * MIN).toISOString() });
    expect(badEnd.statusCode).toBe(400);
    expect(badEnd.json().issues[0].field).toBe('endsAt');
    const unknown = await call('PATCH', `/api/v1/maintenance-windows/${w.id}`, { services: ['nope'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().issues[0].field).toBe('services.0');
    const extra = await call('PATCH', `/api/v1/maintenance-windows/${w.id}`, { colour: 'red' });
    expect(extra.statusCode).toBe(400);

    t.clock.advance(61 * MIN);
    expect((await call('GET', `/api/v1/maintenance-windows/${w.id}`)).json().state).toBe('active');
    const moveStart = await call('PATCH', `/api/v1/maintenance-windows/${w.id}`, { startsAt: new Date(t.clock.now() + MIN).toISOString() });
    expect(moveStart.statusCode).toBe(400);
    expect(moveStart.json().issues[0].field).toBe('startsAt');

    const ended = await call('POST', `/api/v1/maintenance-windows/${w.id}/end`, {});
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ state: 'ended', active: false, endsAt: new Date(t.clock.now()).toISOString() });
    expect((await call('POST', `/api/v1/maintenance-windows/${w.id}/end`, {})).statusCode).toBe(409);
    expect((await call('PATCH', `/api/v1/maintenance-windows/${w.id}`, { reason: 'again' })).statusCode).toBe(409);
    expect((await call('GET', '/api/v1/maintenance-windows')).json().items.find((i: { id: string }) => i.id === w.id).state).toBe('ended');
    expect((await call('POST', '/api/v1/maintenance-windows/mw_nope/end', {})).statusCode).toBe(404);

    // A pending window ended never starts.
    const later = (await call('POST', '/api/v1/maintenance-windows', { startsAt: new Date(t.clock.now() + 60 * MIN).toISOString(), endsAt: new Date(t.clock.now() + 90 * MIN).toISOString(), reason: 'later' })).json() as { id: string };
    expect((await call('POST', `/api/v1/maintenance-windows/${later.id}/end`, {})).json()).toMatchObject({ state: 'ended' });

    // One a scheduled maintenance made is changed through that maintenance only.
    const owned = newId('mw', t.clock.now());
    await t.store.db.insertInto('maintenance_windows').values({ id: owned, service_ids: '[]', starts_at: t.clock.now(), ends_at: t.clock.now() + 60 * MIN, reason: 'x', created_by: 'maintenance maint_01abc', created_at: t.clock.now() }).execute();
    const refused = await call('POST', `/api/v1/maintenance-windows/${owned}/end`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('maint_01abc');
  });

  it('lets a reader search and preview but not change windows', async () => {
    const reader = (await t.userWithKey('viewer')).token;
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/alerts?status=firing', headers: bearer(reader) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/silences/preview', headers: bearer(reader), payload: { matchers: 'a="b"' } })).statusCode).toBe(200);
    const windows = (await call('GET', '/api/v1/maintenance-windows')).json().items as { id: string }[];
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/maintenance-windows/${windows[0]!.id}/end`, headers: bearer(reader), payload: {} })).statusCode).toBe(403);
  });
});
