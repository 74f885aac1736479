import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grafanaSignature } from '../../src/ingest/grafana-webhook/signature.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

const fixture = (format: string, name: string): string => readFileSync(new URL(`../fixtures/ingest/${format}/${name}`, import.meta.url), 'utf8');
const GENERIC_MAPPING = { dedupKey: '$.event.id', summary: '$.event.monitor.name', severity: '$.event.severity', status: '$.event.type', resolvedValues: ['up'], labels: '$.tags', url: '$.event.monitor.url', startedAt: '$.event.at' };

describe.each(DIALECTS)('alert ingestion over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const createIntegration = async (name: string, format: string, settings: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name, format, settings } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    keys[name] = body.key;
    ids[name] = body.id;
    return body;
  };
  const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...headers } });
  const incidents = async () => (await t.db.store.db.selectFrom('incidents').selectAll().orderBy('number').execute());
  const alerts = async (integration: string) => t.db.store.db.selectFrom('alerts').selectAll().where('integration_id', '=', ids[integration]!).orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    await createIntegration('am', 'alertmanager-webhook');
    await createIntegration('pd', 'pagerduty-events-v2');
    await createIntegration('og', 'opsgenie');
    await createIntegration('grafana', 'grafana-webhook', { hmac: { secret: 's3cret' } });
    await createIntegration('api', 'alertmanager-api');
    await createIntegration('generic', 'generic-webhook', { mapping: GENERIC_MAPPING });
  });
  afterAll(async () => t?.close());

  it('issues 32-character keys and a sender snippet', async () => {
    expect(keys.pd).toMatch(/^[0-9a-f]{32}$/);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/integrations/${ids.pd}`, headers: bearer(admin) });
    expect(res.json().sender.snippet).toContain('pagerduty_configs');
    expect(res.json().key).toBeUndefined();
  });

  it('accepts every recorded fixture with the sender-specific answer', async () => {
    const cases: [string, string, string, Record<string, string>, number][] = [
      ['alertmanager-webhook', 'firing-single.json', `/ingest/alertmanager/${keys.am}`, {}, 200],
      ['alertmanager-webhook', 'grouped-mixed.json', `/ingest/alertmanager/${keys.am}`, {}, 200],
      ['alertmanager-webhook', 'truncated.json', `/ingest/alertmanager/${keys.am}`, {}, 200],
      ['alertmanager-webhook', 'resolved-all.json', `/ingest/alertmanager/${keys.am}`, {}, 200],
      // A custom `payload` template is not v4: refused, naming the field, so it goes to a generic integration.
      ['alertmanager-webhook', 'custom-payload.json', `/ingest/alertmanager/${keys.am}`, {}, 400],
      ['alertmanager-api', 'prometheus-batch.json', '/api/v2/alerts', { authorization: `Bearer ${keys.api}` }, 200],
      ['alertmanager-api', 'vmalert-no-endsat.json', '/api/v2/alerts', { authorization: `Basic ${Buffer.from(`prom:${keys.api}`).toString('base64')}` }, 200],
      ['alertmanager-api', 'partly-invalid.json', '/api/v2/alerts', { authorization: `Bearer ${keys.api}` }, 400],
      ['opsgenie', 'am-create.json', '/v2/alerts', { authorization: `GenieKey ${keys.og}` }, 202],
      ['opsgenie', 'grafana-create.json', '/v2/alerts', { authorization: `GenieKey ${keys.og}` }, 202],
      ['generic-webhook', 'uptime-monitor.json', `/ingest/generic/${keys.generic}`, {}, 202],
    ];
    for (const [format, name, url, headers, status] of cases) {
      const res = await post(url, fixture(format, name), headers);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
    }
    for (const name of ['doc-trigger.json', 'am-v030-trigger.json', 'am-v029-trigger.json', 'grafana-trigger.json', 'trigger-no-dedup-key.json', 'acknowledge.json', 'am-resolve.json', 'change-event.json']) {
      const body = JSON.parse(fixture('pagerduty-events-v2', name)) as Record<string, unknown>;
      body.routing_key = keys.pd;
      const res = await post(name === 'change-event.json' ? '/v2/change/enqueue' : '/v2/enqueue', JSON.stringify(body));
      expect(res.statusCode, `${name}: ${res.body}`).toBe(202);
      expect(res.json().status).toBe('success');
    }
    for (const name of ['firing.json', 'resolved.json']) {
      const raw = fixture('grafana-webhook', name);
      const res = await post(`/ingest/grafana/${keys.grafana}`, raw, { 'x-grafana-alerting-signature': grafanaSignature('s3cret', raw) });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
    }
    const og = JSON.parse(fixture('opsgenie', 'am-close.json')) as { alias?: string };
    void og;
    expect((await alerts('am')).length).toBeGreaterThan(0);
    expect((await alerts('pd')).length).toBeGreaterThan(0);
  });

  it('rejects a bad Grafana signature, unknown keys and bad payloads in the sender shape', async () => {
    const raw = fixture('grafana-webhook', 'firing.json');
    expect((await post(`/ingest/grafana/${keys.grafana}`, raw, { 'x-grafana-alerting-signature': grafanaSignature('wrong', raw) })).statusCode).toBe(401);
    const unknown = await post('/ingest/alertmanager/0123456789abcdef0123456789abcdef', fixture('alertmanager-webhook', 'firing-single.json'));
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).not.toMatch(/exist|found/i);
    // The key of another format is just as unknown here.
    expect((await post(`/ingest/alertmanager/${keys.pd}`, fixture('alertmanager-webhook', 'firing-single.json'))).statusCode).toBe(401);

    const pdBad = await post('/v2/enqueue', JSON.stringify({ routing_key: keys.pd, event_action: 'trigger', payload: { summary: 'x', source: 'y', severity: 'huge' } }));
    expect(pdBad.statusCode).toBe(400);
    expect(pdBad.json()).toMatchObject({ status: 'invalid event', message: 'Event object is invalid' });
    expect(pdBad.json().errors.join(' ')).toContain('payload.severity');
    const pdJunk = await post('/v2/enqueue', '{not json');
    expect(pdJunk.statusCode).toBe(400);
    const amBad = await post(`/ingest/alertmanager/${keys.am}`, JSON.stringify({ version: '4', alerts: 'nope' }));
    expect(amBad.statusCode).toBe(400);
    expect(amBad.json().message).toContain('alerts');
    const ogBad = await post('/v2/alerts', JSON.stringify({ alias: 'x' }), { authorization: `GenieKey ${keys.og}` });
    expect(ogBad.statusCode).toBe(422);
    expect(ogBad.json().message).toContain('message');
    const ogNoKey = await post('/v2/alerts', JSON.stringify({ message: 'm' }), { authorization: 'GenieKey nope' });
    expect(ogNoKey.statusCode).toBe(401);
  });

  it('treats a replayed Alertmanager payload as a no-op', async () => {
    const body = JSON.stringify({
      version: '4', status: 'firing', receiver: 'r', groupKey: '{}:{alertname="Replay"}', truncatedAlerts: 0, groupLabels: { alertname: 'Replay' }, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
      alerts: [{ status: 'firing', labels: { alertname: 'Replay', instance: 'a' }, annotations: { summary: 'replay' }, startsAt: '2026-03-01T09:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'aaaaaaaaaaaaaaaa' }],
    });
    expect((await post(`/ingest/alertmanager/${keys.am}`, body)).statusCode).toBe(200);
    const before = { incidents: await incidents(), alerts: await alerts('am') };
    expect((await post(`/ingest/alertmanager/${keys.am}`, body)).statusCode).toBe(200);
    expect(await incidents()).toEqual(before.incidents);
    expect(await alerts('am')).toEqual(before.alerts);
  });

  it('groups alerts into one incident, resolves it with the last alert, and opens a new one on re-fire', async () => {
    const send = (status: 'firing' | 'resolved', instances: string[]) => post(`/ingest/alertmanager/${keys.am}`, JSON.stringify({
      version: '4', status, receiver: 'r', groupKey: '{}:{alertname="DiskFullGrouping"}', truncatedAlerts: 0, groupLabels: { alertname: 'DiskFullGrouping' }, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
      alerts: instances.map((i) => ({ status, labels: { alertname: 'DiskFullGrouping', instance: i, severity: 'critical' }, annotations: { summary: `disk full on ${i}` }, startsAt: '2026-03-01T09:30:00Z', endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-03-01T10:00:00Z', generatorURL: '', fingerprint: `f${i}` })),
    }));
    const countBefore = (await incidents()).length;
    expect((await send('firing', ['a', 'b'])).statusCode).toBe(200);
    expect((await send('firing', ['a', 'b', 'c'])).statusCode).toBe(200);
    let all = await incidents();
    expect(all.length).toBe(countBefore + 1);
    const incident = all.at(-1)!;
    expect(incident.status).toBe('triggered');
    expect(incident.severity).toBe((await t.db.store.db.selectFrom('severities').select('key').orderBy('rank').executeTakeFirstOrThrow()).key);
    const grouped = await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${incident.number}/alerts`, headers: bearer(admin) });
    expect(grouped.json().items).toHaveLength(3);

    expect((await send('resolved', ['a', 'b'])).statusCode).toBe(200);
    expect((await incidents()).at(-1)!.status).toBe('triggered');
    expect((await send('resolved', ['c'])).statusCode).toBe(200);
    expect((await incidents()).at(-1)!.status).toBe('resolved');

    t.clock.advance(60_000);
    expect((await send('firing', ['a'])).statusCode).toBe(200);
    all = await incidents();
    expect(all.length).toBe(countBefore + 2);
    expect(all.at(-1)!.status).toBe('triggered');
  });

  it('explains why an alert did or did not page, with its raw payload', async () => {
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/alerts?integration=${ids.am}&status=open`, headers: bearer(admin) });
    expect(list.statusCode).toBe(200);
    const first = list.json().alerts[0];
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/alerts/${first.id}`, headers: bearer(admin) });
    expect(one.json().decision.message).toBeTruthy();
    expect(one.json().rawPayload.body).toContain('"version"');
  });

  it('silences, maintenance windows and drop rules keep alerts from paging', async () => {
    const sil = await t.app.inject({
      method: 'POST', url: '/api/v2/silences', headers: bearer(admin),
      payload: { matchers: [{ name: 'alertname', value: 'Silenced', isRegex: false }], startsAt: new Date(t.clock.now()).toISOString(), endsAt: new Date(t.clock.now() + 3_600_000).toISOString(), createdBy: 'me', comment: 'test' },
    });
    expect(sil.statusCode, sil.body).toBe(200);
    expect(sil.json().silenceID).toMatch(/^sil_/);
    const rule = await t.app.inject({ method: 'POST', url: '/api/v1/routing-rules', headers: bearer(admin), payload: { name: 'drop noise', matchers: 'team="noise"', drop: true } });
    expect(rule.statusCode, rule.body).toBe(201);
    const before = (await incidents()).length;
    const pd = (summary: string, extra: Record<string, unknown>) => post('/v2/enqueue', JSON.stringify({ routing_key: keys.pd, event_action: 'trigger', dedup_key: summary, payload: { summary, source: 'x', severity: 'critical', ...extra } }));
    // PD alerts get labels from component/group/class; use the AM API for label-driven cases.
    const api = (labels: Record<string, string>) => post('/api/v2/alerts', JSON.stringify([{ labels, annotations: { summary: labels.alertname } }]), { authorization: `Bearer ${keys.api}` });
    expect((await api({ alertname: 'Silenced', instance: 'x' })).statusCode).toBe(200);
    expect((await api({ alertname: 'Dropped', team: 'noise' })).statusCode).toBe(200);
    expect((await incidents()).length).toBe(before);
    const silenced = (await alerts('api')).find((a) => a.summary === 'Silenced');
    expect(silenced?.suppressed_by).toBe(sil.json().silenceID);
    expect((await alerts('api')).find((a) => a.summary === 'Dropped')).toBeUndefined();

    const mw = await t.app.inject({ method: 'POST', url: '/api/v1/maintenance-windows', headers: bearer(admin), payload: { services: [], startsAt: new Date(t.clock.now() - 1000).toISOString(), endsAt: new Date(t.clock.now() + 60_000).toISOString(), reason: 'upgrade' } });
    expect(mw.statusCode, mw.body).toBe(201);
    expect((await pd('during maintenance', {})).statusCode).toBe(202);
    expect((await incidents()).length).toBe(before);
    t.clock.advance(120_000);
    expect((await pd('after maintenance', {})).statusCode).toBe(202);
    expect((await incidents()).length).toBe(before + 1);
    const expired = await t.app.inject({ method: 'DELETE', url: `/api/v2/silence/${sil.json().silenceID}`, headers: bearer(admin) });
    expect(expired.statusCode).toBe(200);
    const got = await t.app.inject({ method: 'GET', url: `/api/v2/silence/${sil.json().silenceID}`, headers: bearer(admin) });
    expect(got.json().status.state).toBe('expired');
  });

  it('commits 100 concurrent requests through group commit, all counted', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => post('/v2/enqueue', JSON.stringify({
      routing_key: keys.pd, event_action: 'trigger', dedup_key: `conc-${i % 10}`, payload: { summary: `concurrent ${i % 10}`, source: 'load', severity: 'warning', group: 'concurrency' },
    }))));
    expect(results.map((r) => r.statusCode)).toEqual(Array(100).fill(202));
    const rows = (await alerts('pd')).filter((a) => a.dedup_key.startsWith('conc-'));
    expect(rows).toHaveLength(10);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(100);
  });
});
