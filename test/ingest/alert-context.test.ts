import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRUNCATED } from '../../src/domain/alerts/alert-context.js';
import { loadAlertFacts } from '../../src/worker/alert-facts.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 15, "the incident shows its alerts": what an alert-opened incident shows is stored at
 * ingest (it outlives the raw payload), served paged by GET /api/v1/incidents/{ref}/alerts, and a
 * group's incident is titled by its group. Also the Opsgenie reads and notes.
 */
const fixture = (format: string, name: string): string => readFileSync(new URL(`../fixtures/ingest/${format}/${name}`, import.meta.url), 'utf8');

describe.each(DIALECTS)('alert context on the incident (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  const keys: Record<string, string> = {};

  const createIntegration = async (name: string, format: string, settings: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name, format, settings } });
    expect(res.statusCode, res.body).toBe(201);
    keys[name] = res.json().key;
  };
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });
  const get = (url: string, headers: Record<string, string> = bearer(admin)) => t.app.inject({ method: 'GET', url, headers });
  const incidentOf = async (alertId: string) => {
    const row = await t.db.store.db.selectFrom('alerts').innerJoin('incidents', 'incidents.id', 'alerts.incident_id').select(['incidents.number', 'incidents.title', 'incidents.id', 'incidents.version']).where('alerts.id', '=', alertId).executeTakeFirstOrThrow();
    return row;
  };
  const pdTrigger = (dedupKey: string, extra: Record<string, unknown> = {}) => {
    const body = JSON.parse(fixture('pagerduty-events-v2', 'doc-trigger.json')) as Record<string, unknown>;
    return { ...body, routing_key: keys.pd, dedup_key: dedupKey, ...extra };
  };
  const genie = () => ({ authorization: `GenieKey ${keys.og}` });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    await createIntegration('pd', 'pagerduty-events-v2', { grouping: 'alert' });
    await createIntegration('grafana', 'grafana-webhook');
    await createIntegration('am', 'alertmanager-webhook');
    await createIntegration('og', 'opsgenie', { grouping: 'alert' });
  });
  afterAll(async () => t?.close());

  it('keeps PagerDuty links, images and custom_details with the alert, after its raw payload is pruned', async () => {
    const res = await post('/v2/enqueue', pdTrigger('ctx-pd-1', { images: [{ src: 'https://img.example/graph.png', href: 'https://example.com/g', alt: 'graph' }, { src: 'javascript:alert(1)' }, { src: 'data:image/png;base64,AAAA' }] }));
    expect(res.statusCode, res.body).toBe(202);
    const alert = await t.db.store.db.selectFrom('alerts').selectAll().where('dedup_key', '=', 'ctx-pd-1').executeTakeFirstOrThrow();
    // Retention prunes raw payloads; what the page shows must not depend on them.
    await t.db.store.db.deleteFrom('raw_payloads').execute();
    const incident = await incidentOf(alert.id);
    const page = await get(`/api/v1/incidents/${incident.number}/alerts`);
    expect(page.statusCode, page.body).toBe(200);
    const body = page.json();
    expect(body.summary).toEqual({ text: 'Example alert on host1.example.com', description: null, alertId: alert.id });
    expect(body.counts).toEqual({ total: 1, open: 1, firing: 1, acknowledged: 0, resolved: 0 });
    expect(body.firstSeenAt).toBe(body.items[0].firstSeenAt);
    const [item] = body.items;
    expect(item.customDetails).toEqual({ 'ping time': '1500ms', 'load avg': 0.75, nested: { disk: { free_gb: 3 } } });
    // Only the http(s) image survives; the javascript: and data: sources are dropped at ingest.
    expect(item.images).toEqual([{ src: 'https://img.example/graph.png', href: 'https://example.com/g', alt: 'graph' }]);
    expect(item.links).toEqual(expect.arrayContaining([
      { kind: 'link', href: 'https://example.com/', text: 'Link text' },
      { kind: 'generator', href: 'https://monitoring.example.com', text: 'Source' },
    ]));
    expect(item.integrationName).toBe('pd');
  });

  it('bounds what a sender can make an alert keep, and says where it cut', async () => {
    const huge = { blob: 'x'.repeat(50_000), many: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])) };
    const res = await post('/v2/enqueue', pdTrigger('ctx-pd-huge', { payload: { ...pdTrigger('x').payload as object, custom_details: huge }, links: Array.from({ length: 100 }, (_, i) => ({ href: `https://l.example/${i}`, text: 'l' })) }));
    expect(res.statusCode, res.body).toBe(202);
    const row = await t.db.store.db.selectFrom('alerts').select(['context']).where('dedup_key', '=', 'ctx-pd-huge').executeTakeFirstOrThrow();
    expect(row.context!.length).toBeLessThan(25_000);
    const context = JSON.parse(row.context!);
    expect(context.customDetails.blob.endsWith(TRUNCATED)).toBe(true);
    expect(JSON.stringify(context.customDetails.many)).toContain(TRUNCATED);
    expect(context.links).toHaveLength(20);
  });

  it('keeps Grafana dashboard, panel and silence links', async () => {
    const res = await post(`/ingest/grafana/${keys.grafana}`, fixture('grafana-webhook', 'firing.json'));
    expect(res.statusCode, res.body).toBe(200);
    const alert = await t.db.store.db.selectFrom('alerts').selectAll().where('dedup_key', '=', '5c3546a63e2795bf').executeTakeFirstOrThrow();
    const incident = await incidentOf(alert.id);
    const [item] = (await get(`/api/v1/incidents/${incident.number}/alerts`)).json().items;
    expect(item.links.map((l: { kind: string }) => l.kind)).toEqual(['runbook', 'dashboard', 'panel', 'silence', 'generator']);
    expect(item.links[0].href).toBe('https://runbooks.example.com/cpu');
  });

  it('titles a group incident by its group and count, renames it as alerts join, but never over a human title', async () => {
    const body = JSON.parse(fixture('alertmanager-webhook', 'grouped-mixed.json')) as { alerts: Record<string, unknown>[]; groupKey: string };
    body.groupKey = '{}/{team="payments"}:{alertname="HighLatency", job="api"}';
    const firing = body.alerts.filter((a) => a.status === 'firing');
    const res = await post(`/ingest/alertmanager/${keys.am}`, { ...body, alerts: firing });
    expect(res.statusCode, res.body).toBe(200);
    const alert = await t.db.store.db.selectFrom('alerts').selectAll().where('dedup_key', '=', String(firing[0]!.fingerprint)).executeTakeFirstOrThrow();
    let incident = await incidentOf(alert.id);
    expect(incident.title).toBe('HighLatency (job=api)');
    const renamedAt = incident.version;

    const third = { ...firing[0]!, fingerprint: 'third-one', labels: { ...(firing[0]!.labels as object), instance: 'api-9:9090' } };
    expect((await post(`/ingest/alertmanager/${keys.am}`, { ...body, alerts: [...firing, third] })).statusCode).toBe(200);
    incident = await incidentOf(alert.id);
    // Named once; a third alert joining does not write the incident again.
    expect(incident.title).toBe('HighLatency (job=api)');
    expect(incident.version).toBe(renamedAt);
    const page = (await get(`/api/v1/incidents/${incident.number}/alerts?limit=2`)).json();
    expect(page.items).toHaveLength(2);
    expect(page.counts.total).toBe(3);
    const rest = (await get(`/api/v1/incidents/${incident.number}/alerts?limit=2&after=${page.next}`)).json();
    expect(rest.items).toHaveLength(1);
    expect(rest.next).toBeNull();
    expect(rest.summary.alertId).toBe(page.items[0].id);

    const renamed = await t.app.inject({ method: 'PATCH', url: `/api/v1/incidents/${incident.number}`, headers: bearer(admin), payload: { title: 'Payments API slow' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const fourth = { ...third, fingerprint: 'fourth-one', labels: { ...(third.labels as object), instance: 'api-10:9090' } };
    expect((await post(`/ingest/alertmanager/${keys.am}`, { ...body, alerts: [...firing, third, fourth] })).statusCode).toBe(200);
    expect((await incidentOf(alert.id)).title).toBe('Payments API slow');

    // What a page to a person says about it: the first alert, its key labels and links, the count.
    const facts = (await loadAlertFacts(t.db.store, [incident.id])).get(incident.id)!;
    expect(facts).toMatchObject({ summary: 'p99 latency above 2s on api-2', description: 'p99 is 2.7s for 10m', count: 4 });
    expect(facts.labels.slice(0, 3)).toEqual([['alertname', 'HighLatency'], ['severity', 'critical'], ['instance', 'api-2:9090']]);
    expect(facts.links.map((l) => l.text)).toEqual(['Runbook', 'Source']);
  });

  it('answers a bad page request with a 400 naming the field', async () => {
    const alert = await t.db.store.db.selectFrom('alerts').select('incident_id').where('dedup_key', '=', 'ctx-pd-1').executeTakeFirstOrThrow();
    const res = await get(`/api/v1/incidents/${alert.incident_id}/alerts?limit=0`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('limit');
    expect((await get('/api/v1/incidents/9999/alerts')).statusCode).toBe(404);
  });

  it('Opsgenie: request status gives the alert id; get, note, acknowledge and close by id; tags kept', async () => {
    const created = await post('/v2/alerts', fixture('opsgenie', 'am-create.json'), genie());
    expect(created.statusCode, created.body).toBe(202);
    const { requestId } = created.json();
    const status = await get(`/v2/alerts/requests/${requestId}`, genie());
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json().data).toMatchObject({ success: true, isSuccess: true, action: 'Create', status: 'Created alert' });
    const alertId = status.json().data.alertId as string;
    expect(alertId).toMatch(/^alr_/);

    const fetched = await get(`/v2/alerts/${alertId}`, genie());
    expect(fetched.statusCode, fetched.body).toBe(200);
    expect(fetched.json().data).toMatchObject({ id: alertId, message: '[FIRING:1] HighLatency (api-1:9090 critical)', status: 'open', acknowledged: false, tags: ['prod', 'api'], priority: 'P2', count: 1 });
    const alias = fetched.json().data.alias as string;
    expect((await get(`/v2/alerts/${alias}?identifierType=alias`, genie())).json().data.id).toBe(alertId);

    const noted = await post(`/v2/alerts/${alertId}/notes?identifierType=id`, { note: 'restarted the pod', user: 'alice' }, genie());
    expect(noted.statusCode, noted.body).toBe(202);
    expect((await get(`/v2/alerts/requests/${noted.json().requestId}`, genie())).json().data).toMatchObject({ action: 'AddNote', success: true, alertId });
    const acked = await post(`/v2/alerts/${alertId}/acknowledge?identifierType=id`, { note: 'on it', user: 'bob' }, genie());
    expect(acked.statusCode).toBe(202);
    const closed = await post(`/v2/alerts/${alias}/close?identifierType=alias`, { note: 'fixed', user: 'bob' }, genie());
    expect(closed.statusCode).toBe(202);
    expect((await get(`/v2/alerts/requests/${closed.json().requestId}`, genie())).json().data).toMatchObject({ action: 'Close', success: true });
    expect((await get(`/v2/alerts/${alertId}`, genie())).json().data).toMatchObject({ status: 'closed', acknowledged: true });

    // Opsgenie takes a note on a closed alert: it goes on the incident's record, by id or alias.
    const late = await post(`/v2/alerts/${alertId}/notes?identifierType=id`, { note: 'root cause: a full disk', user: 'carol' }, genie());
    expect(late.statusCode, late.body).toBe(202);
    expect((await get(`/v2/alerts/requests/${late.json().requestId}`, genie())).json().data).toMatchObject({ action: 'AddNote', success: true, alertId });
    expect((await post(`/v2/alerts/${alias}/notes?identifierType=alias`, { note: 'disk alert added', user: 'carol' }, genie())).statusCode).toBe(202);
    const unknown = await post('/v2/alerts/never-sent/notes?identifierType=alias', { note: 'lost?', user: 'carol' }, genie());
    expect((await get(`/v2/alerts/requests/${unknown.json().requestId}`, genie())).json().data).toMatchObject({ success: false, status: 'Alert does not exist' });

    const incident = await incidentOf(alertId);
    const timeline = (await get(`/api/v1/incidents/${incident.number}/timeline`)).json();
    const notes = (timeline.items ?? timeline).filter((e: { kind: string }) => e.kind === 'alert_note').map((e: { body: string }) => e.body);
    expect(notes).toEqual([
      'alice added a note to the alert: restarted the pod', 'bob acknowledged the alert: on it', 'bob closed the alert: fixed',
      'carol added a note to the alert: root cause: a full disk', 'carol added a note to the alert: disk alert added',
    ]);
    const [item] = (await get(`/api/v1/incidents/${incident.number}/alerts`)).json().items;
    expect(item.tags).toEqual(['prod', 'api']);
  });

  it('Opsgenie reads: unknown ids are 404 in Opsgenie shape, another integration sees nothing, a bad key is 401', async () => {
    const missing = await get('/v2/alerts/alr_nope', genie());
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ message: expect.stringContaining('does not exist'), requestId: expect.any(String) });
    expect((await get('/v2/alerts/requests/raw_nope', genie())).statusCode).toBe(404);
    expect((await get('/v2/alerts/x?identifierType=name', genie())).statusCode).toBe(422);
    const pdAlert = await t.db.store.db.selectFrom('alerts').select('id').where('dedup_key', '=', 'ctx-pd-1').executeTakeFirstOrThrow();
    expect((await get(`/v2/alerts/${pdAlert.id}`, genie())).statusCode).toBe(404);
    expect((await get(`/v2/alerts/${pdAlert.id}`, { authorization: 'GenieKey wrong' })).statusCode).toBe(401);
    const blank = await post('/v2/alerts/x/notes?identifierType=alias', { note: ' ' }, genie());
    expect(blank.statusCode).toBe(422);
    expect(blank.json().message).toContain('note');
  });
});
