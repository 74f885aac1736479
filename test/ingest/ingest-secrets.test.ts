import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { REDACTED } from '../../src/core/redact-credentials.js';
import { grafanaSignature } from '../../src/ingest/grafana-webhook/signature.js';
import { redactStoredRawPayloads } from '../../src/store/migrations/0012-secrets.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 11, item 7: no stored raw payload and no API answer holds an integration's key (a
 * PagerDuty routing key lets whoever reads it resolve real incidents through /v2/enqueue).
 */
describe.each(DIALECTS)('credentials in raw payloads (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let reader: string;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const createIntegration = async (name: string, format: string, settings: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name, format, settings } });
    expect(res.statusCode, res.body).toBe(201);
    keys[name] = res.json().key;
    ids[name] = res.json().id;
  };
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });
  /** Every stored raw payload, as one string. */
  const dumpRawPayloads = async () => JSON.stringify(await t.store.db.selectFrom('raw_payloads').selectAll().execute());
  const alertOf = async (integration: string) => {
    const row = await t.store.db.selectFrom('alerts').select('id').where('integration_id', '=', ids[integration]!).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/alerts/${row.id}`, headers: bearer(reader) });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    reader = (await t.userWithKey('viewer')).token;
    await createIntegration('pd', 'pagerduty-events-v2');
    await createIntegration('og', 'opsgenie');
    await createIntegration('grafana', 'grafana-webhook');
    await createIntegration('am', 'alertmanager-webhook');
  });
  afterAll(async () => t?.close());

  it('a PagerDuty routing key is in no stored payload and in no answer to a read key', async () => {
    const res = await post('/v2/enqueue', { routing_key: keys.pd, event_action: 'trigger', dedup_key: 'db-1', payload: { summary: 'db down', source: 'db-1', severity: 'critical', custom_details: { api_token: 'tok-123' } } });
    expect(res.statusCode, res.body).toBe(202);
    const alert = await alertOf('pd');
    expect(alert.body).not.toContain(keys.pd);
    expect(alert.body).not.toContain('tok-123');
    expect(JSON.parse(alert.json().rawPayload.body)).toMatchObject({ routing_key: REDACTED, dedup_key: 'db-1', payload: { summary: 'db down' } });
    const dump = await dumpRawPayloads();
    expect(dump).toContain('db down');
    expect(dump).not.toContain(keys.pd);
    expect(dump).not.toContain('tok-123');
  });

  it('an Opsgenie apiKey in the body and the key repeated in a Grafana message are not stored', async () => {
    const og = await post('/v2/alerts', { message: 'queue stuck', alias: 'q-1', apiKey: 'og-secret-value', details: { note: `key ${keys.og}` } }, { authorization: `GenieKey ${keys.og}` });
    expect(og.statusCode, og.body).toBe(202);
    const grafana = await post(`/ingest/grafana/${keys.grafana}`, {
      version: '1', receiver: 'fb', status: 'firing', orgId: 1, groupKey: 'g', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://grafana',
      message: `posted to /ingest/grafana/${keys.grafana}`,
      alerts: [{ status: 'firing', labels: { alertname: 'Disk', hook: `https://ir/ingest/grafana/${keys.grafana}` }, annotations: {}, startsAt: '2026-03-01T10:00:00Z', fingerprint: 'f1' }],
    });
    expect(grafana.statusCode, grafana.body).toBe(200);
    const dump = await dumpRawPayloads();
    for (const secret of [keys.og!, keys.grafana!, 'og-secret-value']) expect(dump).not.toContain(secret);
    // The key is scrubbed from what the payload became too (labels are shown to every reader).
    const alerts = JSON.stringify(await t.store.db.selectFrom('alerts').selectAll().execute());
    expect(alerts).toContain('queue stuck');
    expect(alerts).not.toContain(keys.grafana);
    expect(alerts).not.toContain(keys.og);
    expect((await alertOf('grafana')).body).not.toContain(keys.grafana);
  });

  it('the 0012 migration redacts payloads stored in clear before it', async () => {
    const key = 'abcdefabcdefabcdefabcdefabcdef12';
    await t.store.db.insertInto('raw_payloads').values([
      { id: 'raw_0000000000000000000000OLD1', integration_id: ids.pd!, received_at: 1, format: 'pagerduty-events-v2', body: `{"routing_key":"${key}","event_action":"resolve","dedup_key":"db-1"}`, outcome: '{}' },
      { id: 'raw_0000000000000000000000OLD2', integration_id: ids.og!, received_at: 1, format: 'opsgenie', body: '{"message":"m","apiKey":"plain-og-key"}', outcome: '{}' },
      { id: 'raw_0000000000000000000000OLD3', integration_id: ids.am!, received_at: 1, format: 'alertmanager-webhook', body: '{"alerts":[]}', outcome: '{}' },
    ]).execute();
    await t.store.transaction((tx) => redactStoredRawPayloads(tx as never));
    const dump = await dumpRawPayloads();
    expect(dump).not.toContain(key);
    expect(dump).not.toContain('plain-og-key');
    const untouched = await t.store.db.selectFrom('raw_payloads').select('body').where('id', '=', 'raw_0000000000000000000000OLD3').executeTakeFirstOrThrow();
    expect(untouched.body).toBe('{"alerts":[]}');
    // The column the migration added exists on this database (it ran through migrateToLatest).
    await sql`select secret_values from runbook_runs limit 1`.execute(t.store.db);
  });
});

