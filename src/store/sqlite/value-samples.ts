import type { Database as Native } from 'better-sqlite3';

/**
 * Removes the value samples ANALYZE leaves in `sqlite_stat4`, keeping its per-index figures in
 * `sqlite_stat1`, and has the planner reload what is left.
 *
 * better-sqlite3 builds SQLite with STAT4. With samples present, a prepared statement whose
 * parameters meet a sampled index is planned again each time it is run with new values. Every
 * statement here is prepared once for one plan. On the 10-million-alert history (an ANALYZE
 * over everything), ingest's open-alert look-up took 26 µs instead of 2 µs, nearly all of it in
 * SQLite's parser and planner, and 100 alerts per request ingested about 30 % slower than on a
 * fresh database. Without the samples, both were the same within the noise (BENCHMARKS.md,
 * 2026-12-07). `sqlite_stat1` is what the report's plans need (migration 0026).
 *
 * Returns how many samples were removed.
 */
export function forgetValueSamples(native: Native): number {
  const table = native.prepare(`select 1 from sqlite_schema where type = 'table' and name = 'sqlite_stat4'`).get();
  if (!table) return 0;
  const { changes } = native.prepare('delete from sqlite_stat4').run();
  if (changes > 0) native.exec('analyze sqlite_schema');
  return changes;
}
