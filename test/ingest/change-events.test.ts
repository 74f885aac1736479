import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * PagerDuty change events (`POST /v2/change/enqueue`): never an alert, never a page; recorded on
 * the integration's service, appended to the timeline of its open incidents, and listed as the
 * service's recent changes and an incident's related changes.
 */
describe.each(DIALECTS)('PagerDuty change events on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let key: string;
  let orphanKey: string;
  const json = { 'content-type': 'application/json' };
  const enqueue = (payload: object) => t.app.inject({ method: 'POST', url: '/v2/enqueue', headers: json, payload });
  const change = (payload: object) => t.app.inject({ method: 'POST', url: '/v2/change/enqueue', headers: json, payload });
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(admin) });
  const incidentOf = async (dedupKey: string) => (await t.store.db.selectFrom('alerts').innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
    .select(['incidents.id', 'incidents.number', 'incidents.status']).where('alerts.dedup_key', '=', dedupKey).orderBy('alerts.id', 'desc').executeTakeFirstOrThrow());
  const timeline = (incidentId: string) => t.store.db.selectFrom('timeline_events').select(['kind', 'body', 'data']).where('incident_id', '=', incidentId).orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestApp(dialect, { start: '2026-03-01T10:00:00Z' });
    admin = (await t.userWithKey('admin')).token;
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/services', payload: { slug: 'payments', name: 'Payments' }, headers: bearer(admin) })).statusCode).toBe(201);
    key = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', payload: { name: 'pd-payments', format: 'pagerduty-events-v2', service: 'payments', settings: { grouping: 'alert' } }, headers: bearer(admin) })).json().key;
    orphanKey = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', payload: { name: 'pd-nowhere', format: 'pagerduty-events-v2' }, headers: bearer(admin) })).json().key;
  });
  afterAll(() => t?.close());

  it('appends a change to the timeline of the service\'s open incidents only, with its links', async () => {
    // One incident that is over, one still open.
    await enqueue({ routing_key: key, event_action: 'trigger', dedup_key: 'old', payload: { summary: 'Old trouble', source: 'api-1', severity: 'error' } });
    t.clock.advance(60_000);
    await enqueue({ routing_key: key, event_action: 'resolve', dedup_key: 'old' });
    t.clock.advance(60_000);
    await enqueue({ routing_key: key, event_action: 'trigger', dedup_key: 'now', payload: { summary: 'Payments failing', source: 'api-1', severity: 'critical' } });
    const old = await incidentOf('old');
    const open = await incidentOf('now');
    expect([old.status, open.status]).toEqual(['resolved', 'triggered']);

    t.clock.advance(60_000);
    const res = await change({
      routing_key: key,
      payload: { summary: 'Deploy v1.2.3 by ci', source: 'github-actions', timestamp: '2026-03-01T10:02:30Z', custom_details: { build: 812, sha: 'abc123' } },
      links: [{ href: 'https://github.com/acme/payments/releases/v1.2.3', text: 'Release v1.2.3' }, { href: 'https://ci.example.com/812' }],
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'success', message: 'Change event processed' });

    const events = await timeline(open.id);
    const line = events.find((e) => e.kind === 'change');
    expect(line?.body).toBe('Change: Deploy v1.2.3 by ci (github-actions)\n- [Release v1.2.3](https://github.com/acme/payments/releases/v1.2.3)\n- [https://ci.example.com/812](https://ci.example.com/812)');
    expect(JSON.parse(line!.data)).toMatchObject({ summary: 'Deploy v1.2.3 by ci', source: 'github-actions', occurredAt: '2026-03-01T10:02:30.000Z' });
    expect((await timeline(old.id)).some((e) => e.kind === 'change')).toBe(false);
    // A change is never an alert and pages nobody.
    expect(await t.store.db.selectFrom('alerts').select('id').where('summary', 'like', 'Deploy%').executeTakeFirst()).toBeUndefined();
  });

  it('lists a service\'s recent changes and an incident\'s related changes through the API', async () => {
    const listed = await get('/api/v1/services/payments/changes');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([expect.objectContaining({
      summary: 'Deploy v1.2.3 by ci', source: 'github-actions', occurredAt: '2026-03-01T10:02:30.000Z', receivedAt: '2026-03-01T10:03:00.000Z',
      links: [{ href: 'https://github.com/acme/payments/releases/v1.2.3', text: 'Release v1.2.3' }, { href: 'https://ci.example.com/812', text: null }],
      details: { build: 812, sha: 'abc123' },
    })]);
    const open = await incidentOf('now');
    const old = await incidentOf('old');
    expect((await get(`/api/v1/incidents/${open.number}/changes`)).json().items.map((c: { summary: string }) => c.summary)).toEqual(['Deploy v1.2.3 by ci']);
    // The old incident resolved at 10:01, before the deploy.
    expect((await get(`/api/v1/incidents/${old.number}/changes`)).json().items).toEqual([]);
    expect((await get('/api/v1/services/nowhere/changes')).statusCode).toBe(404);
    expect((await get('/api/v1/services/payments/changes?limit=0')).statusCode).toBe(400);
  });

  it('keeps the changes of an integration without a service, and pages through a service\'s changes newest first', async () => {
    expect((await change({ routing_key: orphanKey, payload: { summary: 'Flag flipped' } })).statusCode).toBe(202);
    const stored = await t.store.db.selectFrom('change_events').select(['summary', 'service_id']).where('summary', '=', 'Flag flipped').executeTakeFirstOrThrow();
    expect(stored.service_id).toBeNull();
    for (const n of [1, 2, 3]) {
      t.clock.advance(1000);
      await change({ routing_key: key, payload: { summary: `Config change ${n}` } });
    }
    const page1 = (await get('/api/v1/services/payments/changes?limit=2')).json();
    expect(page1.items.map((c: { summary: string }) => c.summary)).toEqual(['Config change 3', 'Config change 2']);
    const page2 = (await get(`/api/v1/services/payments/changes?limit=2&before=${page1.next}`)).json();
    expect(page2.items.map((c: { summary: string }) => c.summary)).toEqual(['Config change 1', 'Deploy v1.2.3 by ci']);
  });
});
