import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

describe.each(DIALECTS)('users, teams, services, checklists and severities API on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string; userId: string; email: string };
  let responder: { token: string; userId: string; email: string; password: string };
  let viewer: { token: string; userId: string; email: string };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    responder = await t.userWithKey('responder');
    viewer = await t.userWithKey('viewer');
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, token: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

  async function signIn(email: string, password: string) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    return { cookie, csrf: res.json().csrfToken as string };
  }
  const sessionStatus = async (cookie: string) => (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } })).statusCode;

  describe('users', () => {
    it('lets anyone signed in list users, but only admins see more than id, email and name', async () => {
      const asViewer = (await call('GET', '/api/v1/users', viewer.token)).json().items;
      expect(Object.keys(asViewer[0]).sort()).toEqual(['email', 'id', 'name']);
      const asAdmin = (await call('GET', '/api/v1/users', admin.token)).json().items;
      expect(asAdmin[0]).toHaveProperty('role');
      expect(JSON.stringify(asAdmin)).not.toMatch(/scrypt|password_hash/);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
    });

    it('answers one user in full, with where they are paged, to an admin and to themself; the summary to anyone else', async () => {
      const other = (await call('GET', `/api/v1/users/${admin.userId}`, viewer.token)).json();
      expect(Object.keys(other).sort()).toEqual(['email', 'id', 'name']);
      expect((await call('GET', `/api/v1/users/${viewer.userId}`, viewer.token)).json()).toMatchObject({ id: viewer.userId, role: 'viewer', pagedVia: [] });
      expect((await call('GET', `/api/v1/users/${viewer.email}`, admin.token)).json()).toMatchObject({ id: viewer.userId, pagedVia: [] });
      // Where someone is paged is looked up one user at a time, never for a whole list.
      const listed = (await call('GET', '/api/v1/users', admin.token)).json().items as Record<string, unknown>[];
      expect(listed.filter((u) => 'pagedVia' in u)).toEqual([]);
    });

    it.each(['responder', 'viewer'] as const)('refuses user writes from a %s', async (role) => {
      const token = role === 'responder' ? responder.token : viewer.token;
      expect((await call('POST', '/api/v1/users', token, { email: 'x@example.test', name: 'X' })).statusCode).toBe(403);
      expect((await call('PATCH', `/api/v1/users/${admin.userId}`, token, { role: 'viewer' })).statusCode).toBe(403);
      expect((await call('PUT', `/api/v1/users/${admin.userId}/password`, token, { password: 'another-long-password' })).statusCode).toBe(403);
    });

    it('creates a user, rejects a duplicate and bad fields by name', async () => {
      const created = await call('POST', '/api/v1/users', admin.token, { email: 'New.Person@Example.test', name: 'New Person', role: 'viewer', timeZone: 'Europe/Paris' });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ email: 'new.person@example.test', role: 'viewer', timeZone: 'Europe/Paris', hasPassword: false, managedBy: null, disabled: false });
      expect(created.json()).not.toHaveProperty('passwordHash');
      expect((await call('POST', '/api/v1/users', admin.token, { email: 'new.person@example.test', name: 'Again' })).statusCode).toBe(409);
      const bad = await call('POST', '/api/v1/users', admin.token, { email: 'nope', name: '', role: 'root', timeZone: 'Nowhere/City' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().issues.map((i: { field: string }) => i.field).sort()).toEqual(['email', 'name', 'role', 'timeZone']);
    });

    it('lets users change their own name and time zone but not their role', async () => {
      const res = await call('PATCH', `/api/v1/users/${responder.userId}`, responder.token, { name: 'Renamed Responder', timeZone: 'Asia/Tokyo' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'Renamed Responder', timeZone: 'Asia/Tokyo' });
      expect((await call('PATCH', `/api/v1/users/${responder.userId}`, responder.token, { role: 'admin' })).statusCode).toBe(403);
    });

    it('a role change ends the user\'s sessions at once', async () => {
      const user = await t.userWithKey('responder');
      const { cookie } = await signIn(user.email, user.password);
      expect(await sessionStatus(cookie)).toBe(200);
      const res = await call('PATCH', `/api/v1/users/${user.userId}`, admin.token, { role: 'viewer' });
      expect(res.json()).toMatchObject({ role: 'viewer' });
      expect(await sessionStatus(cookie)).toBe(401);
      // Their API key now acts with the new role.
      expect((await call('POST', '/api/v1/incidents', user.token, { title: 'x', severity: 'SEV4' })).statusCode).toBe(403);
    });

    it('disabling ends sessions and stops API keys; re-enabling restores the key', async () => {
      const user = await t.userWithKey('responder');
      const { cookie } = await signIn(user.email, user.password);
      expect((await call('PATCH', `/api/v1/users/${user.email}`, admin.token, { disabled: true })).json()).toMatchObject({ disabled: true });
      expect(await sessionStatus(cookie)).toBe(401);
      expect((await call('GET', '/api/v1/incidents', user.token)).statusCode).toBe(401);
      await call('PATCH', `/api/v1/users/${user.email}`, admin.token, { disabled: false });
      expect((await call('GET', '/api/v1/incidents', user.token)).statusCode).toBe(200);
    });

    it('password: self needs the current one, admins set anyone\'s, and sessions end', async () => {
      const user = await t.userWithKey('responder');
      const { cookie, csrf } = await signIn(user.email, user.password);
      const noCurrent = await call('PUT', `/api/v1/users/${user.userId}/password`, user.token, { password: 'brand-new-password-1' });
      expect(noCurrent.statusCode).toBe(400);
      expect(noCurrent.json().issues[0].field).toBe('currentPassword');
      const wrong = await t.app.inject({ method: 'PUT', url: `/api/v1/users/${user.userId}/password`, headers: { cookie, 'x-csrf-token': csrf }, payload: { password: 'brand-new-password-1', currentPassword: 'wrong' } });
      expect(wrong.statusCode).toBe(400);
      const ok = await t.app.inject({ method: 'PUT', url: `/api/v1/users/${user.userId}/password`, headers: { cookie, 'x-csrf-token': csrf }, payload: { password: 'brand-new-password-1', currentPassword: user.password } });
      expect(ok.json()).toEqual({ sessionsEnded: 1 });
      expect(await sessionStatus(cookie)).toBe(401);
      await signIn(user.email, 'brand-new-password-1');
      expect((await call('PUT', `/api/v1/users/${user.userId}/password`, admin.token, { password: 'short' })).statusCode).toBe(400);
      expect((await call('PUT', `/api/v1/users/${user.userId}/password`, admin.token, { password: 'set-by-the-admin-1' })).statusCode).toBe(200);
      await signIn(user.email, 'set-by-the-admin-1');
    });

    it('never demotes or disables the last active admin', async () => {
      const others = await t.store.db.selectFrom('users').select('id').where('role', '=', 'admin').where('id', '!=', admin.userId).execute();
      await t.store.db.updateTable('users').set({ disabled: 1 }).where('id', 'in', others.map((o) => o.id)).execute();
      try {
        const demote = await call('PATCH', `/api/v1/users/${admin.userId}`, admin.token, { role: 'responder' });
        expect(demote.statusCode).toBe(409);
        expect(demote.json().message).toMatch(/last active admin/);
        expect((await call('PATCH', `/api/v1/users/${admin.userId}`, admin.token, { disabled: true })).statusCode).toBe(409);
      } finally {
        await t.store.db.updateTable('users').set({ disabled: 0 }).where('id', 'in', others.map((o) => o.id)).execute();
      }
      const second = await t.userWithKey('admin');
      expect((await call('PATCH', `/api/v1/users/${second.userId}`, admin.token, { role: 'responder' })).statusCode).toBe(200);
    });
  });

  describe('teams and services', () => {
    it('creates a team, manages members, and refuses non-admins', async () => {
      expect((await call('POST', '/api/v1/teams', responder.token, { slug: 'ops', name: 'Ops' })).statusCode).toBe(403);
      const team = await call('POST', '/api/v1/teams', admin.token, { slug: 'ops', name: 'Ops' });
      expect(team.statusCode).toBe(201);
      expect((await call('POST', '/api/v1/teams', admin.token, { slug: 'ops', name: 'Ops again' })).statusCode).toBe(409);
      expect((await call('POST', '/api/v1/teams', admin.token, { slug: 'Bad Slug', name: 'x' })).json().issues[0].field).toBe('slug');
      const added = await call('PUT', `/api/v1/teams/ops/members/${responder.email}`, admin.token, { role: 'manager' });
      expect(added.json().members).toEqual([expect.objectContaining({ email: responder.email, role: 'manager' })]);
      expect((await call('PUT', '/api/v1/teams/ops/members/ghost@example.test', admin.token, {})).json().issues[0].field).toBe('user');
      expect((await call('GET', '/api/v1/teams', viewer.token)).json().items.map((x: { slug: string }) => x.slug)).toContain('ops');
      const user = (await call('GET', `/api/v1/users/${responder.userId}`, responder.token)).json();
      expect(user.teams).toEqual([{ slug: 'ops', name: 'Ops', role: 'manager' }]);
      expect((await call('DELETE', `/api/v1/teams/ops/members/${responder.email}`, admin.token)).json().members).toEqual([]);
      expect((await call('DELETE', `/api/v1/teams/ops/members/${responder.email}`, admin.token)).statusCode).toBe(404);
      expect((await call('PATCH', '/api/v1/teams/ops', admin.token, { name: 'Operations' })).json().name).toBe('Operations');
    });

    it('creates, updates and deletes services owned by teams', async () => {
      expect((await call('POST', '/api/v1/services', responder.token, { slug: 'db', name: 'DB' })).statusCode).toBe(403);
      const created = await call('POST', '/api/v1/services', admin.token, { slug: 'db', name: 'Database', team: 'ops' });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ slug: 'db', team: { slug: 'ops' }, managedBy: null });
      expect((await call('POST', '/api/v1/services', admin.token, { slug: 'db2', name: 'x', team: 'nope' })).json().issues[0].field).toBe('team');
      expect((await call('PATCH', '/api/v1/services/db', admin.token, { team: null, description: 'Primary' })).json()).toMatchObject({ team: null, description: 'Primary' });
      expect((await call('GET', '/api/v1/services/db', viewer.token)).json().name).toBe('Database');
      expect((await call('DELETE', '/api/v1/services/db', viewer.token)).statusCode).toBe(403);
      expect((await call('DELETE', '/api/v1/services/db', admin.token)).statusCode).toBe(204);
      expect((await call('GET', '/api/v1/services/db', viewer.token)).statusCode).toBe(404);
      expect((await call('DELETE', '/api/v1/teams/ops', admin.token)).statusCode).toBe(204);
    });
  });

  describe('checklists and the severity scheme', () => {
    it('manages checklist templates that apply to new incidents', async () => {
      expect((await call('POST', '/api/v1/checklist-templates', responder.token, { slug: 'c', name: 'C', severities: ['SEV1'], items: ['a'] })).statusCode).toBe(403);
      const bad = await call('POST', '/api/v1/checklist-templates', admin.token, { slug: 'c', name: 'C', severities: ['SEV9'], items: ['a'] });
      expect(bad.json().issues[0].field).toBe('severities.0');
      const created = await call('POST', '/api/v1/checklist-templates', admin.token, { slug: 'sev2-start', name: 'SEV2 start', severities: ['sev2'], items: ['Page the owner'] });
      expect(created.json()).toMatchObject({ severities: ['SEV2'], items: ['Page the owner'] });
      const inc = (await call('POST', '/api/v1/incidents', responder.token, { title: 'Queue backlog', severity: 'SEV2' })).json();
      const tasks = (await call('GET', `/api/v1/incidents/${inc.id}`, responder.token)).json().tasks;
      expect(tasks.map((x: { title: string }) => x.title)).toContain('Page the owner');
      expect((await call('PATCH', '/api/v1/checklist-templates/sev2-start', admin.token, { items: ['Page the owner', 'Open a bridge'] })).json().items).toHaveLength(2);
      expect((await call('GET', '/api/v1/checklist-templates', viewer.token)).json().items).toHaveLength(1);
      expect((await call('DELETE', '/api/v1/checklist-templates/sev2-start', admin.token)).statusCode).toBe(204);
      await call('POST', `/api/v1/incidents/${inc.id}/resolve`, responder.token, {});
    });

    it('replaces the scheme (admin only) and refuses to drop a level open incidents use', async () => {
      const scheme = [{ key: 'P1', name: 'Critical', ackTargetSeconds: 300 }, { key: 'P2', name: 'High' }, { key: 'SEV3', name: 'Minor' }];
      expect((await call('PUT', '/api/v1/severities', responder.token, { items: scheme })).statusCode).toBe(403);
      const open = (await call('POST', '/api/v1/incidents', responder.token, { title: 'Still open', severity: 'SEV1' })).json();
      const refused = await call('PUT', '/api/v1/severities', admin.token, { items: scheme });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toContain(`#${open.number}`);
      await call('POST', `/api/v1/incidents/${open.id}/severity`, responder.token, { severity: 'SEV3' });
      const replaced = await call('PUT', '/api/v1/severities', admin.token, { items: scheme });
      expect(replaced.statusCode).toBe(200);
      expect(replaced.json().items.map((s: { key: string }) => s.key)).toEqual(['P1', 'P2', 'SEV3']);
      const duplicate = await call('PUT', '/api/v1/severities', admin.token, { items: [{ key: 'A', name: 'a' }, { key: 'a', name: 'b' }] });
      expect(duplicate.statusCode).toBe(400);
      expect(duplicate.json().issues[0].field).toBe('items.1.key');
    });
  });
});
