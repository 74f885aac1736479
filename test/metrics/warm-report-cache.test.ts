import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import type { Ctx } from '../../src/domain/context.js';
import { warmReportCache } from '../../src/domain/metrics/warm-report-cache.js';
import { startReportScheduler } from '../../src/worker/report-scheduler.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { seedHistory } from './seed-history.js';

/**
 * A start readies the last year's report facts: the day cache of its settled days is built (and
 * read into the process) before anyone asks, by the report scheduler's first pass.
 */
const DAY = 86_400_000;
const SIZES = { incidents: 400, alertsPerIncident: 1, eventsPerIncident: 6, services: 5, years: 2, bigTimeline: 10 };

describe.each(DIALECTS)('warming the report on %s', (dialect) => {
  let t: TestDatabase;
  let end: number;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    // The history ends now: the scheduler runs on the real clock.
    end = Date.now();
    const ctx = { actor: { type: 'system', name: 'test' }, clock: { now: () => end }, log: silentLogger, requestId: 'test', store: t.store, incidentHooks: [] } as unknown as Ctx;
    await seedHistory(t, ctx, SIZES, end);
  }, 60_000);
  afterAll(async () => t?.drop());

  const cachedDays = async (from: number) =>
    Number((await sql<{ n: number }>`select count(*) as n from report_days where day >= ${from}`.execute(t.store.db)).rows[0]!.n);

  it("the scheduler's first pass builds the day cache of the last year", async () => {
    const yearAgo = end - 365 * DAY;
    expect(await cachedDays(yearAgo)).toBe(0);
    const lines: { message: string; fields: Record<string, unknown> | undefined }[] = [];
    const log = { ...silentLogger, info: (_c: string, message: string, fields?: Record<string, unknown>) => lines.push({ message, fields }) } as unknown as Logger;
    const stop = startReportScheduler({ store: t.store, clock: { now: () => Date.now() }, log, smtp: { url: undefined, from: 'reports@example.test', timeoutMs: 1000 }, publicUrl: 'http://firebreak.test', firstTickMs: 0 });
    try {
      await expect.poll(() => lines.some((l) => l.message === 'report warmed'), { timeout: 30_000, interval: 50 }).toBe(true);
    } finally {
      await stop();
    }
    // Every settled day of the year (all but the last three, by the cache's horizon) is cached.
    expect(await cachedDays(yearAgo)).toBeGreaterThanOrEqual(360);
    const warmed = lines.find((l) => l.message === 'report warmed')!;
    expect(warmed.fields!.incidents).toBeGreaterThan(100);
  }, 60_000);

  it('a stop ends the readying at its next pause instead of waiting for the whole year', async () => {
    const lines: string[] = [];
    const log = { ...silentLogger, info: (_c: string, message: string) => lines.push(message), warn: (_c: string, message: string) => lines.push(message) } as unknown as Logger;
    const stop = startReportScheduler({ store: t.store, clock: { now: () => Date.now() }, log, smtp: { url: undefined, from: 'reports@example.test', timeoutMs: 1000 }, publicUrl: 'http://firebreak.test', firstTickMs: 0 });
    // Readying the year takes 53 pauses of 100 ms; stop a few weeks in.
    await new Promise((r) => setTimeout(r, 400));
    const started = Date.now();
    await stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lines).not.toContain('report warmed');
    expect(lines).not.toContain('warming the report failed');
  });

  it('waits while this instance is paging, and finishes once paging stops', async () => {
    const lines: string[] = [];
    const log = { ...silentLogger, info: (_c: string, message: string) => lines.push(message) } as unknown as Logger;
    let paging = true;
    const stop = startReportScheduler({
      store: t.store, clock: { now: () => Date.now() }, log, smtp: { url: undefined, from: 'reports@example.test', timeoutMs: 1000 }, publicUrl: 'http://firebreak.test', firstTickMs: 0,
      pagingRecently: () => paging,
    });
    try {
      // Unhindered, the year's 53 pauses of 100 ms take about 5.3 s.
      await new Promise((r) => setTimeout(r, 7_000));
      expect(lines).not.toContain('report warmed');
      paging = false;
      await expect.poll(() => lines.includes('report warmed'), { timeout: 20_000, interval: 100 }).toBe(true);
    } finally {
      await stop();
    }
  }, 40_000);

  it('warming again reads the cache it built, a week at a time', async () => {
    const ctx = { actor: { type: 'system', name: 'test' }, clock: { now: () => Date.now() }, log: silentLogger, requestId: 'test', store: t.store, incidentHooks: [] } as unknown as Ctx;
    const before = await cachedDays(end - 365 * DAY);
    let pauses = 0;
    const again = await warmReportCache(ctx, async () => { pauses += 1; });
    expect(again.incidents).toBeGreaterThan(100);
    expect(again.days).toBeGreaterThanOrEqual(365);
    // A week at a time: the event loop gets a turn between weeks.
    expect(pauses).toBeGreaterThanOrEqual(52);
    expect(await cachedDays(end - 365 * DAY)).toBe(before);
  });
});
