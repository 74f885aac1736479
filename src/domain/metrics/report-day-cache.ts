import type { Store } from '../../store/index.js';
import { DAY_MS, SETTLED_AFTER_MS } from '../../store/report-days.js';
import { loadReportFacts } from './load-report-facts.js';
import { DecodedDays } from './decoded-days.js';
import { decodeFacts, encodeFacts, FACTS_FORMAT } from './report-facts-codec.js';
import { splitByDay, type ReportFacts } from './report-facts.js';
import { sql } from 'kysely';

/** Missing days are built this many at a time: one consistent read each (a short one on SQLite's single connection). */
const BUILD_DAYS = 7;

/**
 * How much of the day cache each process keeps decoded (decoded-days.ts): a year of a history of
 * a million incidents in three years is about 36 MB.
 */
export const DECODED_DAYS_BYTES = 64 * 1024 * 1024;
const decoded = new WeakMap<Store, DecodedDays>();
function decodedDaysOf(store: Store): DecodedDays {
  let days = decoded.get(store);
  if (!days) decoded.set(store, (days = new DecodedDays(DECODED_DAYS_BYTES)));
  return days;
}

/**
 * The database's clock, which the report-day triggers use (store/report-days.ts). Not the
 * app's Clock: the cache's consistency rests on both sides agreeing, and a test's fake clock
 * would disagree with SQLite's `unixepoch()`.
 */
async function databaseNow(store: Store): Promise<number> {
  return store.dialect.databaseTime ? store.dialect.databaseTime() : Date.now();
}

/**
 * The report's facts of [from, to): whole settled days from the day cache, the stretches
 * before the first and after the last of them read from the tables. A day missing from the
 * cache, or changed since it was cached (its version moved on), is read and stored again;
 * concurrent builders of one day store the same facts, and a day stored with a version already
 * overtaken is simply rebuilt by the next report.
 */
export async function reportFactsFor(store: Store, from: number, to: number, options: { cache: boolean }): Promise<ReportFacts[]> {
  const settled = Math.floor(((await databaseNow(store)) - SETTLED_AFTER_MS) / DAY_MS) * DAY_MS;
  const first = Math.ceil(from / DAY_MS) * DAY_MS;
  const last = Math.min(Math.floor(to / DAY_MS) * DAY_MS, settled);
  if (!options.cache || last <= first) return [await loadReportFacts(store.db, from, to)];
  const parts: ReportFacts[] = [];
  if (from < first) parts.push(await loadReportFacts(store.db, from, first));
  parts.push(...(await cachedDays(store, first, last)));
  if (last < to) parts.push(await loadReportFacts(store.db, last, to));
  return parts;
}

/**
 * The cached days of [first, last) that are current (their version is the day's), from this
 * process's decoded days where it holds them at that version, else read from the table.
 */
async function currentDays(store: Store, first: number, last: number): Promise<Map<number, ReportFacts>> {
  const current = await store.db
    .selectFrom('report_days as r')
    .leftJoin('report_day_changes as c', 'c.day', 'r.day')
    .select(['r.day', 'r.version'])
    .where('r.day', '>=', first)
    .where('r.day', '<', last)
    .where('r.format', '=', FACTS_FORMAT)
    .where(sql<boolean>`r.version = coalesce(c.version, 0)`)
    .execute();
  const memory = decodedDaysOf(store);
  const found = new Map<number, ReportFacts>();
  const versionOf = new Map<number, number>();
  for (const r of current) {
    const day = Number(r.day);
    const facts = memory.get(day, Number(r.version));
    if (facts) found.set(day, facts);
    else versionOf.set(day, Number(r.version));
  }
  const unread = [...versionOf.keys()];
  for (let i = 0; i < unread.length; i += 100) {
    const rows = await store.db
      .selectFrom('report_days')
      .select(['day', 'version', 'data'])
      .where('day', 'in', unread.slice(i, i + 100))
      .where('format', '=', FACTS_FORMAT)
      .execute();
    for (const r of rows) {
      const day = Number(r.day);
      // Rebuilt by another report since the versions were read: left out here, so read afresh below.
      if (Number(r.version) !== versionOf.get(day)) continue;
      const data = r.data as Uint8Array;
      const facts = decodeFacts(data);
      memory.set(day, Number(r.version), facts, data.byteLength);
      found.set(day, facts);
    }
  }
  return found;
}

async function cachedDays(store: Store, first: number, last: number): Promise<ReportFacts[]> {
  const cached = await currentDays(store, first, last);
  const parts: ReportFacts[] = [];
  let runStart: number | null = null;
  const flush = async (end: number) => {
    for (let start = runStart!; start < end; start += BUILD_DAYS * DAY_MS) parts.push(...(await buildDays(store, start, Math.min(end, start + BUILD_DAYS * DAY_MS))));
    runStart = null;
  };
  for (let day = first; day < last; day += DAY_MS) {
    const facts = cached.get(day);
    if (facts === undefined) {
      runStart ??= day;
      continue;
    }
    if (runStart !== null) await flush(day);
    parts.push(facts);
  }
  if (runStart !== null) await flush(last);
  return parts;
}

/** Reads [start, end) (whole days) and the days' versions in one snapshot, then stores each day. */
async function buildDays(store: Store, start: number, end: number): Promise<ReportFacts[]> {
  const { versions, facts } = await store.dialect.snapshotRead(async (tx) => {
    const versions = await tx.selectFrom('report_day_changes').select(['day', 'version']).where('day', '>=', start).where('day', '<', end).execute();
    return { versions, facts: await loadReportFacts(tx, start, end) };
  });
  const versionOf = new Map(versions.map((v) => [Number(v.day), Number(v.version)]));
  const days = splitByDay(facts, start, Math.round((end - start) / DAY_MS), DAY_MS);
  const builtAt = Date.now();
  const rows = days.map((facts, i) => {
    const day = start + i * DAY_MS;
    return { day, version: versionOf.get(day) ?? 0, format: FACTS_FORMAT, built_at: builtAt, data: encodeFacts(facts) };
  });
  await store.transaction(async (tx) => {
    for (const row of rows) {
      await tx.insertInto('report_days').values(row).onConflict((oc) => oc.column('day').doUpdateSet({ version: row.version, format: row.format, built_at: row.built_at, data: row.data })).execute();
    }
  });
  // Kept decoded at the version they were read at: a later change moves the day's version on.
  const memory = decodedDaysOf(store);
  rows.forEach((row, i) => memory.set(row.day, row.version, days[i]!, row.data.byteLength));
  return days;
}
