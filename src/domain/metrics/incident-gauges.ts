import { sql } from 'kysely';
import type { Db } from '../../store/index.js';

/** Upper bounds, seconds, of the Prometheus time-to-acknowledge histogram. */
export const TTA_BUCKETS = [60, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600] as const;

export interface IncidentGaugeFigures {
  /** Non-drill incidents by severity and status, all time. */
  bySeverityStatus: { severity: string; status: string; count: number }[];
  /** Per severity: cumulative counts at each TTA_BUCKETS bound, the sum and count (non-drill, acknowledged). */
  ttaBySeverity: { severity: string; cumulative: number[]; sum: number; count: number }[];
}

/**
 * The database-wide figures behind the incident series on /metrics: two aggregate queries, so a
 * scrape costs the same with ten incidents or a million rows' worth of index scan, never a row
 * transfer. TTA is detected → acknowledged, as in the report (docs/metrics.md).
 */
export async function incidentGaugeFigures(db: Db): Promise<IncidentGaugeFigures> {
  const counts = await db
    .selectFrom('incidents')
    .select(['severity', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('is_drill', '=', 0)
    .groupBy(['severity', 'status'])
    .execute();
  const tta = sql<number>`(acknowledged_at - detected_at) / 1000.0`;
  const ack = await db
    .selectFrom('incidents')
    .select((eb) => [
      'severity',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(tta).as('total'),
      ...TTA_BUCKETS.map((le, i) => eb.fn.sum<number>(sql`case when acknowledged_at - detected_at <= ${le * 1000} then 1 else 0 end`).as(`b${i}`)),
    ])
    .where('is_drill', '=', 0)
    .where('acknowledged_at', 'is not', null)
    .groupBy('severity')
    .execute();
  return {
    bySeverityStatus: counts.map((r) => ({ severity: r.severity, status: r.status, count: Number(r.n) })),
    ttaBySeverity: ack.map((r) => {
      const row = r as unknown as Record<string, number | string | null>;
      return {
        severity: r.severity,
        cumulative: TTA_BUCKETS.map((_, i) => Number(row[`b${i}`] ?? 0)),
        sum: Number(r.total ?? 0),
        count: Number(r.n),
      };
    }),
  };
}
