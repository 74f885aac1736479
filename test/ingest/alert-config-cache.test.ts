import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { buildApp } from '../../src/http/app.js';
import { MetricsRegistry } from '../../src/observability/metrics.js';
import type { FastifyInstance } from 'fastify';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Ingestion keeps routing rules, silences, maintenance windows and severities in process and
 * re-reads them when the `alert_config` counter moves. A change made on another instance (its
 * own connection and cache) must apply to the very next alert here.
 */
describe.each(DIALECTS)('alert configuration cache (%s)', (dialect) => {
  let t: TestApp;
  let other: FastifyInstance;
  let admin: string;
  let key: string;
  let integrationId: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'prom', format: 'alertmanager-api', settings: { grouping: 'alert' } } });
    ({ key, id: integrationId } = res.json());
    ({ app: other } = await buildApp({ store: t.db.openAnother(), clock: t.clock, log: silentLogger, metrics: new MetricsRegistry(), publicUrl: 'http://x', version: 't', webRoot: null }));
  });
  afterAll(async () => {
    await other?.close();
    await t?.app.close();
    await t?.db.drop();
  });

  /** Posts one new alert to this instance and returns the stored row. */
  const fire = async (labels: Record<string, string>) => {
    const alertname = `Cache${++n}`;
    const res = await t.app.inject({
      method: 'POST', url: '/api/v2/alerts', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: JSON.stringify([{ labels: { alertname, ...labels }, annotations: { summary: alertname } }]),
    });
    expect(res.statusCode, res.body).toBe(200);
    return t.store.db.selectFrom('alerts').selectAll().where('integration_id', '=', integrationId).where('summary', '=', alertname).executeTakeFirst();
  };

  it('applies silences, rules, windows and severities changed on another instance to the next alert', async () => {
    // Warm this instance's cache.
    expect((await fire({ team: 'a', severity: 'critical' }))?.incident_id).toBeTruthy();

    const sil = await other.inject({
      method: 'POST', url: '/api/v2/silences', headers: bearer(admin),
      payload: { matchers: [{ name: 'team', value: 'quiet', isRegex: false }], startsAt: new Date(t.clock.now()).toISOString(), endsAt: new Date(t.clock.now() + 3_600_000).toISOString(), createdBy: 'me', comment: 'x' },
    });
    expect(sil.statusCode, sil.body).toBe(200);
    expect((await fire({ team: 'quiet' }))?.suppressed_by).toBe(sil.json().silenceID);

    const expire = await other.inject({ method: 'DELETE', url: `/api/v2/silence/${sil.json().silenceID}`, headers: bearer(admin) });
    expect(expire.statusCode, expire.body).toBe(200);
    expect((await fire({ team: 'quiet' }))?.suppressed_by).toBeNull();

    const rule = await other.inject({ method: 'POST', url: '/api/v1/routing-rules', headers: bearer(admin), payload: { name: 'drop', matchers: 'team="noise"', drop: true } });
    expect(rule.statusCode, rule.body).toBe(201);
    expect(await fire({ team: 'noise' })).toBeUndefined();
    expect((await other.inject({ method: 'DELETE', url: `/api/v1/routing-rules/${rule.json().id}`, headers: bearer(admin) })).statusCode).toBe(204);
    expect(await fire({ team: 'noise' })).toBeDefined();

    const mw = await other.inject({ method: 'POST', url: '/api/v1/maintenance-windows', headers: bearer(admin), payload: { services: [], startsAt: new Date(t.clock.now() - 1000).toISOString(), endsAt: new Date(t.clock.now() + 60_000).toISOString(), reason: 'upgrade' } });
    expect(mw.statusCode, mw.body).toBe(201);
    expect((await fire({ team: 'b' }))?.suppressed_by).toBe(mw.json().id);
    expect((await other.inject({ method: 'DELETE', url: `/api/v1/maintenance-windows/${mw.json().id}`, headers: bearer(admin) })).statusCode).toBe(204);
    expect((await fire({ team: 'b' }))?.suppressed_by).toBeNull();

    const scheme = await other.inject({ method: 'GET', url: '/api/v1/severities', headers: bearer(admin) });
    const items = scheme.json().items as { key: string }[];
    // A new most severe level: `critical` now maps onto it.
    const withDisaster = [{ ...items[0], key: 'DISASTER', name: 'Disaster' }, ...items];
    const put = await other.inject({ method: 'PUT', url: '/api/v1/severities', headers: bearer(admin), payload: { items: withDisaster } });
    expect(put.statusCode, put.body).toBe(200);
    expect((await fire({ severity: 'critical' }))?.severity).toBe('DISASTER');
  });

  it('notices a silence that starts later without any write in between', async () => {
    const startsAt = t.clock.now() + 60_000;
    const sil = await other.inject({
      method: 'POST', url: '/api/v2/silences', headers: bearer(admin),
      payload: { matchers: [{ name: 'team', value: 'later', isRegex: false }], startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 60_000).toISOString(), createdBy: 'me', comment: 'x' },
    });
    expect(sil.statusCode, sil.body).toBe(200);
    expect((await fire({ team: 'later' }))?.suppressed_by).toBeNull();
    t.clock.advance(61_000);
    expect((await fire({ team: 'later' }))?.suppressed_by).toBe(sil.json().silenceID);
    t.clock.advance(60_000);
    expect((await fire({ team: 'later' }))?.suppressed_by).toBeNull();
  });
});
