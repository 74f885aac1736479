import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Path and query parameters no database may see unchecked: NUL (PostgreSQL refuses it in text),
 * a lone surrogate, numbers beyond 2^31 (PostgreSQL `integer`), 2^53 (JavaScript) and 2^63
 * (PostgreSQL `bigint`), and times outside what a JavaScript Date holds (±8.64e15 ms). Every
 * route in the table gets every one of them: a 4xx or a normal answer, never a 5xx.
 */
const HOSTILE = [
  'x%00y', '%00', '%ED%A0%80', '%EF%BF%BD', '2147483648', '-2147483649', '9007199254740993', '100000000000000000000',
  '8640000000000001', '-8640000000000001', '1e400', '%2300000000000000000001',
];

describe.each(DIALECTS)('hostile path, query and body input (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    // Something to find, so lookups by number and list cursors run against rows.
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: bearer(admin), payload: { title: 'seed', severity: 'SEV4' } });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(() => t?.close());

  const send = (method: string, url: string) =>
    t.app.inject({ method: method as 'GET', url, headers: bearer(admin), ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });

  it('answers every path parameter value below 500 on every route', async () => {
    const failures: string[] = [];
    for (const r of t.routes.routes) {
      const names = [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
      for (const name of names) {
        for (const value of HOSTILE) {
          const url = r.url.replace(/:([A-Za-z]+)/g, (_, n: string) => (n === name ? value : 'x'));
          const res = await send(r.method, url);
          if (res.statusCode >= 500) failures.push(`${r.method} ${url} → ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers every query parameter value below 500 on every route', async () => {
    const failures: string[] = [];
    for (const r of t.routes.routes.filter((route) => route.query)) {
      const props = Object.keys((z.toJSONSchema(r.query!, { io: 'input', unrepresentable: 'any' }) as { properties?: object }).properties ?? {});
      const path = r.url.replace(/:([A-Za-z]+)/g, 'x');
      for (const prop of props) {
        for (const value of HOSTILE) {
          const url = `${path}?${prop}=${value}`;
          const res = await send(r.method, url);
          if (res.statusCode >= 500) failures.push(`${r.method} ${url} → ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('names the field when a time is out of range', async () => {
    for (const at of ['8640000000000001', '-8640000000000001', '275760-09-13T00:00:00.001Z']) {
      const res = await send('GET', `/api/v1/oncall?at=${at}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().issues[0].field).toBe('query.at');
    }
    expect((await send('GET', '/api/v1/oncall?at=8640000000000000')).statusCode).toBe(200);
  });

  it('refuses an audit cursor beyond any sequence number with 400', async () => {
    const res = await send('GET', '/api/v1/audit?cursor=100000000000000000000');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().issues[0].field).toBe('query.cursor');
  });

  it('does not find an id with a NUL in it', async () => {
    const [incident] = await t.store.db.selectFrom('incidents').select(['id', 'number']).execute();
    expect((await send('GET', `/api/v1/incidents/${incident!.id}`)).statusCode).toBe(200);
    for (const url of [`/api/v1/incidents/${incident!.id}%00`, `/api/v1/incidents/${incident!.number}%00`, `/api/v1/incidents/%00${incident!.number}`]) {
      expect([400, 404], url).toContain((await send('GET', url)).statusCode);
    }
  });

  it('stores NUL and lone surrogates in JSON bodies and query strings as U+FFFD (both databases alike)', async () => {
    const payload = '{"title":"nul\\u0000 and \\ud800 here","severity":"SEV4","summary":"\\udc00\\u0000"}';
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...bearer(admin), 'content-type': 'application/json' }, payload });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().title).toBe('nul\uFFFD and \uFFFD here');
    const row = await t.store.db.selectFrom('incidents').select(['title', 'summary']).where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row).toEqual({ title: 'nul\uFFFD and \uFFFD here', summary: '\uFFFD\uFFFD' });
    const note = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${res.json().id}/notes`, headers: { ...bearer(admin), 'content-type': 'application/json' }, payload: '{"body":"x\\u0000y","k\\u0000":1}' });
    expect(note.statusCode, note.body).toBe(201);
    // Fastify's own checks still apply: prototype keys are refused.
    const proto = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...bearer(admin), 'content-type': 'application/json' }, payload: '{"__proto__":{"x":1},"title":"\\u0000","severity":"SEV4"}' });
    expect(proto.statusCode).toBe(400);
    const search = await send('GET', '/api/v1/incidents?q=nul%00');
    expect(search.statusCode, search.body).toBeLessThan(500);
  });

  it('refuses times in bodies that a Date cannot hold with 400 naming the field', async () => {
    const declare = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: bearer(admin), payload: { title: 'far', severity: 'SEV4', detectedAt: 8640000000000001 } });
    expect(declare.statusCode, declare.body).toBe(400);
    expect(declare.json().issues[0].field).toBe('detectedAt');
    const schedule = await t.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: bearer(admin), payload: { name: 'far', timeZone: 'UTC' } });
    expect(schedule.statusCode, schedule.body).toBe(201);
    const [user] = await t.store.db.selectFrom('users').select('id').execute();
    const override = await t.app.inject({ method: 'POST', url: `/api/v1/schedules/${schedule.json().id}/overrides`, headers: bearer(admin), payload: { user: user!.id, start: 0, end: 8640000000000001 } });
    expect(override.statusCode, override.body).toBe(400);
    expect(override.json().issues[0].field).toBe('end');
  });
});
