import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { loadEnvConfig } from '../../src/config/env-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

/**
 * The public edge (FIREBREAK_PUBLIC_PORT): status pages served by a thread of their own on a
 * listener of their own, reading the same database; a change through the main listener shows at
 * once; everything that is not a public page is passed to the main listener unchanged.
 */
describe.each(DIALECTS)('public edge thread on %s', (dialect) => {
  let db: TestDatabase;
  let server: RunningServer;
  let edge = '';
  let token = '';

  const api = async (method: string, path: string, body?: unknown, base = server.url) => {
    const res = await fetch(`${base}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> };
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    let admin: { email: string; password: string } | null = null;
    server = await startServer(
      loadEnvConfig({ ...process.env, DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', FIREBREAK_PUBLIC_PORT: '0', FIREBREAK_PUBLIC_NICE: '7', FIREBREAK_LOG: 'silent', PUBLIC_URL: undefined, FIREBREAK_SECURE_COOKIES: 'false' }),
      { log: silentLogger, webRoot: null, onAdminCreated: (email, password) => { admin = { email, password }; } },
    );
    edge = server.publicEdgeUrl!;
    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const key = await fetch(`${server.url}/api/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'edge test', scopes: ['admin'] }) });
    token = ((await key.json()) as { token: string }).token;
    expect((await api('POST', '/services', { slug: 'payments', name: 'Payments' })).status).toBe(201);
    expect((await api('POST', '/status-pages', { slug: 'acme', name: 'Acme Cloud' })).status).toBe(201);
    expect((await api('POST', '/status-pages/acme/components', { name: 'Payments', services: ['payments'] })).status).toBe(201);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('listens on its own port and answers the page, its JSON and feeds as the main listener does', async () => {
    expect(edge).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(edge).not.toBe(server.url);
    for (const path of ['/status/acme', '/status/acme/api/v2/summary.json', '/status/acme/api/v2/components.json', '/status/acme/history.atom']) {
      const [fromEdge, fromMain] = await Promise.all([fetch(edge + path), fetch(server.url + path)]);
      expect(fromEdge.status, path).toBe(200);
      expect(fromEdge.headers.get('content-type')).toBe(fromMain.headers.get('content-type'));
      expect(fromEdge.headers.get('content-security-policy')).toBe(fromMain.headers.get('content-security-policy'));
      const [a, b] = [await fromEdge.text(), await fromMain.text()];
      if (path.endsWith('.json')) expect(JSON.parse(a)).toEqual(JSON.parse(b));
      else expect(a.length).toBeGreaterThan(100);
    }
    const page = await fetch(`${edge}/status/acme`);
    const etag = page.headers.get('etag')!;
    expect((await fetch(`${edge}/status/acme`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const missing = await fetch(`${edge}/status/nope/api/v2/summary.json`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('NOT_FOUND');
  });

  it('shows a change made through the main listener at once', async () => {
    const before = (await (await fetch(`${edge}/status/acme/api/v2/summary.json`)).json()) as { incidents: unknown[] };
    expect(before.incidents).toHaveLength(0);
    const incident = await api('POST', '/incidents', { title: 'db OOM', severity: 'SEV2', service: 'payments' });
    expect((await api('POST', '/status-pages/acme/incidents', { incident: String(incident.json.number), name: 'Payments degraded', body: 'We are investigating.' })).status).toBe(201);
    // Well inside the cache's 1.5 s: the main thread told the edge.
    await expect.poll(async () => ((await (await fetch(`${edge}/status/acme/api/v2/summary.json`)).json()) as { incidents: { name: string }[] }).incidents.map((i) => i.name), { timeout: 1000, interval: 50 }).toEqual(['Payments degraded']);
  });

  it('passes everything else to the main listener: the API, forms, unknown paths', async () => {
    const viaEdge = await api('GET', '/status-pages', undefined, edge);
    expect(viaEdge.status).toBe(200);
    expect((viaEdge.json.items as { slug: string }[]).map((p) => p.slug)).toEqual(['acme']);
    const unauthenticated = await fetch(`${edge}/api/v1/incidents`);
    expect(unauthenticated.status).toBe(401);
    const form = await fetch(`${edge}/status/acme/subscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: 'email=not-an-address' });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('email');
    const unknown = await fetch(`${edge}/no/such/thing`);
    expect(unknown.status).toBe(404);
  });

  it('runs its thread FIREBREAK_PUBLIC_NICE steps below the main thread\'s CPU priority', () => {
    // Linux keeps a nice value per thread: field 19 of /proc/<pid>/task/<tid>/stat.
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const main = niceOf(String(process.pid));
    expect(main).toBeLessThan(12); // else 7 steps would be capped at 19
    const threads = readdirSync('/proc/self/task').map((tid) => ({ tid, nice: niceOf(tid) }));
    expect(threads.filter((t) => t.nice === main + 7)).toHaveLength(1);
  });

  it('serves a custom host name at its root', async () => {
    expect((await api('PATCH', '/status-pages/acme', { hostName: 'status.acme.test' })).status).toBe(200);
    await expect.poll(async () => {
      const res = await fetchWithHost(`${edge}/api/v2/status.json`, 'status.acme.test');
      return res.status;
    }, { timeout: 3000, interval: 100 }).toBe(200);
  });
});

/** fetch() will not set Host; node:http will. */
async function fetchWithHost(url: string, host: string): Promise<{ status: number }> {
  const { request } = await import('node:http');
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { host } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end();
  });
}
