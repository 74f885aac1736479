import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

describe.each(DIALECTS)('HTTP basics on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string };
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
  });
  afterAll(() => t?.close());

  it('every route that is not public answers 401 without credentials (S2)', async () => {
    const guarded = t.routes.routes.filter((r) => r.access !== 'public');
    expect(guarded.length).toBeGreaterThan(10);
    for (const r of guarded) {
      const url = r.url.replace(/:([A-Za-z]+)/g, 'x');
      const res = await t.app.inject({ method: r.method as 'GET', url, payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      expect([r.method, r.url, res.statusCode]).toEqual([r.method, r.url, 401]);
    }
    // The public ones are exactly these; adding one must be a deliberate change to this list.
    expect(t.routes.routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /api/v1/auth/sign-in',
      // A sign-in link carries its own single-use token (test/http/sign-in-links.test.ts).
      'POST /api/v1/auth/sign-in-link',
      // Runners authenticate with X-Runner-Token in the handler (test/runbooks/runner.test.ts).
      'POST /api/v1/runner/register', 'GET /api/v1/runner/jobs', 'POST /api/v1/runner/jobs/:job/output', 'POST /api/v1/runner/jobs/:job/finish',
      // Paging: each carries its own proof — a signed link token, Slack's request signature, a
      // feed MAC (test/paging/escalation-e2e.test.ts, test/paging/signatures.test.ts).
      // Status pages: public by design; they read nothing private (test/statuspages/public-pages.test.ts).
      'GET /status/:slug', ...['summary', 'status', 'components', 'incidents', 'incidents/unresolved', 'scheduled-maintenances', 'scheduled-maintenances/upcoming', 'scheduled-maintenances/active'].map((f) => `GET /status/:slug/api/v2/${f}.json`),
      'GET /status/:slug/history.rss', 'GET /status/:slug/history.atom',
      'GET /ack/:token', 'POST /ack/:token', 'POST /integrations/slack/interactions', 'GET /ical/schedules/:file', 'GET /ical/users/:file',
      // Subscribing needs no account; confirm and unsubscribe carry their own random token, and
      // only the POST acts (test/statuspages/subscribers.test.ts).
      'POST /status/:slug/subscribe', 'GET /status/:slug/subscribe/confirm', 'POST /status/:slug/subscribe/confirm', 'GET /status/:slug/unsubscribe', 'POST /status/:slug/unsubscribe',
    ]);
  });

  it('rejects malformed, oversized and mistyped bodies with 4xx JSON errors', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...bearer(admin.token), 'content-type': 'application/json' }, payload: '{"title":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION', issues: [{ field: 'body' }] });
    const big = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...bearer(admin.token), 'content-type': 'application/json' }, payload: JSON.stringify({ title: 'x'.repeat(2_000_000) }) });
    expect(big.statusCode).toBe(413);
    const text = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...bearer(admin.token), 'content-type': 'text/xml' }, payload: '<a/>' });
    expect(text.statusCode).toBe(400);
    expect(text.json().issues[0].field).toBe('body');
    const proto = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...bearer(admin.token), 'content-type': 'application/json' }, payload: '{"__proto__":{"admin":true},"title":"p","severity":"SEV4"}' });
    expect(proto.statusCode).toBeLessThan(500);
    const deep = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...bearer(admin.token), 'content-type': 'application/json' }, payload: '['.repeat(5000) + ']'.repeat(5000) });
    expect(deep.statusCode).toBe(400);
  });

  it('refuses wrong, revoked and garbled keys with 401', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer('fbk_garbage') })).statusCode).toBe(401);
    const key = (await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin.token), payload: { name: 'temp', scopes: ['read'] } })).json();
    expect(key.token).toMatch(/^fbk_/);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(key.token) })).statusCode).toBe(200);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: bearer(admin.token) })).json().items;
    expect(JSON.stringify(listed)).not.toContain(key.token);
    expect(listed.find((k: { id: string }) => k.id === key.id).lastUsedAt).not.toBeNull();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}`, headers: bearer(admin.token) })).json().revokedAt).not.toBeNull();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(key.token) })).statusCode).toBe(401);
    // The database holds only hashes.
    const rows = await t.store.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(key.token.split('_')[2]!.slice(0, 32));
  });

  it('a read-scoped key of an admin cannot write', async () => {
    const readKey = (await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin.token), payload: { name: 'ro', scopes: ['read'] } })).json();
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: bearer(readKey.token), payload: { title: 'x', severity: 'SEV1' } })).statusCode).toBe(403);
  });

  it('signs in with a session cookie and demands the CSRF token for changes', async () => {
    const user = await t.userWithKey('responder');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: user.email, password: 'nope' } });
    expect(wrong.statusCode).toBe(401);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: user.email.toUpperCase(), password: user.password } });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/firebreak_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const cookie = setCookie.split(';')[0]!;
    const { csrfToken } = res.json();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { cookie }, payload: { title: 'x', severity: 'SEV4' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { cookie, 'x-csrf-token': csrfToken, 'sec-fetch-site': 'cross-site' }, payload: { title: 'x', severity: 'SEV4' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { cookie, 'x-csrf-token': csrfToken }, payload: { title: 'x', severity: 'SEV4' } })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie, 'x-csrf-token': csrfToken } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { cookie } })).statusCode).toBe(401);
  });

  it('locks an account after ten failed sign-ins with 429 and Retry-After', async () => {
    const user = await t.userWithKey('viewer');
    for (let i = 0; i < 10; i++) await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: user.email, password: 'wrong' } });
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: user.email, password: user.password } });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(16 * 60_000);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: user.email, password: user.password } })).statusCode).toBe(200);
  });

  it('serves health, readiness, metrics and an OpenAPI document covering every route', async () => {
    expect((await t.app.inject({ url: '/health' })).json().status).toBe('ok');
    expect((await t.app.inject({ url: '/ready' })).json()).toEqual({ status: 'ready', store: dialect });
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('http_requests_total{');
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const r of t.routes.routes) {
      expect(doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')][r.method.toLowerCase()]).toBeDefined();
    }
    expect(doc.paths['/api/v1/incidents'].post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['title', 'severity']));
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.app.inject({ url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });
});
