import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/logger.js';
import { migrateToLatest, openStore } from '../../src/store/index.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/dialects.js';
import { startReceiver } from '../paging/receivers.js';

/**
 * A full disk under SQLite, for real: the database lives on a small tmpfs mounted here, and a
 * filler file takes its last byte. Where mounting is not allowed (not root), `max_page_count`
 * makes the database "full" instead, which gives the same SQLITE_FULL.
 */
type Line = { level: string; message: string; data: Record<string, unknown> };

function capturingLogger(lines: Line[]): Logger {
  const at = (level: string) => (_category: string, message: string, data: Record<string, unknown> = {}) => void lines.push({ level, message, data });
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

interface Disk {
  dir: string;
  /** A filesystem that fills; false for max_page_count, under which a write that fits in place still succeeds. */
  real: boolean;
  fill(store: TestDatabase['store']): Promise<void>;
  free(store: TestDatabase['store']): Promise<void>;
  remove(): void;
}

function smallDisk(): Disk {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-full-'));
  const filler = join(dir, 'filler');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return {
      dir,
      real: false,
      fill: async (store) => {
        // Free pages first, so that every later write must grow the file.
        const free = (await sql<{ freelist_count: number }>`pragma freelist_count`.execute(store.db)).rows[0]!.freelist_count;
        await sql.raw(`create table filler as select randomblob(${(free + 1) * 4096}) as b`).execute(store.db);
        const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(store.db);
        await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(store.db);
      },
      free: async (store) => void await sql.raw('pragma max_page_count = 1073741823').execute(store.db),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  return {
    dir,
    real: true,
    fill: async () => {
      const fd = openSync(filler, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      } finally {
        closeSync(fd);
      }
    },
    free: async () => unlinkSync(filler),
    remove: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('a full disk under SQLite', () => {
  let disk: Disk;
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let amKey: string;
  let pdKey: string;
  let responder: string;
  const lines: Line[] = [];

  beforeAll(async () => {
    disk = smallDisk();
    receiver = await startReceiver();
    const log = capturingLogger(lines);
    const url = `sqlite:${join(disk.dir, 'firebreak.db')}`;
    const store = openStore(url, { log });
    await migrateToLatest(store.dialect);
    const database: TestDatabase = { dialect: 'sqlite', url, store, openAnother: () => { throw new Error('one instance'); }, drop: () => store.close() };
    t = await createTestApp('sqlite', { database, log, paging: { config: { outboundAllow: '127.0.0.1/32' }, workerOptions: { sendTimeoutMs: 2_000, random: () => 0.5 } } });
    const admin = await t.userWithKey('admin');
    const alice = await t.userWithKey('responder');
    responder = alice.token;
    const post = (url: string, body: object) => t.app.inject({ method: 'POST', url, payload: body, headers: bearer(admin.token) });
    expect((await post('/api/v1/contact-methods', { user: alice.userId, kind: 'webhook', address: `${receiver.url}/alice` })).statusCode).toBe(201);
    const policy = await post('/api/v1/escalation-policies', {
      name: 'Alice twice', severities: ['SEV1'], repeat: 0,
      levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: alice.userId }] }, { delaySeconds: 300, targets: [{ type: 'user', id: alice.userId }] }],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const integration = await post('/api/v1/integrations', { name: 'am', format: 'alertmanager-webhook' });
    amKey = integration.json().key;
    pdKey = (await post('/api/v1/integrations', { name: 'pd', format: 'pagerduty-events-v2' })).json().key;
    expect((await post('/api/v1/incidents', { title: 'Disk filling', severity: 'SEV1' })).statusCode).toBe(201);
    await t.paging.worker.drain();
    expect(receiver.received).toHaveLength(1);
  });

  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    disk?.remove();
  });

  const alert = (name: string) => t.app.inject({
    method: 'POST', url: `/ingest/alertmanager/${amKey}`, headers: { 'content-type': 'application/json' },
    payload: {
      version: '4', status: 'firing', receiver: 'firebreak', groupKey: `{}:{alertname="${name}"}`, groupLabels: { alertname: name }, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
      alerts: [{ status: 'firing', labels: { alertname: name, padding: 'x'.repeat(4000) }, annotations: {}, startsAt: '2026-03-01T10:00:00Z', fingerprint: name }],
    },
  });

  it('answers 503 with Retry-After, logs the cause once, turns /health red, and recovers by itself with the due page sent', async () => {
    expect((await alert('Before')).statusCode).toBe(200);
    await disk.fill(t.store);

    for (let i = 0; i < 5; i += 1) {
      const res = await alert(`During${i}`);
      expect(res.statusCode, res.body).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Every sender: PagerDuty's too (it retries a 5xx), not a 429 nor a 500.
    const pd = await t.app.inject({ method: 'POST', url: '/v2/enqueue', payload: { routing_key: pdKey, event_action: 'trigger', payload: { summary: 'Disk full on db-1', source: 'db-1', severity: 'critical', custom_details: { note: 'z'.repeat(4000) } } } });
    expect(pd.statusCode, pd.body).toBe(503);
    expect(Number(pd.headers['retry-after'])).toBeGreaterThan(0);
    // An API write gets the same answer.
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', payload: { title: 'During', severity: 'SEV2', summary: 'y'.repeat(4000) }, headers: bearer(responder) });
    expect(api.statusCode, api.body).toBe(503);
    expect(api.headers['retry-after']).toBeDefined();

    const health = await t.app.inject({ url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().checks.store).toMatchObject({ ok: false });
    expect(health.json().checks.store.detail).toMatch(/SQLITE_FULL/);
    const ready = await t.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBeDefined();

    // The level-2 page falls due while the disk is full: it cannot be claimed, and is not lost.
    t.clock.advance(300_000);
    await t.paging.worker.drain().catch(() => {});
    if (disk.real) expect(receiver.received).toHaveLength(1);

    // The real cause, once, and none of SQLite's "cannot rollback" noise.
    const text = lines.map((l) => `${l.message} ${JSON.stringify(l.data)}`).join('\n');
    expect(text).not.toMatch(/cannot rollback/);
    const failing = lines.filter((l) => l.level === 'error');
    expect(failing, text).toHaveLength(1);
    expect(failing[0]!.message).toMatch(/database is failing/);
    expect(String(failing[0]!.data.cause)).toMatch(/full/);

    await disk.free(t.store);
    expect((await alert('After')).statusCode).toBe(200);
    await expect.poll(async () => (await t.app.inject({ url: '/health' })).statusCode, { timeout: 5_000 }).toBe(200);
    expect((await t.app.inject({ url: '/ready' })).statusCode).toBe(200);
    expect(lines.some((l) => l.message === 'the database recovered')).toBe(true);

    // The page that fell due meanwhile goes out at once.
    await t.paging.worker.drain();
    expect(receiver.received).toHaveLength(2);
    const alerts = await t.store.db.selectFrom('alerts').select('labels').execute();
    expect(alerts.map((a) => JSON.parse(a.labels).alertname).sort()).toEqual(['After', 'Before']);
  });
});
