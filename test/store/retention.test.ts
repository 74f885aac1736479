import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ulid } from 'ulid';
import { silentLogger } from '../../src/core/logger.js';
import { idBoundary } from '../../src/domain/alerts/alert-queries.js';
import { takeJobLease } from '../../src/domain/jobs/job-lease.js';
import { pruneOnce, RETENTION_JOB } from '../../src/worker/retention.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

/**
 * Retention: raw payloads older than FIREBREAK_RAW_PAYLOAD_RETENTION_DAYS and change events
 * older than FIREBREAK_CHANGE_EVENT_RETENTION_DAYS are deleted in bounded statements, by the
 * instance holding the retention lease.
 */
const DAY = 86_400_000;
/** An id as the app makes them, at a chosen time (the app's own factory is monotonic, so it cannot go back in time). */
const idAt = (prefix: 'raw' | 'chg', at: number) => `${prefix}_${ulid(at).toLowerCase()}`;

describe('idBoundary', () => {
  it('sorts after every id made before the time and before every id made at or after it', () => {
    const t = Date.parse('2026-03-01T00:00:00Z');
    const boundary = idBoundary('raw', t);
    for (const at of [1000, t - 1, t - DAY]) expect(idAt('raw', at) < boundary).toBe(true);
    for (const at of [t, t + 1, t + DAY]) expect(idAt('raw', at) > boundary).toBe(true);
  });
});

describe.each(DIALECTS)('retention pruning on %s', (dialect) => {
  let db: TestDatabase;
  const clock = new ManualClock('2026-06-01T00:00:00Z');
  const prune = (holder = 'instance-a', batchSize = 1000) =>
    pruneOnce({ store: db.store, clock, log: silentLogger, rawPayloadDays: 30, changeEventDays: 90, batchSize, pauseMs: 0, holder, leaseMs: 60_000 });
  const count = async (table: 'raw_payloads' | 'change_events') => Number((await db.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  async function seedRaw(receivedAt: number, n: number): Promise<void> {
    const rows = Array.from({ length: n }, () => ({ id: idAt('raw', receivedAt), integration_id: 'int_x', received_at: receivedAt, format: 'alertmanager-api', body: '[]', outcome: '{}' }));
    for (let i = 0; i < rows.length; i += 500) await db.store.db.insertInto('raw_payloads').values(rows.slice(i, i + 500)).execute();
  }
  async function seedChange(receivedAt: number, summary: string): Promise<void> {
    await db.store.db.insertInto('change_events').values({ id: idAt('chg', receivedAt), integration_id: 'int_x', service_id: null, summary, source: null, occurred_at: receivedAt, received_at: receivedAt, links: '[]', details: 'null', raw_payload_id: null }).execute();
  }

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(() => db?.drop());

  it('deletes raw payloads past 30 days and change events past 90, in statements of at most batchSize rows, keeping the rest', async () => {
    const now = clock.now();
    await seedRaw(now - 45 * DAY, 2300);
    await seedRaw(now - 30 * DAY - 1, 1);
    await seedRaw(now - 30 * DAY + 1000, 5);
    await seedRaw(now - DAY, 7);
    await seedChange(now - 91 * DAY, 'old deploy');
    await seedChange(now - 89 * DAY, 'recent deploy');

    const run = await prune('instance-a', 1000);
    // 2301 old raw payloads: 1000 + 1000 + 301; then one statement for the change events.
    expect(run).toEqual({ rawPayloads: 2301, changeEvents: 1, statements: 4 });
    expect(await count('raw_payloads')).toBe(12);
    const left = await db.store.db.selectFrom('raw_payloads').select('received_at').execute();
    expect(left.every((r) => r.received_at >= now - 30 * DAY)).toBe(true);
    expect((await db.store.db.selectFrom('change_events').select('summary').execute()).map((r) => r.summary)).toEqual(['recent deploy']);
    expect(await prune()).toEqual({ rawPayloads: 0, changeEvents: 0, statements: 2 });
  });

  it('moves with the clock: what was recent becomes old', async () => {
    clock.advance(30 * DAY);
    expect(await prune()).toMatchObject({ rawPayloads: 12, changeEvents: 1 });
    expect(await count('raw_payloads')).toBe(0);
  });

  it('leaves the work to the instance holding the lease, and takes over once it lapses', async () => {
    await seedRaw(clock.now() - 40 * DAY, 3);
    clock.advance(60_000); // instance-a's own lease from the previous run lapses
    expect(await takeJobLease(db.store.db, { name: RETENTION_JOB, holder: 'instance-b', now: clock.now(), ttlMs: 60_000 })).toBe(true);
    expect(await prune('instance-a')).toEqual({ rawPayloads: 0, changeEvents: 0, statements: 0 });
    expect(await count('raw_payloads')).toBe(3);
    clock.advance(60_000);
    expect(await prune('instance-a')).toMatchObject({ rawPayloads: 3 });
  });
});
