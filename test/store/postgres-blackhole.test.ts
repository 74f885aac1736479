import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openStore, type Store } from '../../src/store/index.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

/**
 * A TCP proxy between Firebreak and PostgreSQL that can turn into a black hole: it keeps
 * accepting connections and reading bytes, and never forwards or answers anything, which is what
 * a dropped route or a silent firewall looks like from the client.
 */
async function startProxy(target: { host: string; port: number }): Promise<{ port: number; blackhole(on: boolean): void; close(): Promise<void> }> {
  let swallow = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const pending: Buffer[] = [];
    let upstream: Socket | null = null;
    const open = () => {
      upstream = connect(target.port, target.host);
      sockets.add(upstream);
      upstream.on('close', () => { sockets.delete(upstream!); client.destroy(); });
      upstream.on('error', () => client.destroy());
      upstream.on('data', (d: Buffer) => { if (!swallow) client.write(d); });
      for (const d of pending.splice(0)) upstream.write(d);
    };
    client.on('data', (d: Buffer) => {
      if (swallow) return;
      if (upstream) upstream.write(d);
      else pending.push(d);
    });
    client.on('close', () => upstream?.destroy());
    if (!swallow) open();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    blackhole: (on) => { swallow = on; },
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

const timed = async <T>(work: Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
};

describe.skipIf(!DIALECTS.includes('postgres'))('PostgreSQL black-holed', () => {
  let db: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let store: Store;
  let t: TestApp;
  let token: string;
  let amKey: string;
  // connect 1 s, statement 1 s (client gives up at 2 s): a request fails within about 3 s.
  const BOUND_MS = 4_500;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    const url = new URL(db.url);
    proxy = await startProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    store = openStore(url.toString(), { poolSize: 3, postgresTimeouts: { connectMs: 1_000, statementMs: 1_000 } });
    await migrateToLatest(store.dialect);
    t = await createTestApp('postgres', { database: { ...db, store, drop: async () => { await store.close(); await db.drop(); } } });
    token = (await t.userWithKey('admin')).token;
    amKey = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(token), payload: { name: 'am', format: 'alertmanager-webhook' } })).json().key;
  });

  afterAll(async () => {
    proxy?.blackhole(false);
    await t?.close();
    await proxy?.close();
  });

  const list = () => t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(token) });
  const ingest = () => t.app.inject({
    method: 'POST', url: `/ingest/alertmanager/${amKey}`, headers: { 'content-type': 'application/json' },
    payload: { version: '4', status: 'firing', receiver: 'r', groupKey: 'g', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am', alerts: [{ status: 'firing', labels: { alertname: 'Blackhole' }, annotations: {}, startsAt: '2026-03-01T10:00:00Z' }] },
  });

  it('answers every request 503 + Retry-After within a few seconds, /ready too, and recovers without a restart', async () => {
    expect((await list()).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/ready' })).statusCode).toBe(200);

    proxy.blackhole(true);
    // Several at once: more than the pool has connections, so some wait for one.
    const during = await timed(Promise.all([list(), list(), list(), list(), list()]));
    expect(during.ms).toBeLessThan(BOUND_MS);
    for (const res of during.value) {
      expect(res.statusCode, res.body).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    const sent = await timed(ingest());
    expect(sent.value.statusCode, sent.value.body).toBe(503);
    expect(sent.ms).toBeLessThan(BOUND_MS);

    const ready = await timed(t.app.inject({ url: '/ready' }));
    expect(ready.value.statusCode).toBe(503);
    expect(ready.ms).toBeLessThan(3_000);
    const health = await timed(t.app.inject({ url: '/health' }));
    expect(health.value.statusCode).toBe(503);
    expect(health.value.json().checks.store.ok).toBe(false);
    expect(health.ms).toBeLessThan(3_000);

    proxy.blackhole(false);
    // Connections that lost bytes in the hole were dropped, not kept to be lent out again: the
    // very first requests after it succeed, each on a connection that works.
    const after = await timed(Promise.all([list(), list(), list(), list(), list()]));
    expect(after.value.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(after.ms).toBeLessThan(1_000);
    expect((await ingest()).statusCode).toBe(200);
    await expect.poll(async () => (await t.app.inject({ url: '/health' })).statusCode, { timeout: 5_000, interval: 200 }).toBe(200);
    expect((await t.app.inject({ url: '/ready' })).statusCode).toBe(200);
  }, 60_000);
});
