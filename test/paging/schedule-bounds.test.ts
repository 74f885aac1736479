import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Work per schedule request is bounded: what would cost seconds (60 s shifts × 5 layers × 1,000
 * members) is refused at save naming the field, and a schedule already stored like that, or the
 * heaviest one accepted, is listed and served as a feed quickly. The bound is generous (a
 * loaded 2-core machine answered in 40–470 ms); the unbounded code took 4–8 s here.
 */
const FAST_MS = 1000;

describe.each(DIALECTS)('schedule computation is bounded (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let member: string;

  const layers = (count: number, shiftLengthSeconds: number, members: string[]) =>
    Array.from({ length: count }, (_, i) => ({
      id: `l${i}`, name: `Layer ${i}`,
      rotation: { type: 'custom', shiftLengthSeconds, handoffTime: '09:00', startDate: '2026-01-01', members },
    }));

  const timed = async (url: string, token?: string) => {
    const started = performance.now();
    const res = await t.app.inject({ method: 'GET', url, ...(token ? { headers: bearer(token) } : {}) });
    return { res, ms: performance.now() - started };
  };

  const feedPath = async (id: string) => {
    const feed = (await t.app.inject({ method: 'GET', url: `/api/v1/schedules/${id}/feed`, headers: bearer(admin) })).json().url as string;
    return new URL(feed).pathname + new URL(feed).search;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    member = (await t.userWithKey('responder')).userId;
  });
  afterAll(async () => t?.close());

  it('refuses one-minute shifts and too many hand-overs a day, naming the field', async () => {
    const members = Array.from({ length: 1000 }, () => member);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: bearer(admin), payload: { name: 'Minute', timeZone: 'UTC', layers: layers(5, 60, members) } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
    expect(res.body).toContain('layers.0.rotation.shiftLengthSeconds');

    const busy = await t.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: bearer(admin), payload: { name: 'Busy', timeZone: 'UTC', layers: layers(6, 900, [member]) } });
    expect(busy.statusCode, busy.body.slice(0, 300)).toBe(400);
    expect(busy.json().error?.message ?? busy.body).toContain('layers');
    expect(busy.body).toContain('hand over 576 times a day');
  });

  it('lists, shows and serves the heaviest accepted schedule quickly', async () => {
    const members = Array.from({ length: 1000 }, () => member);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: bearer(admin), payload: { name: 'Heaviest', timeZone: 'Europe/Berlin', layers: layers(5, 900, members) } });
    expect(created.statusCode, created.body.slice(0, 300)).toBe(201);
    const id = created.json().id as string;

    const list = await timed('/api/v1/schedules', admin);
    expect(list.res.statusCode).toBe(200);
    expect(list.ms).toBeLessThan(FAST_MS);
    const one = await timed(`/api/v1/schedules/${id}`, admin);
    expect(one.res.statusCode).toBe(200);
    expect(one.ms).toBeLessThan(FAST_MS);
    const feed = await timed(await feedPath(id));
    expect(feed.res.statusCode).toBe(200);
    expect(feed.res.body).toContain('BEGIN:VEVENT');
    expect(feed.ms).toBeLessThan(FAST_MS);
  });

  it('bounds a schedule stored before the limits (60 s shifts × 5 layers × 1,000 members)', async () => {
    const now = t.clock.now();
    const id = 'sch_legacy_minute_shifts';
    const members = Array.from({ length: 1000 }, (_, i) => (i === 0 ? member : `usr_gone_${i}`));
    await t.store.db
      .insertInto('schedules')
      .values({ id, team_id: null, name: 'Legacy minute shifts', time_zone: 'UTC', layers: JSON.stringify(layers(5, 60, members)), created_at: now, updated_at: now, version: 1 })
      .execute();

    const list = await timed('/api/v1/schedules', admin);
    expect(list.res.statusCode).toBe(200);
    expect(list.ms).toBeLessThan(FAST_MS);
    const legacy = list.res.json().items.find((s: { id: string }) => s.id === id);
    expect(legacy.warnings.join('\n')).toContain('coverage checked only until');

    const feed = await timed(await feedPath(id));
    expect(feed.res.statusCode).toBe(200);
    expect(feed.ms).toBeLessThan(FAST_MS);
    const user = await t.app.inject({ method: 'GET', url: `/api/v1/users/${member}/feed`, headers: bearer(admin) });
    expect(user.statusCode, user.body).toBe(200);
    const url = new URL(user.json().url as string);
    const userFeed = await timed(url.pathname + url.search);
    expect(userFeed.res.statusCode).toBe(200);
    expect(userFeed.ms).toBeLessThan(FAST_MS);
  });
});
