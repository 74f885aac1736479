import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

interface Component { id: string; name: string; group: boolean; groupId: string | null; position: number; services: string[]; status: string }

/** Components of an API-managed page renamed, moved, remapped and removed after they were added. */
describe.each(DIALECTS)('status page components changed and removed on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string };
  let responder: { token: string };
  const call = (method: 'POST' | 'PATCH' | 'DELETE' | 'GET', url: string, body?: unknown, token = admin.token) =>
    t.app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }), headers: bearer(token) });
  const components = async (): Promise<Component[]> => (await call('GET', '/api/v1/status-pages/acme')).json().components;
  const byName = async (name: string) => (await components()).find((c) => c.name === name)!;
  /** The page as the public reads it: top level in order, each group's members in order after it. */
  const outline = async () => {
    const all = await components();
    return all.filter((c) => !c.groupId).map((c) => (c.group ? `${c.name}[${all.filter((m) => m.groupId === c.id).map((m) => m.name).join(',')}]` : c.name)).join(' ');
  };
  const field = (res: { json(): { issues?: { field: string }[] } }) => res.json().issues?.map((i) => i.field);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    responder = await t.userWithKey('responder');
    for (const slug of ['payments', 'search', 'web']) expect((await call('POST', '/api/v1/services', { slug, name: slug })).statusCode).toBe(201);
    for (const slug of ['acme', 'other']) expect((await call('POST', '/api/v1/status-pages', { slug, name: slug })).statusCode).toBe(201);
    const add = async (body: object, page = 'acme') => expect((await call('POST', `/api/v1/status-pages/${page}/components`, body)).statusCode).toBe(201);
    await add({ name: 'Core', isGroup: true });
    await add({ name: 'Payments', group: 'Core', services: ['payments'] });
    await add({ name: 'Search', group: 'Core', services: ['search'] });
    await add({ name: 'Edge', isGroup: true });
    await add({ name: 'Website', services: ['web'] });
    await add({ name: 'Legacy API' });
    await add({ name: 'Elsewhere' }, 'other');
  });
  afterAll(() => t?.close());

  it('renames a component under the same id, and refuses a name the page already has', async () => {
    const before = await byName('Website');
    const res = await call('PATCH', '/api/v1/status-pages/acme/components/Website', { name: 'Web app', description: 'The dashboard.' });
    expect(res.statusCode, res.body).toBe(200);
    const after = await byName('Web app');
    expect(after.id).toBe(before.id);
    expect((await t.app.inject({ url: '/status/acme/api/v2/components.json' })).json().components.map((c: { name: string }) => c.name)).toContain('Web app');
    const dup = await call('PATCH', `/api/v1/status-pages/acme/components/${before.id}`, { name: 'Search' });
    expect(dup.statusCode).toBe(400);
    expect(field(dup)).toEqual(['name']);
    const dupAdd = await call('POST', '/api/v1/status-pages/acme/components', { name: 'Payments' });
    expect(dupAdd.statusCode).toBe(400);
    expect(field(dupAdd)).toEqual(['name']);
  });

  it('lets one of several writers racing for the same name have it; the others get the 400, never a 500', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/api/v1/status-pages/other/components', { name: 'Raced' })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 400, 400, 400, 400, 400]);
    for (const r of results.filter((x) => x.statusCode === 400)) expect(field(r)).toEqual(['name']);
    const renames = await Promise.all(['Elsewhere', 'Raced'].map((c) => call('PATCH', `/api/v1/status-pages/other/components/${c}`, { name: 'Renamed' })));
    expect(renames.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    expect((await call('DELETE', '/api/v1/status-pages/other/components/Renamed')).statusCode).toBe(200);
  });

  it('moves components between groups and places, keeping the order whole', async () => {
    expect(await outline()).toBe('Core[Payments,Search] Edge[] Web app Legacy API');
    expect((await call('PATCH', '/api/v1/status-pages/acme/components/Web app', { group: 'Edge' })).statusCode).toBe(200);
    expect(await outline()).toBe('Core[Payments,Search] Edge[Web app] Legacy API');
    expect((await call('PATCH', '/api/v1/status-pages/acme/components/Search', { position: 1 })).statusCode).toBe(200);
    expect(await outline()).toBe('Core[Search,Payments] Edge[Web app] Legacy API');
    expect((await call('PATCH', '/api/v1/status-pages/acme/components/Legacy API', { position: 1 })).statusCode).toBe(200);
    expect(await outline()).toBe('Legacy API Core[Search,Payments] Edge[Web app]');
    expect((await call('PATCH', '/api/v1/status-pages/acme/components/Search', { group: null, position: 99 })).statusCode).toBe(200);
    expect(await outline()).toBe('Legacy API Core[Payments] Edge[Web app] Search');
    const positions = (await components()).map((c) => c.position);
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    // The public page reads the same order.
    const summary = (await t.app.inject({ url: '/status/acme/api/v2/summary.json' })).json();
    expect(summary.components.filter((c: { group_id: string | null }) => !c.group_id).map((c: { name: string }) => c.name)).toEqual(['Legacy API', 'Core', 'Edge', 'Search']);
  });

  it('remaps services: the derived status follows, the group shows it, and subscribers hear of it', async () => {
    expect((await call('POST', '/api/v1/status-pages/acme/subscribers', { kind: 'email', address: 'all@example.test', confirmed: true })).statusCode).toBe(201);
    expect((await call('POST', '/api/v1/incidents', { title: 'web down', severity: 'SEV1', service: 'web' })).statusCode).toBe(201);
    expect((await byName('Web app')).status).toBe('major_outage');
    expect((await byName('Core')).status).toBe('operational');
    const notices = async () => (await t.store.db.selectFrom('subscriber_notifications').select(['kind', 'payload']).where('kind', '=', 'component').execute()).map((r) => JSON.parse(r.payload).subject as string);
    const before = (await notices()).length;
    // Payments now also follows web: it and its group go down.
    expect((await call('PATCH', '/api/v1/status-pages/acme/components/Payments', { services: ['payments', 'web'] })).statusCode).toBe(200);
    expect((await byName('Payments')).status).toBe('major_outage');
    expect((await byName('Core')).status).toBe('major_outage');
    expect((await notices()).slice(before).sort()).toEqual(['[acme] Core: Major outage', '[acme] Payments: Major outage']);
    expect((await call('PATCH', '/api/v1/status-pages/acme/components/Payments', { services: ['payments'] })).statusCode).toBe(200);
    expect((await byName('Core')).status).toBe('operational');
  });

  it('refuses a third level, a component as a group, services on a group, and names the field', async () => {
    const cases: [string, object, number, string[] | undefined][] = [
      ['Edge', { group: 'Core' }, 400, ['group']],
      ['Search', { group: 'Legacy API' }, 400, ['group']],
      ['Search', { group: 'Nowhere' }, 400, ['group']],
      ['Core', { services: ['payments'] }, 400, ['services']],
      ['Search', { services: ['billing'] }, 400, ['services.0']],
      ['Search', { position: 0 }, 400, ['position']],
      ['Search', { name: '' }, 400, ['name']],
      ['Elsewhere', { name: 'Mine now' }, 404, undefined],
    ];
    for (const [component, body, status, fields] of cases) {
      const res = await call('PATCH', `/api/v1/status-pages/acme/components/${encodeURIComponent(component)}`, body);
      expect(res.statusCode, `${component} ${JSON.stringify(body)}: ${res.body}`).toBe(status);
      if (fields) expect(field(res)).toEqual(fields);
    }
    expect((await call('PATCH', '/api/v1/status-pages/acme/components/Search', { name: 'Find' }, responder.token)).statusCode).toBe(403);
    expect((await call('DELETE', '/api/v1/status-pages/acme/components/Search', undefined, responder.token)).statusCode).toBe(403);
    expect((await call('DELETE', '/api/v1/status-pages/acme/components/Elsewhere')).statusCode).toBe(404);
  });

  it('removes a component: published incidents, maintenances and subscribers stop listing it', async () => {
    const legacy = await byName('Legacy API');
    const search = await byName('Search');
    expect((await call('POST', '/api/v1/status-pages/acme/subscribers', { kind: 'email', address: 'legacy@example.test', components: ['Legacy API'], confirmed: true })).statusCode).toBe(201);
    expect((await call('POST', '/api/v1/status-pages/acme/subscribers', { kind: 'email', address: 'both@example.test', components: ['Legacy API', 'Search'], confirmed: true })).statusCode).toBe(201);
    const inc = (await call('POST', '/api/v1/incidents', { title: 'legacy', severity: 'SEV3', service: 'search' })).json();
    expect((await call('POST', '/api/v1/status-pages/acme/incidents', { incident: String(inc.number), name: 'Old API slow', body: 'Looking.', components: ['Legacy API', 'Search'] })).statusCode).toBe(201);
    const start = new Date(t.clock.now() + 86_400_000);
    const m = await call('POST', '/api/v1/status-pages/acme/maintenances', { name: 'Retire', scheduledFor: start.toISOString(), scheduledUntil: new Date(start.getTime() + 3_600_000).toISOString(), components: ['Legacy API'] });
    expect(m.statusCode, m.body).toBe(201);

    const res = await call('DELETE', '/api/v1/status-pages/acme/components/Legacy API');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().components.map((c: Component) => c.name)).not.toContain('Legacy API');
    const subs = (await call('GET', '/api/v1/status-pages/acme/subscribers')).json().items as { address: string; components: string[] }[];
    expect(Object.fromEntries(subs.map((s) => [s.address, s.components]))).toEqual({ 'all@example.test': [], 'legacy@example.test': [], 'both@example.test': [search.id] });
    const published = await t.store.db.selectFrom('public_incidents').select('components').where('name', '=', 'Old API slow').executeTakeFirstOrThrow();
    expect(JSON.parse(published.components)).toEqual([search.id]);
    const maintenance = await t.store.db.selectFrom('scheduled_maintenances').select('components').where('name', '=', 'Retire').executeTakeFirstOrThrow();
    expect(JSON.parse(maintenance.components)).toEqual([]);
    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'data']).where('target', '=', legacy.id).where('action', '=', 'statuspage.component.remove').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.data)).toMatchObject({ name: 'Legacy API', subscribersNowFollowingTheWholePage: 1 });
    const positions = (await components()).map((c) => c.position);
    expect(positions).toEqual(positions.map((_, i) => i + 1));
  });

  it("removes a group without its members: they move to the top level where it was", async () => {
    expect(await outline()).toBe('Core[Payments] Edge[Web app] Search');
    const payments = await byName('Payments');
    expect((await call('DELETE', '/api/v1/status-pages/acme/components/Core')).statusCode).toBe(200);
    expect(await outline()).toBe('Payments Edge[Web app] Search');
    expect((await byName('Payments')).id).toBe(payments.id);
    expect((await call('DELETE', '/api/v1/status-pages/acme/components/Core')).statusCode).toBe(404);
  });
});
