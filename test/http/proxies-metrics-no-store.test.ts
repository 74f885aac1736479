import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/** Issue 11, items 20 and 21: who request.ip is, who may read /metrics, and what caches may keep. */

const FORGED = '203.0.113.9';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

describe.each(DIALECTS)('trusted proxies, the metrics token and no-store answers (%s)', (dialect) => {
  let plain: TestApp;
  let behindProxy: TestApp;
  let plainAdmin: string;
  let proxyAdmin: string;

  beforeAll(async () => {
    plain = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.0/8' } } });
    behindProxy = await createTestApp(dialect, { http: { trustedProxies: ['127.0.0.1'], metricsToken: METRICS_TOKEN } });
    plainAdmin = (await plain.userWithKey('admin')).token;
    proxyAdmin = (await behindProxy.userWithKey('admin')).token;
  });
  afterAll(async () => {
    await plain?.close();
    await behindProxy?.close();
  });

  /** The source address the audit log recorded for an API key made with a forged X-Forwarded-For. */
  const auditedIp = async (t: TestApp, admin: string, remoteAddress: string): Promise<string | null> => {
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', remoteAddress, headers: { ...bearer(admin), 'x-forwarded-for': FORGED }, payload: { name: `k-${remoteAddress}`, scopes: ['read'] } });
    expect(made.statusCode, made.body).toBe(201);
    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=5', headers: bearer(admin) });
    expect(audit.statusCode, audit.body).toBe(200);
    const entry = (audit.json().items as { action: string; ip: string | null; target: string }[]).find((e) => e.target === made.json().id);
    expect(entry, audit.body).toBeDefined();
    return entry!.ip;
  };

  it('without FIREBREAK_TRUSTED_PROXIES a forged X-Forwarded-For does not change the client address', async () => {
    expect(await auditedIp(plain, plainAdmin, '127.0.0.1')).toBe('127.0.0.1');
  });

  it('with it, a listed proxy is believed and any other peer is not', async () => {
    expect(await auditedIp(behindProxy, proxyAdmin, '127.0.0.1')).toBe(FORGED);
    expect(await auditedIp(behindProxy, proxyAdmin, '127.0.0.2')).toBe('127.0.0.2');
  });

  it('/metrics is open without a token and needs the Bearer token when one is set', async () => {
    expect((await plain.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    const none = await behindProxy.app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.body).not.toContain('http_requests_total');
    expect((await behindProxy.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } })).statusCode).toBe(401);
    const ok = await behindProxy.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('http_requests_total');
  });

  it('every answer that carries a new secret is sent with Cache-Control: no-store', async () => {
    const t = plain;
    const admin = bearer(plainAdmin);
    const user = await t.userWithKey('responder');
    const integration = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: admin, payload: { name: 'am', format: 'alertmanager-webhook' } });
    const schedule = await t.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: { name: 'primary', timeZone: 'UTC', layers: [{ id: 'base', name: '24x7', rotation: { type: 'weekly', handoffTime: '09:00', startDate: '2026-02-02', members: [user.userId] } }] } });
    expect(schedule.statusCode, schedule.body).toBe(201);
    const answers = {
      'api key': await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: admin, payload: { name: 'ci', scopes: ['read'] } }),
      integration,
      'integration key rotation': await t.app.inject({ method: 'POST', url: `/api/v1/integrations/${integration.json().id}/rotate-key`, headers: admin }),
      runner: await t.app.inject({ method: 'POST', url: '/api/v1/runners', headers: admin, payload: { name: 'r1', allow: ['kubectl get'] } }),
      'webhook contact (generated secret)': await t.app.inject({ method: 'POST', url: '/api/v1/contact-methods', headers: bearer(user.token), payload: { kind: 'webhook', address: 'http://127.0.0.1:9/hook' } }),
      'user feed URL': await t.app.inject({ method: 'GET', url: `/api/v1/users/${user.userId}/feed`, headers: bearer(user.token) }),
      'schedule feed URL': await t.app.inject({ method: 'GET', url: `/api/v1/schedules/${schedule.json().id}/feed`, headers: admin }),
      'sign-in (session cookie, CSRF token)': await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: user.email, password: user.password } }),
      'session (CSRF token)': await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(user.token) }),
      'runner job claim (the command to run)': await t.app.inject({ method: 'GET', url: '/api/v1/runner/jobs', headers: { 'x-runner-token': 'fbr_unknown' } }),
    };
    for (const [what, res] of Object.entries(answers)) {
      expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(what.startsWith('runner job') ? 500 : 300);
      expect(res.headers['cache-control'], what).toBe('no-store');
    }
    // Not every answer: an ordinary read may be cached as the client likes.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: admin })).headers['cache-control']).toBeUndefined();
  });
});
