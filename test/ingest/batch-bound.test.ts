import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestServiceOf } from '../../src/http/routes/ingest.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * A burst commits in transactions of at most the dialect's `maxIngestBatch` alerts: on SQLite a
 * batch runs synchronously on the event loop, and long batches made every request behind them
 * wait (p99 ×3 in the 100-alerts/request benchmark).
 */
describe.each(DIALECTS)('ingest batch bound on %s', (dialect) => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const admin = (await t.userWithKey('admin')).token;
    key = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', payload: { name: 'prom', format: 'alertmanager-api', settings: { grouping: 'labels', groupBy: ['alertname'] } }, headers: bearer(admin) })).json().key;
  });
  afterAll(() => t?.close());

  it('commits 12 concurrent requests of 100 alerts in batches no larger than the bound, and loses none', async () => {
    const service = ingestServiceOf(t.app)!;
    const bound = t.store.dialect.maxIngestBatch;
    expect(bound).toBe(dialect === 'sqlite' ? 500 : 20_000);
    const before = { ...service.queue.stats };
    const requests = Array.from({ length: 12 }, (_, r) =>
      t.app.inject({
        method: 'POST', url: '/api/v2/alerts', headers: { ...bearer(key), 'content-type': 'application/json' },
        payload: Array.from({ length: 100 }, (_, i) => ({ labels: { alertname: `Burst${i % 5}`, instance: `r${r}-i${i}` } })),
      }));
    const statuses = (await Promise.all(requests)).map((res) => res.statusCode);
    expect(statuses).toEqual(Array(12).fill(200));
    const stats = service.queue.stats;
    expect(stats.weight - before.weight).toBe(1200);
    expect(stats.largestWeight).toBeLessThanOrEqual(bound);
    if (dialect === 'sqlite') expect(stats.batches - before.batches).toBeGreaterThanOrEqual(3);
    const stored = await t.store.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('labels', 'like', '%"instance":"r%').executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(1200);
  });
});
