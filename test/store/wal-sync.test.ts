import { fstatSync, fsyncSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Ctx } from '../../src/domain/context.js';
import { createIntegration } from '../../src/domain/alerts/integrations.js';
import { buildApp } from '../../src/http/app.js';
import { MetricsRegistry } from '../../src/observability/metrics.js';
import { migrateToLatest, openStore, type Store } from '../../src/store/index.js';
import { WalSync, type FsyncFn } from '../../src/store/sqlite/wal-sync.js';

/**
 * SQLite runs `synchronous=NORMAL` and fsyncs the WAL after each commit off the event loop
 * (store/sqlite/wal-sync.ts). These tests hold that fsync and check that nothing is answered,
 * and no transaction returns, before the fsync covering its commit has completed.
 */
interface HeldSync {
  fd: number;
  release(error?: Error): void;
}

function controllableFsync() {
  const held: HeldSync[] = [];
  let holding = false;
  let started = 0;
  const fsync: FsyncFn = (fd) => {
    started += 1;
    if (!holding) {
      fsyncSync(fd);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      held.push({ fd, release: (error) => (error ? reject(error) : (fsyncSync(fd), resolve())) });
    });
  };
  const until = async (condition: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
    if (!condition()) throw new Error(`timed out waiting for ${what}`);
  };
  return {
    fsync,
    held,
    get started() {
      return started;
    },
    hold: (on: boolean) => (holding = on),
    /** Resolves once `n` fsyncs are being held. */
    heldCount: (n: number) => until(() => held.length >= n, `${n} held fsyncs`),
    until,
  };
}

