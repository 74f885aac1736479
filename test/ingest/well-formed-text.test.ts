import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Text PostgreSQL cannot store (NUL, lone UTF-16 surrogates) is made storable at the edge, the
 * same on both databases: each becomes U+FFFD (docs/ingest-formats.md, "Text that cannot be
 * stored"). Built by hand: JSON.stringify would keep `\u0000` but a template keeps the escapes.
 */
const FFFD = '\uFFFD';
const GENERIC_MAPPING = { dedupKey: '$.id', summary: '$.name', status: '$.state', resolvedValues: ['ok'] };

describe.each(DIALECTS)('text no database can store, over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const createIntegration = async (name: string, format: string, settings: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name, format, settings } });
    expect(res.statusCode, res.body).toBe(201);
    keys[name] = res.json().key;
    ids[name] = res.json().id;
  };
  const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...headers } });
  const alerts = async (integration: string) => t.store.db.selectFrom('alerts').selectAll().where('integration_id', '=', ids[integration]!).orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    await createIntegration('am', 'alertmanager-webhook');
    await createIntegration('pd', 'pagerduty-events-v2');
    await createIntegration('og', 'opsgenie');
    await createIntegration('generic', 'generic-webhook', { mapping: GENERIC_MAPPING });
    await createIntegration('beat', 'heartbeat', { heartbeat: { intervalSeconds: 60 } });
  });
  afterAll(async () => t?.close());

  it('stores an Alertmanager notification with NUL and a lone surrogate in labels next to a valid alert', async () => {
    const amAlert = (labels: string, annotations: string, fp: string) =>
      `{"status":"firing","labels":${labels},"annotations":${annotations},"startsAt":"2026-03-01T09:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"${fp}"}`;
    const body = `{"version":"4","status":"firing","receiver":"r","groupKey":"{}:{alertname=\\"Nul\\u0000\\"}","truncatedAlerts":0,` +
      `"groupLabels":{"alertname":"Nul\\u0000"},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am","alerts":[` +
      `${amAlert('{"alertname":"Nul\\u0000","instance":"bad","ro\\u0000le":"x\\ud800y"}', '{"summary":"broken \\u0000 \\udc00"}', '1111111111111111')},` +
      `${amAlert('{"alertname":"Nul\\u0000","instance":"good"}', '{"summary":"fine"}', '2222222222222222')}]}`;
    const res = await post(`/ingest/alertmanager/${keys.am}`, body);
    expect(res.statusCode, res.body).toBe(200);
    const stored = await alerts('am');
    expect(stored).toHaveLength(2);
    const bad = stored.find((a) => JSON.parse(a.labels).instance === 'bad')!;
    expect(JSON.parse(bad.labels)).toEqual({ alertname: `Nul${FFFD}`, instance: 'bad', [`ro${FFFD}le`]: `x${FFFD}y` });
    expect(bad.summary).toBe(`broken ${FFFD} ${FFFD}`);
    // A repeat is recognised as the same two alerts (the same dedup keys after normalising).
    expect((await post(`/ingest/alertmanager/${keys.am}`, body)).statusCode).toBe(200);
    expect((await alerts('am')).map((a) => a.id)).toEqual(stored.map((a) => a.id));
    expect(await t.store.db.selectFrom('incidents').select('id').execute()).toHaveLength(1);
  });

  it('triggers, re-triggers and resolves a PagerDuty alert whose dedup_key holds a lone surrogate', async () => {
    const event = (action: string) => `{"routing_key":"${keys.pd}","event_action":"${action}","dedup_key":"k\\ud800ey\\u0000",` +
      `"payload":{"summary":"surrogate \\ud800","source":"s\\u0000rc","severity":"critical"}}`;
    for (const action of ['trigger', 'trigger', 'resolve']) {
      const res = await post('/v2/enqueue', event(action));
      expect(res.statusCode, `${action}: ${res.body}`).toBe(202);
      expect(res.json().dedup_key).toBe(`k${FFFD}ey${FFFD}`);
    }
    const [alert] = await alerts('pd');
    expect(alert).toMatchObject({ dedup_key: `k${FFFD}ey${FFFD}`, status: 'resolved', count: 2, summary: `surrogate ${FFFD}` });
  });

  it('creates and closes an Opsgenie alert whose alias holds a lone surrogate, closing by the alias in the path', async () => {
    const headers = { authorization: `GenieKey ${keys.og}` };
    for (let i = 0; i < 2; i += 1) {
      const res = await post('/v2/alerts', '{"message":"og \\u0000","alias":"al\\udfffias"}', headers);
      expect(res.statusCode, res.body).toBe(202);
    }
    const close = await post(`/v2/alerts/al%EF%BF%BDias/close?identifierType=alias`, '{}', headers);
    expect(close.statusCode, close.body).toBe(202);
    const nul = await post(`/v2/alerts/x%00y/close?identifierType=alias`, '{}', headers);
    expect(nul.statusCode, nul.body).toBe(202);
    const [alert] = await alerts('og');
    expect(alert).toMatchObject({ dedup_key: `al${FFFD}ias`, status: 'resolved', count: 2 });
  });

  it('keeps a generic webhook dedup key with a lone surrogate stable across trigger, trigger and resolve', async () => {
    for (const state of ['alert', 'alert', 'ok']) {
      const res = await post(`/ingest/generic/${keys.generic}`, `{"id":"g\\ud83d-\\u0000","name":"generic \\udbff","state":"${state}"}`);
      expect(res.statusCode, res.body).toBe(202);
    }
    const [alert] = await alerts('generic');
    expect(alert).toMatchObject({ dedup_key: `g${FFFD}-${FFFD}`, status: 'resolved', count: 2 });
  });

  it('stores a heartbeat ping whose raw body holds a NUL byte', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/ingest/heartbeat/${keys.beat}`, payload: Buffer.from('ping\u0000pong'), headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe.each(DIALECTS)('long keys (%s)', (dialect) => {
  let t: TestApp;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const admin = (await t.userWithKey('admin')).token;
    for (const [name, format, settings] of [['am', 'alertmanager-webhook', {}], ['generic', 'generic-webhook', { mapping: GENERIC_MAPPING }]] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name, format, settings } });
      keys[name] = res.json().key;
    }
  });
  afterAll(async () => t?.close());
  const random = (n: number) => Array.from({ length: n }, () => String.fromCharCode(0x21 + Math.floor(Math.random() * 90))).join('').replace(/["\\]/g, 'x');

  it('stores, repeats and resolves a 10 kB generic dedup key, and stores a 10 kB Alertmanager group key (PostgreSQL cannot index either)', async () => {
    const id = random(10_000);
    for (const state of ['alert', 'alert', 'ok']) {
      const generic = await t.app.inject({ method: 'POST', url: `/ingest/generic/${keys.generic}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ id, name: 'long', state }) });
      expect(generic.statusCode, generic.body).toBe(202);
    }
    const [alert] = await t.store.db.selectFrom('alerts').select(['dedup_key', 'status', 'count']).where('summary', '=', 'long').execute();
    expect(alert).toMatchObject({ status: 'resolved', count: 2 });
    expect(alert!.dedup_key.startsWith(id.slice(0, 400))).toBe(true);
    const am = await t.app.inject({
      method: 'POST', url: `/ingest/alertmanager/${keys.am}`, headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ version: '4', status: 'firing', receiver: 'r', groupKey: random(10_000), truncatedAlerts: 0, groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am', alerts: [{ status: 'firing', labels: { alertname: 'Long' }, annotations: {}, startsAt: '2026-03-01T09:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'abababababababab' }] }),
    });
    expect(am.statusCode, am.body).toBe(200);
  });
});
