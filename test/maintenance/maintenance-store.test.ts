import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Scheduled maintenance end to end through the API, the durable timers (worker drained by the
 * test at the clock it moves) and the public page, on both databases.
 */
const MIN = 60_000;
const START = Date.parse('2026-03-01T10:00:00Z');
const at = (minutes: number) => new Date(START + minutes * MIN).toISOString();

describe.each(DIALECTS)('scheduled maintenance on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let id: string;

  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, token = admin) =>
    t.app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }), headers: bearer(token) });
  const pub = async (file: string) => (await t.app.inject({ method: 'GET', url: `/status/acme/api/v2/${file}` })).json();
  const timerOf = (mid: string) => t.store.db.selectFrom('timers').selectAll().where('key', '=', `maintenance:${mid}`).executeTakeFirst();
  const announcements = async (mid: string) => (await t.store.db.selectFrom('maintenance_announcements').select('kind').where('maintenance_id', '=', mid).orderBy('created_at').orderBy('id').execute()).map((a) => a.kind);
  /**
   * Changes made by the worker (a timer) reach the public answers within the public cache's
   * time (1.5 s); changes through the API clear it at once.
   */
  const afterCacheTime = () => new Promise((resolve) => setTimeout(resolve, 1600));
  const statusOf = async (name: string) => (await pub('components.json')).components.find((c: { name: string }) => c.name === name).status;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    viewer = (await t.userWithKey('viewer')).token;
    expect((await req('POST', '/api/v1/services', { slug: 'db', name: 'Database' })).statusCode).toBe(201);
    expect((await req('POST', '/api/v1/status-pages', { slug: 'acme', name: 'Acme' })).statusCode).toBe(201);
    expect((await req('POST', '/api/v1/status-pages', { slug: 'other', name: 'Other' })).statusCode).toBe(201);
    for (const name of ['API', 'Database']) expect((await req('POST', '/api/v1/status-pages/acme/components', { name })).statusCode).toBe(201);
    expect((await req('POST', '/api/v1/status-pages/other/components', { name: 'Elsewhere' })).statusCode).toBe(201);
  });
  afterAll(() => t?.close());

  it('refuses bad input with a 4xx naming the field', async () => {
    const good = { name: 'DB upgrade', scheduledFor: at(120), scheduledUntil: at(180), components: ['Database'] };
    const field = async (body: object) => {
      const res = await req('POST', '/api/v1/status-pages/acme/maintenances', { ...good, ...body });
      expect(res.statusCode, res.body).toBe(400);
      return res.json().issues[0].field as string;
    };
    expect(await field({ scheduledFor: at(-1) })).toBe('scheduledFor');
    expect(await field({ scheduledUntil: at(60) })).toBe('scheduledUntil');
    expect(await field({ scheduledFor: 'tomorrow' })).toBe('scheduledFor');
    expect(await field({ components: ['Database', 'Elsewhere'] })).toBe('components.1');
    expect(await field({ services: ['nope'] })).toBe('services.0');
    expect(await field({ matchers: 'alertname=~"("' })).toBe('matchers');
    expect(await field({ name: '' })).toBe('name');
    expect((await req('POST', '/api/v1/status-pages/acme/maintenances', good, viewer)).statusCode).toBe(403);
  });

  it('schedules: announced, public as upcoming, a durable timer for the reminder', async () => {
    const res = await req('POST', '/api/v1/status-pages/acme/maintenances', {
      name: 'DB upgrade', description: 'We upgrade **PostgreSQL**.', scheduledFor: at(120), scheduledUntil: at(180),
      components: ['Database'], matchers: 'alertname="DiskFull"', services: ['db'], remindMinutes: 30,
    });
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json();
    id = m.id;
    expect(m).toMatchObject({ status: 'scheduled', components: [{ name: 'Database' }], matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }], silenceId: null });
    expect(await announcements(id)).toEqual(['scheduled']);
    expect(await timerOf(id)).toMatchObject({ kind: 'maintenance', run_at: START + 90 * MIN });
    const upcoming = (await pub('scheduled-maintenances/upcoming.json')).scheduled_maintenances;
    expect(upcoming.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([[id, 'scheduled']]);
    expect((await pub('scheduled-maintenances/active.json')).scheduled_maintenances).toEqual([]);
    expect((await pub('summary.json')).scheduled_maintenances.map((x: { id: string }) => x.id)).toEqual([id]);
    const html = (await t.app.inject({ method: 'GET', url: '/status/acme' })).body;
    expect(html).toContain('Scheduled maintenance');
    expect(html).toContain('We upgrade <strong>PostgreSQL</strong>.');
    expect((await req('GET', '/api/v1/status-pages/acme/maintenances', undefined, viewer)).json().items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await req('GET', `/api/v1/status-pages/other/maintenances/${id}`)).statusCode).toBe(404);
  });

  it('answers with Statuspage scheduled maintenance shapes (an incident with a schedule)', async () => {
    for (const file of ['scheduled-maintenances.json', 'scheduled-maintenances/upcoming.json', 'scheduled-maintenances/active.json']) {
      expect(Object.keys(await pub(file)).sort()).toEqual(['page', 'scheduled_maintenances']);
    }
    const [m] = (await pub('scheduled-maintenances.json')).scheduled_maintenances;
    expect(Object.keys(m).sort()).toEqual([
      'components', 'created_at', 'id', 'impact', 'incident_updates', 'monitoring_at', 'name', 'page_id', 'resolved_at',
      'scheduled_for', 'scheduled_until', 'shortlink', 'started_at', 'status', 'updated_at',
    ]);
    expect(m).toMatchObject({ status: 'scheduled', impact: 'maintenance', scheduled_for: at(120), scheduled_until: at(180), resolved_at: null, monitoring_at: null, shortlink: `http://firebreak.test/status/acme#maintenance-${id}` });
    expect(m.components.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([['Database', 'operational']]);
    expect(Object.keys(m.incident_updates[0]).sort()).toEqual(['affected_components', 'body', 'created_at', 'custom_tweet', 'deliver_notifications', 'display_at', 'id', 'incident_id', 'status', 'tweet_id', 'updated_at']);
    expect(m.incident_updates[0]).toMatchObject({ status: 'scheduled', body: 'We upgrade **PostgreSQL**.', incident_id: id });
    // Nothing internal: the matchers and services it silences stay private.
    const body = JSON.stringify(await pub('summary.json'));
    expect(body).not.toContain('DiskFull');
    expect(body).not.toContain('svc_');
  });

  it('nothing happens early; the reminder comes at its time, then the start timer', async () => {
    t.clock.set(START + 89 * MIN);
    await t.paging.worker.drain();
    expect(await announcements(id)).toEqual(['scheduled']);
    t.clock.set(START + 90 * MIN);
    await t.paging.worker.drain();
    expect(await announcements(id)).toEqual(['scheduled', 'reminder']);
    expect(await timerOf(id)).toMatchObject({ run_at: START + 120 * MIN });
  });

  it('a restart loses no timer: a new instance on the same database starts it on time', async () => {
    // The first instance stops (its worker with it); a second one with its own worker takes over.
    await t.paging.stop();
    const second = await createTestApp(dialect, { database: t.db, start: new Date(START + 120 * MIN).toISOString() });
    try {
      await second.paging.worker.drain();
      const row = await second.store.db.selectFrom('scheduled_maintenances').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.status).toBe('in_progress');
      expect(row.started_at).toBe(START + 120 * MIN);
    } finally {
      await second.paging.stop();
      await second.app.close();
    }
    t.clock.set(START + 120 * MIN);
    await afterCacheTime();
  });

  it('while it runs: components under maintenance, a real silence and window, the maintenance indicator', async () => {
    const m = (await req('GET', `/api/v1/status-pages/acme/maintenances/${id}`)).json();
    expect(m.status).toBe('in_progress');
    expect(m.announcements.map((a: { kind: string }) => a.kind)).toEqual(['scheduled', 'reminder', 'started']);
    const silence = (await req('GET', `/api/v2/silence/${m.silenceId}`)).json();
    expect(silence).toMatchObject({ status: { state: 'active' }, endsAt: at(180), matchers: [{ name: 'alertname', value: 'DiskFull' }] });
    const windows = (await req('GET', '/api/v1/maintenance-windows')).json().items;
    expect(windows.find((w: { id: string }) => w.id === m.windowId)).toMatchObject({ active: true, endsAt: at(180) });
    expect(await statusOf('Database')).toBe('under_maintenance');
    expect(await statusOf('API')).toBe('operational');
    expect((await pub('status.json')).status).toEqual({ indicator: 'maintenance', description: 'Service Under Maintenance' });
    expect((await pub('scheduled-maintenances/active.json')).scheduled_maintenances.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await pub('scheduled-maintenances/upcoming.json')).scheduled_maintenances).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/status/acme' })).body).toContain('Maintenance in progress');
    // The start cannot move now; the end can, and the silence follows.
    expect((await req('PATCH', `/api/v1/status-pages/acme/maintenances/${id}`, { scheduledFor: at(130) })).json().issues[0].field).toBe('scheduledFor');
    expect((await req('PATCH', `/api/v1/status-pages/acme/maintenances/${id}`, { scheduledUntil: at(200) })).statusCode).toBe(200);
    expect((await req('GET', `/api/v2/silence/${m.silenceId}`)).json().endsAt).toBe(at(200));
    expect(await timerOf(id)).toMatchObject({ run_at: START + 200 * MIN });
    expect((await req('POST', `/api/v1/status-pages/acme/maintenances/${id}/verify`, {})).json().status).toBe('verifying');
    expect(await statusOf('Database')).toBe('under_maintenance');
  });

  it('ends at its end on its own: completed, silence over, components back, bars show maintenance', async () => {
    t.clock.set(START + 200 * MIN);
    await t.paging.worker.drain();
    await afterCacheTime();
    const m = (await req('GET', `/api/v1/status-pages/acme/maintenances/${id}`)).json();
    expect(m).toMatchObject({ status: 'completed', endedAt: at(200) });
    expect(m.announcements.map((a: { kind: string }) => a.kind)).toEqual(['scheduled', 'reminder', 'started', 'completed']);
    expect(await timerOf(id)).toBeUndefined();
    expect((await req('GET', `/api/v2/silence/${m.silenceId}`)).json().status.state).toBe('expired');
    expect(await statusOf('Database')).toBe('operational');
    expect((await pub('status.json')).status.indicator).toBe('none');
    expect((await pub('summary.json')).scheduled_maintenances).toEqual([]);
    const [done] = (await pub('scheduled-maintenances.json')).scheduled_maintenances;
    expect(done).toMatchObject({ id, status: 'completed', impact: 'maintenance', resolved_at: at(200), scheduled_for: at(120), scheduled_until: at(200) });
    expect(done.incident_updates.map((u: { status: string }) => u.status)).toEqual(['completed', 'verifying', 'in_progress', 'scheduled']);
    const html = (await t.app.inject({ method: 'GET', url: '/status/acme' })).body;
    expect(html).toMatch(/class="d-maint" title="2026-03-01: maintenance, 80 min"/);
    expect(html).toContain('100% uptime');
    expect((await req('POST', `/api/v1/status-pages/acme/maintenances/${id}/start`, {})).statusCode).toBe(409);
    const rss = (await t.app.inject({ method: 'GET', url: '/status/acme/history.rss' })).body;
    expect(rss).toContain('<title><![CDATA[Maintenance: DB upgrade]]></title>');
  });

  it('cancelling a scheduled one drops its timer and takes it off the public page', async () => {
    const res = await req('POST', '/api/v1/status-pages/acme/maintenances', { name: 'Network work', scheduledFor: at(400), scheduledUntil: at(460), components: ['API'] });
    expect(res.statusCode, res.body).toBe(201);
    const mid = res.json().id;
    expect(await timerOf(mid)).toBeDefined();
    const cancelled = await req('POST', `/api/v1/status-pages/acme/maintenances/${mid}/cancel`, { body: 'Postponed.' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', updates: [{ status: 'cancelled', body: 'Postponed.' }, { status: 'scheduled' }] });
    expect(await timerOf(mid)).toBeUndefined();
    expect(await announcements(mid)).toEqual(['scheduled', 'cancelled']);
    expect((await pub('scheduled-maintenances.json')).scheduled_maintenances.map((x: { id: string }) => x.id)).not.toContain(mid);
  });

  it('starting early and completing early by hand', async () => {
    const mid = (await req('POST', '/api/v1/status-pages/acme/maintenances', { name: 'API deploy', scheduledFor: at(300), scheduledUntil: at(360), components: ['API'], remindMinutes: null })).json().id;
    expect((await req('POST', `/api/v1/status-pages/acme/maintenances/${mid}/start`, {})).json()).toMatchObject({ status: 'in_progress', startedAt: new Date(t.clock.now()).toISOString() });
    expect(await statusOf('API')).toBe('under_maintenance');
    expect(await timerOf(mid)).toMatchObject({ run_at: START + 360 * MIN });
    t.clock.advance(10 * MIN);
    expect((await req('POST', `/api/v1/status-pages/acme/maintenances/${mid}/complete`, { body: 'Done early.' })).json().status).toBe('completed');
    expect(await statusOf('API')).toBe('operational');
    expect(await timerOf(mid)).toBeUndefined();
  });
});
