import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { ingestServiceOf } from '../../src/http/routes/ingest.js';
import type { AlertBatchWriter } from '../../src/store/alert-batch-writer.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * No alert fails because of its neighbour: when one request in a group-commit batch still cannot
 * be stored, it gets its own error and the other requests of the batch commit. The store is made
 * to refuse the raw payload of one request (as a database refuses a value, and as a domain rule
 * refuses an item), and the batch is formed on purpose behind a held commit.
 */
describe.each(DIALECTS)('one failing request in an ingest batch (%s)', (dialect) => {
  let t: TestApp;
  let key: string;
  let refuse: (() => Error) | null = null;
  let hold: { until: Promise<void>; reached(): void } | null = null;
  const batchSizes: number[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const admin = (await t.userWithKey('admin')).token;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'pd', format: 'pagerduty-events-v2' } });
    key = res.json().key;
    const writer = t.store.dialect.alertWriter as { -readonly [K in keyof AlertBatchWriter]: AlertBatchWriter[K] };
    const insertRawPayloads = writer.insertRawPayloads.bind(writer);
    writer.insertRawPayloads = async (tx, rows) => {
      batchSizes.push(rows.length);
      if (hold) {
        const held = hold;
        hold = null;
        held.reached();
        await held.until;
      }
      if (refuse && rows.some((row) => row.body.includes('POISON'))) throw refuse();
      return insertRawPayloads(tx, rows);
    };
  });
  afterAll(() => t?.close());

  const event = (dedupKey: string) => t.app.inject({
    method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ routing_key: key, event_action: 'trigger', dedup_key: dedupKey, payload: { summary: dedupKey, source: 'test', severity: 'critical' } }),
  });

  /** Holds the commit of a first request until three more are queued behind it, so they form one batch. */
  async function batchOfThree(prefix: string) {
    let release!: () => void;
    let reached!: () => void;
    const isHeld = new Promise<void>((resolve) => (reached = resolve));
    hold = { until: new Promise((resolve) => (release = resolve)), reached };
    const first = event(`${prefix}-first`);
    await isHeld;
    const queue = ingestServiceOf(t.app)!.queue;
    const rest = [event(`${prefix}-a`), event(`${prefix}-POISON`), event(`${prefix}-b`)];
    for (let i = 0; i < 1_000 && queue.queuedWeight < 3; i += 1) await new Promise((r) => setImmediate(r));
    expect(queue.queuedWeight).toBe(3);
    release();
    const [firstRes, ...restRes] = await Promise.all([first, ...rest]);
    expect(firstRes!.statusCode).toBe(202);
    expect(batchSizes).toContain(3);
    const stored = await t.store.db.selectFrom('alerts').select('dedup_key').where('dedup_key', 'like', `${prefix}-%`).orderBy('dedup_key').execute();
    return { statuses: restRes.map((r) => r.statusCode), stored: stored.map((r) => r.dedup_key) };
  }

  it('stores the neighbours of a request the database refuses; that one alone gets a 5xx to retry', async () => {
    refuse = () => new Error('value refused by the database');
    const { statuses, stored } = await batchOfThree('db');
    expect(statuses).toEqual([202, 500, 202]);
    expect(stored).toEqual(['db-a', 'db-b', 'db-first']);
  });

  it('stores the neighbours of a request refused with an application error; that one alone gets it', async () => {
    refuse = () => new AppError('VALIDATION', 'payload: refused', { issues: [{ field: 'payload', message: 'refused' }] });
    const { statuses, stored } = await batchOfThree('app');
    expect(statuses).toEqual([202, 400, 202]);
    expect(stored).toEqual(['app-a', 'app-b', 'app-first']);
  });
});