/** Whether a promise has settled, without waiting for it. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true), () => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('WAL fsync before every answer (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-walsync-'));
  const stores: Store[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (name: string) => {
    const sync = controllableFsync();
    const file = join(dir, name);
    const store = openStore(`sqlite:${file}`, { sqliteFsync: sync.fsync });
    stores.push(store);
    await migrateToLatest(store.dialect);
    return { store, sync, file };
  };

  it('runs WAL with synchronous=NORMAL and syncs the -wal file', async () => {
    const { store, sync, file } = await open('mode.db');
    const mode = await store.db.selectFrom('counters').select('name').limit(1).execute();
    expect(mode).toBeDefined();
    const native = new Database(file, { readonly: true });
    try {
      expect(native.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      native.close();
    }
    sync.hold(true);
    const write = store.transaction((tx) => tx.insertInto('counters').values({ name: 'mode-test', value: 1 }).execute());
    await sync.heldCount(1);
    expect(fstatSync(sync.held[0]!.fd).ino).toBe(statSync(`${file}-wal`).ino);
    sync.held[0]!.release();
    await write;
  });

  it('answers an ingest request only after the fsync that covers its commit', async () => {
    const { store, sync, file } = await open('ingest.db');
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const ctx: Ctx = { actor: { type: 'system', name: 'test' }, clock, log: silentLogger, requestId: 'test', store };
    const { key } = await createIntegration({ ctx, input: { name: 'am', format: 'alertmanager-api' } });
    const { app } = await buildApp({ store, clock, log: silentLogger, metrics: new MetricsRegistry(), publicUrl: 'http://x', version: 't', webRoot: null });
    await app.ready();
    const reader = new Database(file, { readonly: true });
    try {
      const before = sync.started;
      sync.hold(true);
      const answer = app.inject({
        method: 'POST', url: '/api/v2/alerts', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        payload: JSON.stringify([{ labels: { alertname: 'DiskFull', instance: 'db-1' }, startsAt: '2026-03-01T09:59:00Z' }]),
      });
      await sync.heldCount(1);
      expect(sync.started).toBe(before + 1);
      // Committed (another connection sees it) but not yet on disk: no answer yet.
      expect((reader.prepare('select count(*) as n from alerts').get() as { n: number }).n).toBe(1);
      await new Promise((r) => setTimeout(r, 50));
      expect(await settled(answer)).toBe(false);
      sync.held[0]!.release();
      expect((await answer).statusCode).toBe(200);
    } finally {
      reader.close();
      sync.hold(false);
      await app.close();
    }
  });

  it('holds every kind of write, and reads that may have seen an unsynced commit', async () => {
    const { store, sync } = await open('kinds.db');
    sync.hold(true);
    const inTransaction = store.transaction((tx) => tx.insertInto('counters').values({ name: 'a', value: 1 }).execute());
    await sync.heldCount(1);
    // The connection is free during the fsync: a bare write commits, and waits for its own fsync.
    const bare = store.db.insertInto('counters').values({ name: 'b', value: 2 }).execute();
    const read = store.db.selectFrom('counters').select('value').where('name', '=', 'b').executeTakeFirst();
    await new Promise((r) => setTimeout(r, 30));
    expect(await settled(inTransaction)).toBe(false);
    expect(await settled(bare)).toBe(false);
    expect(await settled(read)).toBe(false);
    sync.held[0]!.release();
    await inTransaction;
    // The write landed while the first fsync ran, so it needs a second one.
    await sync.heldCount(2);
    expect(await settled(bare)).toBe(false);
    expect(await settled(read)).toBe(false);
    sync.held[1]!.release();
    await bare;
    expect((await read)?.value).toBe(2);
    sync.hold(false);
    // Nothing unsynced: a read does not wait for an fsync.
    const count = sync.started;
    await store.db.selectFrom('counters').selectAll().execute();
    expect(sync.started).toBe(count);
  });

  it('a bare write that changed no row costs no fsync; one that changed a row does', async () => {
    const { store, sync } = await open('noop.db');
    await store.db.insertInto('counters').values({ name: 'n', value: 1 }).execute();
    const before = sync.started;
    // What the worker's claims do on most polls: nothing due, nothing written.
    await store.db.updateTable('counters').set({ value: 2 }).where('name', '=', 'absent').execute();
    await store.db.updateTable('counters').set({ value: 2 }).where('name', '=', 'absent').returningAll().execute();
    await store.db.deleteFrom('counters').where('name', '=', 'absent').execute();
    expect(sync.started).toBe(before);
    sync.hold(true);
    const changed = store.db.updateTable('counters').set({ value: 3 }).where('name', '=', 'n').returningAll().execute();
    await sync.heldCount(1);
    expect(await settled(changed)).toBe(false);
    sync.held[0]!.release();
    expect(await changed).toHaveLength(1);
    sync.hold(false);
  });

  it('coalesces the commits that land during one fsync onto the next one', async () => {
    const { store, sync } = await open('coalesce.db');
    sync.hold(true);
    const first = store.transaction((tx) => tx.insertInto('counters').values({ name: 'first', value: 0 }).execute());
    await sync.heldCount(1);
    const more = Array.from({ length: 5 }, (_, i) => store.transaction((tx) => tx.insertInto('counters').values({ name: `more-${i}`, value: i }).execute()));
    await new Promise((r) => setTimeout(r, 30));
    expect(sync.held).toHaveLength(1);
    sync.held[0]!.release();
    await first;
    await sync.heldCount(2);
    expect(await settled(Promise.all(more))).toBe(false);
    sync.held[1]!.release();
    await Promise.all(more);
    expect(sync.held).toHaveLength(2);
    sync.hold(false);
  });

  it('a failed fsync fails its waiters with a transient error, and every later one', async () => {
    const { store, sync } = await open('fail.db');
    sync.hold(true);
    const write = store.transaction((tx) => tx.insertInto('counters').values({ name: 'x', value: 1 }).execute());
    await sync.heldCount(1);
    sync.held[0]!.release(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    const error = await write.then(() => null, (e: unknown) => e);
    expect(store.dialect.isTransient(error)).toBe(true);
    expect((error as Error).message).toMatch(/fsync of the SQLite WAL .* failed/);
    sync.hold(false);
    await expect(store.transaction((tx) => tx.insertInto('counters').values({ name: 'y', value: 1 }).execute())).rejects.toThrow(/fsync/);
  });

  it('a WAL that cannot be opened fails only the waiters of that round', async () => {
    const path = join(dir, 'unopenable.db');
    const wal = new WalSync(path, async () => {});
    // A socket where the WAL should be: stat works, open does not (ENXIO, even for root).
    const socket = createServer();
    await new Promise<void>((resolve) => socket.listen(`${path}-wal`, resolve));
    wal.noteCommit();
    await expect(wal.waitDurable()).rejects.toThrow(/could not open the SQLite WAL/);
    await new Promise((resolve) => socket.close(resolve));
    writeFileSync(`${path}-wal`, 'frames');
    await wal.waitDurable();
    await wal.close();
  });

  it('reopens the WAL file when it was replaced', async () => {
    const path = join(dir, 'replaced.db');
    writeFileSync(`${path}-wal`, 'one');
    const inodes: number[] = [];
    const wal = new WalSync(path, async (fd) => void inodes.push(fstatSync(fd).ino));
    wal.noteCommit();
    await wal.waitDurable();
    writeFileSync(`${path}-wal.new`, 'two');
    renameSync(`${path}-wal.new`, `${path}-wal`);
    wal.noteCommit();
    await wal.waitDurable();
    await wal.close();
    expect(inodes).toHaveLength(2);
    expect(inodes[1]).toBe(statSync(`${path}-wal`).ino);
    expect(inodes[1]).not.toBe(inodes[0]);
  });
});
