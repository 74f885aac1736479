import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { silentLogger } from '../../src/core/logger.js';
import { expandNotifications } from '../../src/domain/subscribers/expand-notifications.js';
import { migrateToLatest, openStore, type Store } from '../../src/store/index.js';
import { claimDeliveries } from '../../src/worker/delivery-queue.js';

/** Records every statement a store runs, to ask SQLite how it plans them. */
function capturing(store: Store): { store: Store; statements: CompiledQuery[] } {
  const statements: CompiledQuery[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      statements.push(store.db.getExecutor().compileQuery(args.node as RootOperationNode, args.queryId));
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { store: { ...store, db: store.db.withPlugin(plugin) }, statements };
}

/**
 * A fan-out's statements run synchronously on the event loop on SQLite, so each must touch the
 * rows it needs, not the whole queue or the whole subscriber list: with 11,000 subscribers a
 * claim planned over the queue index took up to 37 ms and each expansion ~5 ms, and pages that
 * arrived meanwhile waited for them (the fan-out benchmark, BENCHMARKS.md).
 */
describe('the fan-out statements on SQLite', () => {
  let dir: string;
  let store: Store;
  const plan = async (q: CompiledQuery) => (await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]))).rows.map((r) => r.detail);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firebreak-plans-'));
    store = openStore(`sqlite:${join(dir, 'plans.db')}`);
    await migrateToLatest(store.dialect);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a claim updates the rows it picked by id, not every due row of the queue', async () => {
    const c = capturing(store);
    for (const lane of ['urgent', 'bulk'] as const) await claimDeliveries(c.store, { owner: 'w', now: Date.now(), leaseMs: 30_000, limit: 8, lane });
    const claims = c.statements.filter((s) => s.sql.startsWith('with "picked"'));
    expect(claims).toHaveLength(2);
    for (const claim of claims) {
      const steps = await plan(claim);
      expect(steps[0]).toMatch(/^SEARCH deliveries USING (COVERING )?INDEX sqlite_autoindex_deliveries_1 \(id=\?\)$/);
      expect(steps.join('\n')).not.toMatch(/deliveries_queue/);
    }
  });

  it('an expansion reads the next batch of subscribers in id order from an index, without sorting the page\'s subscribers', async () => {
    await sql`pragma foreign_keys = off`.execute(store.db);
    const now = Date.now();
    await store.db.insertInto('subscriber_notifications').values({ id: 'sno_plan', page_id: 'spg_plan', kind: 'incident', components: '[]', payload: '{}', cursor: 'sub_0001', expanded: 0, done_at: null, created_at: now }).execute();
    const c = capturing(store);
    const timer = { id: 'tmr_plan', key: 'subscribers:sno_plan', kind: 'subscribers', payload: JSON.stringify({ notificationId: 'sno_plan' }), run_at: now, attempts: 0, last_error: null, locked_by: 'w', locked_until: now + 1000, generation: 0, created_at: now };
    const ctx = { actor: systemActor('test'), clock: { now: () => now }, log: silentLogger, requestId: 'plans', store: c.store, incidentHooks: [] };
    await c.store.db.transaction().execute((tx) => expandNotifications(ctx, tx, [timer], async () => new Set([timer.id]), 50));
    const read = c.statements.find((s) => s.sql.startsWith('select') && s.sql.includes('from "status_subscribers"'));
    expect(read).toBeDefined();
    const steps = await plan(read!);
    expect(steps).toEqual(['SEARCH status_subscribers USING INDEX status_subscribers_page_order (page_id=? AND id>?)']);
  });
});
