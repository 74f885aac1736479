import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openStore } from '../../src/store/index.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS, TEST_PG_URL, createTestDatabase, type DialectName, type TestDatabase } from '../helpers/dialects.js';
import { startReceiver } from '../paging/receivers.js';

/**
 * "The database is down", per dialect: PostgreSQL loses the database (dropped, its connections
 * terminated); SQLite's disk fails an fsync of the WAL, after which nothing it holds can be
 * trusted until a restart (wal-sync.ts).
 */
async function breakableDatabase(dialect: DialectName): Promise<{ database: TestDatabase; breakIt(): Promise<void> }> {
  if (dialect === 'postgres') {
    const database = await createTestDatabase('postgres');
    const name = new URL(database.url).pathname.slice(1);
    return {
      database,
      breakIt: async () => {
        const admin = new pg.Client({ connectionString: TEST_PG_URL });
        await admin.connect();
        await admin.query(`drop database ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-health-'));
  const url = `sqlite:${join(dir, 'test.db')}`;
  let failing = false;
  const store = openStore(url, { sqliteFsync: async () => { if (failing) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }); } });
  await migrateToLatest(store.dialect);
  return {
    database: { dialect, url, store, openAnother: () => { throw new Error('one instance'); }, drop: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } },
    breakIt: async () => {
      failing = true;
      await store.db.insertInto('job_leases').values({ name: 'x', holder: null, held_until: 0 }).execute().catch(() => {});
    },
  };
}

describe.each(DIALECTS)('/health on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let breakIt: () => Promise<void>;

  beforeAll(async () => {
    receiver = await startReceiver((req) => ({ status: req.path === '/gone' ? 404 : 500 }));
    const broken = await breakableDatabase(dialect);
    breakIt = broken.breakIt;
    t = await createTestApp(dialect, {
      database: broken.database,
      paging: { config: { outboundAllow: '127.0.0.1/32', worker: true }, workerOptions: { sendTimeoutMs: 2_000, random: () => 0.5 } },
    });
  });
  afterAll(async () => {
    await t?.close().catch(() => {});
    await receiver?.close();
  });

  const health = async () => (await t.app.inject({ url: '/health' })).json() as { status: string; checks: Record<string, { ok: boolean; detail: string; failed?: number; retrying?: number }> };

  it('shows deliveries that failed for good or keep retrying as degraded, with counts, from the auditor', async () => {
    const admin = await t.userWithKey('admin');
    const ana = await t.userWithKey('responder');
    const ben = await t.userWithKey('responder');
    const post = (url: string, body: object) => t.app.inject({ method: 'POST', url, payload: body, headers: bearer(admin.token) });
    expect((await post('/api/v1/contact-methods', { user: ana.userId, kind: 'webhook', address: `${receiver.url}/gone` })).statusCode).toBe(201);
    expect((await post('/api/v1/contact-methods', { user: ben.userId, kind: 'webhook', address: `${receiver.url}/flaky` })).statusCode).toBe(201);
    expect((await post('/api/v1/escalation-policies', { name: 'Both', severities: ['SEV1'], repeat: 0, levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: ana.userId }, { type: 'user', id: ben.userId }] }] })).statusCode).toBe(201);
    await t.paging.auditor.check();
    expect((await health()).checks.deliveries).toMatchObject({ ok: true, failed: 0, retrying: 0 });

    expect((await post('/api/v1/incidents', { title: 'Receiver trouble', severity: 'SEV1' })).statusCode).toBe(201);
    await t.paging.worker.drain();
    const rows = await t.store.db.selectFrom('deliveries').select(['status', 'last_status_code']).orderBy('last_status_code').execute();
    expect(rows).toEqual([{ status: 'failed', last_status_code: 404 }, { status: 'pending', last_status_code: 500 }]);

    let report = await t.paging.auditor.check();
    expect(report).toMatchObject({ failedDeliveries: 1, retryingDeliveries: 0 });
    let h = await health();
    expect(h.status).toBe('degraded');
    expect(h.checks.deliveries).toMatchObject({ ok: false, failed: 1, retrying: 0 });
    expect(h.checks.deliveries!.detail).toMatch(/HTTP 404/);

    // Still failing five minutes after it fell due: the retrying one is reported too.
    t.clock.advance(301_000);
    report = await t.paging.auditor.check();
    expect(report).toMatchObject({ failedDeliveries: 1, retryingDeliveries: 1 });
    h = await health();
    expect(h.checks.deliveries).toMatchObject({ ok: false, failed: 1, retrying: 1 });
    expect((await t.app.inject({ url: '/metrics' })).body).toContain('firebreak_delivery_problems{kind="retrying"} 1');

    // A permanent failure is reported for an hour; the receiver that recovers clears its row.
    receiver.setMode(() => ({ status: 200 }));
    t.clock.advance(3_600_000);
    await t.paging.worker.drain();
    report = await t.paging.auditor.check();
    expect(report).toMatchObject({ failedDeliveries: 0, retryingDeliveries: 0 });
    expect((await health()).checks.deliveries!.ok).toBe(true);
  });

  it('checks the store for real: a database that is down turns it red, within a bound', async () => {
    let h = await health();
    expect(h.checks.store).toEqual({ ok: true, detail: dialect });
    await breakIt();
    // The last good check may be reused for a moment.
    await expect.poll(async () => (await health()).checks.store?.ok, { timeout: 5_000, interval: 250 }).toBe(false);
    const started = performance.now();
    const res = await t.app.inject({ url: '/health' });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(res.statusCode).toBe(503);
    h = res.json();
    expect(h.checks.store!.detail).toMatch(dialect === 'postgres' ? /does not exist|terminat/ : /fsync/);
    expect((await t.app.inject({ url: '/ready' })).statusCode).toBe(503);
  });
});
