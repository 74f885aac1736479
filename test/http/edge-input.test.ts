import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Input that one database accepts and the other cannot store is made storable at the edge, the
 * same on both (found by test/fuzz): a NUL anywhere in a path parameter, a query value or a body
 * answered 500 on PostgreSQL and was stored on SQLite; it becomes U+FFFD (http/storable-input.ts).
 */
describe.each(DIALECTS)('API edge input on %s', (dialect) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    token = (await t.userWithKey('admin')).token;
  });
  afterAll(() => t?.close());

  const send = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, auth = true) =>
    t.app.inject({ method, url, headers: auth ? bearer(token) : {}, ...(payload ? { payload } : {}) });

  it('stores NUL in a body or a body key as U+FFFD, the same on both databases, and finds nothing for a NUL id', async () => {
    const created = await send('POST', '/api/v1/incidents', { title: 'disk\u0000full', severity: 'SEV3' });
    expect(created.statusCode, created.body).toBe(201);
    expect((await send('GET', `/api/v1/incidents/${created.json().id}`)).json().title).toBe('disk\ufffdfull');
    const signIn = await send('POST', '/api/v1/auth/sign-in', { email: 'a\u0000@example.test', password: 'whatever-long-enough' }, false);
    expect(signIn.statusCode).toBe(401);
    const search = await send('GET', '/api/v1/runbooks?q=disk%00full');
    expect(search.statusCode).toBe(200);
    for (const [method, url] of [['GET', '/api/v1/users/usr_x%00'], ['DELETE', '/api/v1/teams/%00']] as const) {
      expect((await send(method, url)).statusCode, url).toBe(404);
    }
  });

  it('still stores other control characters, as both databases do', async () => {
    const res = await send('POST', '/api/v1/incidents', { title: 'bell \u0007 and escape \u001b', severity: 'SEV3' });
    expect(res.statusCode, res.body).toBe(201);
    expect((await send('GET', `/api/v1/incidents/${res.json().id}`)).json().title).toBe('bell \u0007 and escape \u001b');
  });

  it('answers 404, not 503, on the Slack endpoint when Slack is not configured', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/integrations/slack/interactions', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'payload=%7B%7D' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/not configured/);
  });
});
