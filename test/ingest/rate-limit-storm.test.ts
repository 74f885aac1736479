import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue #11 item 18: per-integration rate limits answered in each sender's retry semantics
 * (Alertmanager retries only 5xx), nothing stored for a refused request; and the storm guard,
 * which turns a flood of new incidents from one integration into one paged storm incident.
 */

const fixture = (format: string, name: string): string => readFileSync(new URL(`../fixtures/ingest/${format}/${name}`, import.meta.url), 'utf8');
const GENERIC_MAPPING = { dedupKey: '$.event.id', summary: '$.event.monitor.name', severity: '$.event.severity', status: '$.event.type', resolvedValues: ['up'], labels: '$.tags', url: '$.event.monitor.url', startedAt: '$.event.at' };
// One request per 100 s after a burst of 2: the third request in the test is refused.
const TIGHT = { perSecond: 0.01, burst: 2 };

describe.each(DIALECTS)('ingest rate limits (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { app: { ingestDefaults: { rateLimit: { perSecond: 0.01, burst: 1 }, storm: null } } });
    admin = (await t.userWithKey('admin')).token;
  });
  afterAll(async () => t?.close());

  const createIntegration = async (name: string, format: string, settings: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name, format, settings } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; key: string };
  };
  const stored = async (integrationId: string) => ({
    raw: (await t.store.db.selectFrom('raw_payloads').select('id').where('integration_id', '=', integrationId).execute()).length,
    alerts: (await t.store.db.selectFrom('alerts').select(['id', 'count', 'last_seen_at']).where('integration_id', '=', integrationId).orderBy('id').execute()),
  });

  type Sender = (key: string) => { method?: 'POST' | 'PUT' | 'GET'; url: string; payload?: string; headers?: Record<string, string> };
  const cases: [string, string, Record<string, unknown>, Sender, number, number][] = [
    ['alertmanager-webhook', 'alertmanager-webhook', {}, (k) => ({ url: `/ingest/alertmanager/${k}`, payload: fixture('alertmanager-webhook', 'firing-single.json') }), 200, 503],
    ['alertmanager-api', 'alertmanager-api', {}, (k) => ({ url: '/api/v2/alerts', payload: fixture('alertmanager-api', 'prometheus-batch.json'), headers: { authorization: `Bearer ${k}` } }), 200, 503],
    ['pagerduty', 'pagerduty-events-v2', {}, (k) => ({ url: '/v2/enqueue', payload: JSON.stringify({ ...JSON.parse(fixture('pagerduty-events-v2', 'doc-trigger.json')), routing_key: k }) }), 202, 429],
    ['opsgenie', 'opsgenie', {}, (k) => ({ url: '/v2/alerts', payload: fixture('opsgenie', 'am-create.json'), headers: { authorization: `GenieKey ${k}` } }), 202, 429],
    ['generic', 'generic-webhook', { mapping: GENERIC_MAPPING }, (k) => ({ url: `/ingest/generic/${k}`, payload: fixture('generic-webhook', 'uptime-monitor.json') }), 202, 429],
    ['grafana', 'grafana-webhook', {}, (k) => ({ url: `/ingest/grafana/${k}`, payload: fixture('grafana-webhook', 'firing.json') }), 200, 429],
    ['heartbeat', 'heartbeat', { heartbeat: { intervalSeconds: 60 } }, (k) => ({ method: 'GET', url: `/ingest/heartbeat/${k}` }), 200, 429],
  ];

  it.each(cases)('%s: over its limit answers the sender’s retry status with Retry-After and stores nothing', async (name, format, settings, sender, okStatus, limitedStatus) => {
    const integration = await createIntegration(`rl-${name}`, format, { ...settings, rateLimit: TIGHT });
    const send = () => {
      const r = sender(integration.key);
      return t.app.inject({ method: r.method ?? 'POST', url: r.url, ...(r.payload === undefined ? {} : { payload: r.payload }), headers: { 'content-type': 'application/json', ...r.headers } });
    };
    for (let i = 0; i < TIGHT.burst; i++) expect((await send()).statusCode, name).toBe(okStatus);
    const before = await stored(integration.id);
    const limited = await send();
    expect(limited.statusCode, limited.body).toBe(limitedStatus);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(50);
    expect(retryAfter).toBeLessThanOrEqual(100);
    if (format === 'pagerduty-events-v2') expect(limited.json().status).toBe('throttled');
    if (format === 'opsgenie') expect(limited.json()).toMatchObject({ message: expect.stringContaining('rate limit') });
    expect(await stored(integration.id)).toEqual(before);
  });

  it('the instance default applies to integrations that set no limit; null turns it off', async () => {
    const byDefault = await createIntegration('rl-default', 'pagerduty-events-v2', {});
    const unlimited = await createIntegration('rl-off', 'pagerduty-events-v2', { rateLimit: null });
    const event = (key: string, i: number) => JSON.stringify({ routing_key: key, event_action: 'trigger', dedup_key: `d${i}`, payload: { summary: `s${i}`, source: 'x', severity: 'info' } });
    const post = (key: string, i: number) => t.app.inject({ method: 'POST', url: '/v2/enqueue', payload: event(key, i), headers: { 'content-type': 'application/json' } });
    expect((await post(byDefault.key, 1)).statusCode).toBe(202);
    expect((await post(byDefault.key, 2)).statusCode).toBe(429);
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => post(unlimited.key, i)));
    expect(statuses.map((r) => r.statusCode)).toEqual(Array(30).fill(202));
    expect((await stored(unlimited.id)).alerts).toHaveLength(30);
  });
});