/** Issue 11, item 8: an integration's HMAC secret is write-only, like its key. */
describe.each(DIALECTS)('integration secrets are write-only (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let reader: string;
  const SECRET = 'grafana-hmac-secret-1';
  let id: string;
  let key: string;
  const body = JSON.stringify({
    version: '1', receiver: 'fb', status: 'firing', orgId: 1, groupKey: 'g', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://grafana',
    alerts: [{ status: 'firing', labels: { alertname: 'Disk' }, annotations: {}, startsAt: '2026-03-01T10:00:00Z', fingerprint: 'f1' }],
  });
  const signedPost = (secret: string) =>
    t.app.inject({ method: 'POST', url: `/ingest/grafana/${key}`, payload: body, headers: { 'content-type': 'application/json', 'x-grafana-alerting-signature': grafanaSignature(secret, body) } });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    reader = (await t.userWithKey('viewer')).token;
  });
  afterAll(async () => t?.close());

  it('is never returned, by creation, list, show or update, and an update without it keeps it', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'grafana', format: 'grafana-webhook', settings: { hmac: { secret: SECRET } } } });
    expect(created.statusCode, created.body).toBe(201);
    ({ id, key } = created.json());
    expect(created.body).not.toContain(SECRET);
    expect(created.json().settings.hmac).toEqual({ hasSecret: true });

    for (const url of ['/api/v1/integrations', `/api/v1/integrations/${id}`]) {
      for (const token of [reader, admin]) {
        const res = await t.app.inject({ method: 'GET', url, headers: bearer(token) });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.body).not.toContain(SECRET);
      }
    }
    expect((await signedPost(SECRET)).statusCode).toBe(200);

    // What the CLI and the UI do: read the settings, change one, send them all back.
    const shown = (await t.app.inject({ method: 'GET', url: `/api/v1/integrations/${id}`, headers: bearer(admin) })).json();
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/integrations/${id}`, headers: bearer(admin), payload: { settings: { ...shown.settings, grouping: 'labels', hmac: { ...shown.settings.hmac, toleranceSeconds: 60 } } } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.body).not.toContain(SECRET);
    expect(patched.json().settings).toMatchObject({ grouping: 'labels', hmac: { hasSecret: true, toleranceSeconds: 60 } });
    expect((await signedPost(SECRET)).statusCode).toBe(200);

    // A new secret replaces the old one.
    const rotated = await t.app.inject({ method: 'PATCH', url: `/api/v1/integrations/${id}`, headers: bearer(admin), payload: { settings: { hmac: { secret: 'grafana-hmac-secret-2' } } } });
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.body).not.toContain('grafana-hmac-secret-2');
    expect((await signedPost(SECRET)).statusCode).toBe(401);
    expect((await signedPost('grafana-hmac-secret-2')).statusCode).toBe(200);
  });
});
