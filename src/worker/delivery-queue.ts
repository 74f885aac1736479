import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import type { Store } from '../store/index.js';
import type { Database, DeliveryTable } from '../store/schema.js';

/**
 * The delivery table is the outgoing queue. A claim commits `sending` (with a lease) BEFORE the
 * call out, so a crash mid-send leaves a `sending` row whose lease runs out and is retried with
 * the same delivery id: a possible duplicate the receiver can drop, never a lost page.
 */
/** Priorities from here on are the bulk lane (status page subscribers): capped in send slots. */
export const BULK_PRIORITY = 2;

export interface ClaimInput {
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
  lane?: 'urgent' | 'bulk';
}

export async function claimDeliveries(store: Store, input: ClaimInput): Promise<DeliveryTable[]> {
  if (input.limit <= 0) return [];
  // The bulk lane holds a fan-out's thousands of rows, queued faster than the database's
  // statistics follow: its claims are told to walk the index in order (dialect.indexOrdered).
  // The urgent lane holds a few pages and pays no extra round trips.
  return input.lane === 'bulk' ? store.dialect.indexOrdered(store.db, (db) => claimIn(db, store, input)) : claimIn(store.db, store, input);
}

async function claimIn(db: Kysely<Database>, store: Store, input: ClaimInput): Promise<DeliveryTable[]> {
  const { now, lane } = input;
  const inLane = <Q extends SelectQueryBuilder<Database, 'deliveries', { id: string }>>(q: Q): Q =>
    (lane === 'urgent' ? q.where('priority', '<', BULK_PRIORITY) : lane === 'bulk' ? q.where('priority', '>=', BULK_PRIORITY) : q) as Q;
  const claim = (state: 'pending' | 'sending', limit: number) => {
    // One state per statement: each reads its own slice of the (status, priority, next_attempt_at)
    // index, so thousands of queued subscriber rows cost the pages' claim nothing.
    const due = (eb: ExpressionBuilder<Database, 'deliveries'>) =>
      state === 'pending' ? eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]) : eb.and([eb('status', '=', 'sending'), eb('locked_until', '<', now)]);
    // The picked ids are a MATERIALIZED CTE, evaluated once: as a plain `IN (SELECT … LIMIT n
    // FOR UPDATE SKIP LOCKED)` PostgreSQL may re-run the subquery for each row it updates and,
    // skipping the rows this very statement just changed, claim more than `limit`.
    return db
      .with((cte) => cte('picked').materialized(), () => store.dialect.forUpdateSkipLocked(
        // Pages (priority 0) before reminders (1) and subscribers (2, 3): a page never waits in line.
        inLane(db.selectFrom('deliveries').select('id').where(due)).orderBy('priority').orderBy('next_attempt_at').limit(limit),
      ))
      .updateTable('deliveries')
      .set((eb) => ({ status: 'sending', locked_by: input.owner, locked_until: now + input.leaseMs, attempts: eb('attempts', '+', 1), send_started_at: null }))
      // By id alone. The picked rows are this statement's (locked by it on PostgreSQL, where the
      // lock re-checks `due` on the row's newest version; SQLite has one writer), and repeating
      // `due` here let SQLite plan the update over every due row of the queue index instead of
      // 8 look-ups by id: 37 ms on the event loop with a fan-out's 2,000 rows queued.
      .where('id', 'in', (eb) => eb.selectFrom('picked').select('picked.id'))
      .returningAll()
      .execute();
  };
  const rows = await claim('pending', input.limit);
  // Claims whose lease ran out (their instance died mid-send): retried with the same id.
  // Looked for with a read first: an UPDATE that matches nothing still takes SQLite's write lock.
  if (rows.length < input.limit) {
    const expired = await inLane(db.selectFrom('deliveries').select('id').where('status', '=', 'sending').where('locked_until', '<', now)).limit(1).executeTakeFirst();
    if (expired) rows.push(...(await claim('sending', input.limit - rows.length)));
  }
  return rows;
}

/**
 * The last look before the network: of the claimed rows (`id`, `attempts` as claimed), marks
 * `send_started_at` on those still held by `owner` whose attempt has not started and, for an
 * escalation page, whose incident is still triggered; returns their ids. One statement for the
 * batch. It is the point where an acknowledgement and a send are ordered: the row lock (one
 * writer on SQLite) makes the ack's cancel (`cancelPendingPages`) either see the mark and leave
 * the row to its send, or cancel it first, so that this finds it cancelled and nothing is sent.
 */
export async function startAttempts(store: Store, owner: string, now: number, claims: readonly Pick<DeliveryTable, 'id' | 'attempts'>[]): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const claimed = new Map(claims.map((c) => [c.id, c.attempts]));
  const rows = await store.db
    .updateTable('deliveries')
    .set({ send_started_at: now })
    .where('id', 'in', [...claimed.keys()])
    .where('status', '=', 'sending')
    .where('locked_by', '=', owner)
    .where('send_started_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('purpose', '!=', 'page'),
        eb('incident_id', 'is', null),
        eb.exists(eb.selectFrom('incidents').select('incidents.id').whereRef('incidents.id', '=', 'deliveries.incident_id').where('incidents.status', '=', 'triggered')),
      ]),
    )
    .returning(['id', 'attempts'])
    .execute();
  return new Set(rows.filter((r) => claimed.get(r.id) === r.attempts).map((r) => r.id));
}

/**
 * Shutdown: claims whose attempt never started go back to `pending` at once; the attempt is not
 * counted as failed. A claim whose send was handed to the network is kept: its lease decides,
 * so it is retried (same id) only if its result is never written.
 */
export async function releaseDeliveries(store: Store, owner: string, now: number, ids?: string[]): Promise<number> {
  let q = store.db
    .updateTable('deliveries')
    .set({ status: 'pending', locked_by: null, locked_until: null, next_attempt_at: now, send_started_at: null })
    .where('locked_by', '=', owner)
    .where('status', '=', 'sending')
    .where('send_started_at', 'is', null);
  if (ids) {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', ids);
  }
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** When the next pending delivery is due; of the urgent lane only when the bulk lane has no room. */
export async function nextDeliveryDue(store: Store, lane?: 'urgent'): Promise<number | null> {
  let q = store.db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending');
  if (lane === 'urgent') q = q.where('priority', '<', BULK_PRIORITY);
  const row = await q.executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}
