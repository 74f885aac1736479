import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * The catalogue of incident roles through the API: the three seeded roles, admin-only writes,
 * bad input naming the field, removal refused while an open incident holds the role, and
 * assignments that still accept any role name.
 */
describe.each(DIALECTS)('incident roles API on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string; userId: string; email: string };
  let responder: { token: string; userId: string };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    responder = await t.userWithKey('responder');
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, token = admin.token) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
  const keys = async () => ((await call('GET', '/api/v1/incident-roles', undefined, responder.token)).json().items as { key: string }[]).map((r) => r.key);

  it('lists the seeded roles in order, readable by a responder', async () => {
    const res = await call('GET', '/api/v1/incident-roles', undefined, responder.token);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((r: { key: string; name: string; managedBy: string | null }) => [r.key, r.name, r.managedBy])).toEqual([
      ['commander', 'Incident commander', null], ['communications', 'Communications lead', null], ['scribe', 'Scribe', null],
    ]);
  });

  it('adds a role at the end (admin only) and refuses a duplicate key', async () => {
    expect((await call('POST', '/api/v1/incident-roles', { key: 'security-lead', name: 'Security lead' }, responder.token)).statusCode).toBe(403);
    const res = await call('POST', '/api/v1/incident-roles', { key: 'security-lead', name: 'Security lead', description: 'Owns containment and evidence' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ key: 'security-lead', name: 'Security lead', description: 'Owns containment and evidence', position: 4, managedBy: null });
    expect(await keys()).toEqual(['commander', 'communications', 'scribe', 'security-lead']);
    const again = await call('POST', '/api/v1/incident-roles', { key: 'security-lead', name: 'Another' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('security-lead already exists');
  });

  it('names the field of bad input', async () => {
    const badKey = await call('POST', '/api/v1/incident-roles', { key: 'Security Lead', name: 'Security lead' });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().issues.map((i: { field: string }) => i.field)).toEqual(['key']);
    const noName = await call('POST', '/api/v1/incident-roles', { key: 'sme' });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().issues.map((i: { field: string }) => i.field)).toEqual(['name']);
    const badPosition = await call('PUT', '/api/v1/incident-roles/scribe', { position: -1 });
    expect(badPosition.statusCode).toBe(400);
    expect(badPosition.json().issues.map((i: { field: string }) => i.field)).toEqual(['position']);
    expect((await call('PUT', '/api/v1/incident-roles/nobody', { name: 'X' })).statusCode).toBe(404);
  });

  it('changes name, description and position; the key stays', async () => {
    const res = await call('PUT', '/api/v1/incident-roles/security-lead', { name: 'Security lead (on duty)', position: 0 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ key: 'security-lead', name: 'Security lead (on duty)', description: 'Owns containment and evidence', position: 0 });
    expect(await keys()).toEqual(['security-lead', 'commander', 'communications', 'scribe']);
    const cleared = await call('PUT', '/api/v1/incident-roles/security-lead', { description: null });
    expect(cleared.json().description).toBeNull();
  });

  it('refuses removal while an open incident holds the role, naming it; allows it after resolve', async () => {
    const inc = (await call('POST', '/api/v1/incidents', { title: 'Card fraud spike', severity: 'SEV2' })).json();
    const assigned = await call('PUT', `/api/v1/incidents/${inc.id}/roles/security-lead`, { user: responder.userId }, responder.token);
    expect(assigned.statusCode).toBe(200);
    const refused = await call('DELETE', '/api/v1/incident-roles/security-lead');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe(`incident role security-lead is held on 1 open incident (#${inc.number}); hand it off or resolve it first`);
    expect((await call('POST', `/api/v1/incidents/${inc.id}/resolve`, {})).statusCode).toBe(200);
    expect((await call('DELETE', '/api/v1/incident-roles/security-lead')).statusCode).toBe(204);
    expect(await keys()).not.toContain('security-lead');
    // The resolved incident keeps its history: the assignment names the role as text.
    const after = (await call('GET', `/api/v1/incidents/${inc.id}`)).json();
    expect(after.roles.map((r: { role: string }) => r.role)).toEqual(['security-lead']);
  });

  it('still accepts a role name the catalogue does not have on an incident', async () => {
    const inc = (await call('POST', '/api/v1/incidents', { title: 'Ledger lag', severity: 'SEV3' })).json();
    const res = await call('PUT', `/api/v1/incidents/${inc.id}/roles/ledger-sme`, { user: admin.userId }, responder.token);
    expect(res.statusCode).toBe(200);
    expect(res.json().roles).toContainEqual(expect.objectContaining({ role: 'ledger-sme', userId: admin.userId }));
  });
});