describe.each(DIALECTS)('storm guard (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let integration: { id: string; key: string };

  beforeAll(async () => {
    // The instance defaults: rate limit 100/s (burst 1000) and storm guard 20 incidents a minute.
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    const responder = await t.userWithKey('responder');
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: bearer(admin) });
    const policy = await post('/api/v1/escalation-policies', { name: 'storm policy', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: responder.userId }] }] });
    expect(policy.statusCode, policy.body).toBe(201);
    expect((await post('/api/v1/services', { slug: 'edge', name: 'Edge', escalationPolicy: 'storm policy' })).statusCode).toBe(201);
    const created = await post('/api/v1/integrations', { name: 'flood', format: 'pagerduty-events-v2', service: 'edge' });
    expect(created.statusCode, created.body).toBe(201);
    integration = created.json();
  });
  afterAll(async () => t?.close());

  const trigger = (i: number) => t.app.inject({
    method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ routing_key: integration.key, event_action: 'trigger', dedup_key: `host-${i}`, payload: { summary: `host-${i} down`, source: `host-${i}`, severity: 'critical' } }),
  });
  const incidents = () => t.store.db.selectFrom('incidents').select(['id', 'title']).execute();
  const timeline = (kind: string) => t.store.db.selectFrom('timeline_events').select(['incident_id', 'body', 'data']).where('kind', '=', kind).execute();

  it('200 distinct alerts in a burst open a bounded number of incidents and pages; every alert is stored', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => trigger(i)));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(200).fill(202));
    await t.paging.worker.drain();

    const all = await incidents();
    expect(all).toHaveLength(21); // 20 within the guard, then one storm incident
    const storm = all.find((i) => i.title.startsWith('Alert storm'))!;
    expect(storm.title).toBe('Alert storm from flood');
    const alerts = await t.store.db.selectFrom('alerts').select(['incident_id']).where('integration_id', '=', integration.id).execute();
    expect(alerts).toHaveLength(200);
    expect(alerts.every((a) => a.incident_id !== null)).toBe(true);
    expect(alerts.filter((a) => a.incident_id === storm.id)).toHaveLength(180);

    const paged = await timeline('paged');
    expect(paged).toHaveLength(21);
    expect(paged.filter((p) => p.incident_id === storm.id)).toHaveLength(1);

    // The timeline says it is a storm and how many alerts joined.
    const declared = (await timeline('declared')).find((e) => e.incident_id === storm.id)!;
    expect(declared.body).toContain('Alert storm');
    const joinedAtOpen = (JSON.parse(declared.data) as { storm: { alerts: number } }).storm.alerts;
    const joinedLater = (await timeline('alert_storm')).filter((e) => e.incident_id === storm.id).map((e) => (JSON.parse(e.data) as { joined: number }).joined);
    expect(joinedAtOpen + joinedLater.reduce((a, b) => a + b, 0)).toBe(180);
  });

  it('a new alert later, while the storm incident is open, joins it without a page', async () => {
    t.clock.advance(5 * 60_000);
    expect((await trigger(1000)).statusCode).toBe(202);
    await t.paging.worker.drain();
    expect(await incidents()).toHaveLength(21);
    expect(await timeline('paged')).toHaveLength(21);
    const last = (await timeline('alert_storm')).at(-1)!;
    expect(last.body).toMatch(/^1 more alert joined this alert storm \(181 open in it now\)/);
  });
});
