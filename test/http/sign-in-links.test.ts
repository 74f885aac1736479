import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * One-time sign-in links (issue 15): an admin makes one, shown once; the person opens it, chooses
 * a password and is signed in; the link never works twice, expires, is replaced by a newer one,
 * and does nothing for a disabled account. Only the token's hash is stored.
 */
describe.each(DIALECTS)('one-time sign-in links on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string };
  let responder: { token: string };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    responder = await t.userWithKey('responder');
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, token = admin.token) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
  const redeem = (token: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in-link', payload: { token, password } });
  const signIn = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });
  const tokenOf = (url: string) => url.split('#')[1]!;

  async function invite(email: string): Promise<{ id: string; url: string; expiresAt: string }> {
    const user = await call('POST', '/api/v1/users', { email, name: email.split('@')[0] });
    expect(user.statusCode).toBe(201);
    const link = await call('POST', `/api/v1/users/${user.json().id}/sign-in-link`, {});
    expect(link.statusCode, link.body).toBe(201);
    return { id: user.json().id, ...link.json() };
  }

  it('invites a person who opens the link once, chooses a password and is signed in', async () => {
    const { id, url, expiresAt } = await invite('new.hire@example.test');
    expect(url).toMatch(/^http:\/\/firebreak\.test\/welcome#[\w-]{43}$/);
    expect(Date.parse(expiresAt) - t.clock.now()).toBe(72 * 3600_000);
    // Only the hash is stored.
    const stored = await t.store.db.selectFrom('sign_in_links').selectAll().where('user_id', '=', id).execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(tokenOf(url));

    // A too-short password is refused by name and does not use the link up.
    const short = await redeem(tokenOf(url), 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json().issues[0].field).toBe('password');

    const opened = await redeem(tokenOf(url), 'a-good-long-password');
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().user.email).toBe('new.hire@example.test');
    const cookie = String(opened.headers['set-cookie']).split(';')[0]!;
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } })).json().email).toBe('new.hire@example.test');
    expect((await signIn('new.hire@example.test', 'a-good-long-password')).statusCode).toBe(200);

    const again = await redeem(tokenOf(url), 'another-long-password');
    expect(again.statusCode).toBe(401);
    expect(again.json().message).toContain('not valid');
    expect((await signIn('new.hire@example.test', 'another-long-password')).statusCode).toBe(401);
  });

  it('expires, is replaced by a newer link, and does nothing for a disabled account', async () => {
    const first = await invite('late@example.test');
    t.clock.advance(72 * 3600_000);
    expect((await redeem(tokenOf(first.url), 'a-good-long-password')).statusCode).toBe(401);

    const older = (await call('POST', `/api/v1/users/${first.id}/sign-in-link`, { validHours: 1 })).json();
    const newer = (await call('POST', `/api/v1/users/${first.id}/sign-in-link`, {})).json();
    expect((await redeem(tokenOf(older.url), 'a-good-long-password')).statusCode).toBe(401);

    expect((await call('PATCH', `/api/v1/users/${first.id}`, { disabled: true })).statusCode).toBe(200);
    expect((await redeem(tokenOf(newer.url), 'a-good-long-password')).statusCode).toBe(401);
    const refused = await call('POST', `/api/v1/users/${first.id}/sign-in-link`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('is disabled');
  });

  it('is for admins only, and names bad fields', async () => {
    const { id } = await invite('someone@example.test');
    expect((await call('POST', `/api/v1/users/${id}/sign-in-link`, {}, responder.token)).statusCode).toBe(403);
    const bad = await call('POST', `/api/v1/users/${id}/sign-in-link`, { validHours: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe('validHours');
    expect((await call('POST', '/api/v1/users/nobody@example.test/sign-in-link', {})).statusCode).toBe(404);
    const unknown = await redeem('not-a-real-token', 'a-good-long-password');
    expect(unknown.statusCode).toBe(401);
  });
});
