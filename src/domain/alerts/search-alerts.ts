import { z } from 'zod';
import { validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import type { Db } from '../../store/index.js';
import type { AlertTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { idBoundary, toAlertView, type AlertView } from './alert-queries.js';
import { matchesAll, parseMatchers, type LabelMatcher } from './matchers.js';

/**
 * Alert search (list, web UI, `firebreak alert list`): newest first, keyset pages on the alert id
 * (a ULID of when Firebreak first received the alert, so a time range is an id range too).
 *
 * Every request does bounded work however many alerts there are:
 * - open statuses (open, firing, acknowledged, suppressed) read `alerts_open_recent`, the
 *   partial index of open alerts in id order, so resolved alerts are never looked at;
 * - one incident's alerts read `alerts_incident`;
 * - anything else walks the primary key from the cursor, at most SCAN_LIMIT rows per request,
 *   and filters what it read. When it stops at that bound before filling the page, the answer
 *   says so (`scanLimited`) and `next` continues the walk where it stopped.
 * Label matchers (Alertmanager syntax) run on the rows read, with the same bound.
 */
const CHUNK = 500;
const SCAN_LIMIT = 20_000;
const INCIDENT_LIMIT = 5_000;

export const ALERT_STATUSES = ['open', 'firing', 'acknowledged', 'resolved', 'suppressed'] as const;
const OPEN_STATUSES = new Set<string>(['open', 'firing', 'acknowledged', 'suppressed']);

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { error: 'is not an ISO 8601 date-time' }).transform((s) => Date.parse(s));

export const ListAlertsInput = z.object({
  status: z.enum(ALERT_STATUSES).optional(),
  integration: z.string().max(200).optional(),
  incident: z.string().max(200).optional(),
  /** Label matchers in Alertmanager's text form: `alertname="DiskFull", env=~"prod|stage"`. */
  matchers: z.string().max(4096).optional(),
  /** First received at or after this time. */
  since: isoTime.optional(),
  /** First received before this time. */
  until: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** The `next` of the previous page: only alerts older than this id. */
  before: z.string().max(200).optional(),
});
export type ListAlertsQuery = z.output<typeof ListAlertsInput>;

export interface AlertPage {
  alerts: AlertView[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: string | null;
  /** True when the search read its bound of alerts before filling the page: `next` searches on. */
  scanLimited: boolean;
}

/** Whether a row passes the filters SQL did not already apply. */
function keep(row: AlertTable, q: ListAlertsQuery, matchers: readonly LabelMatcher[]): boolean {
  if (q.status === 'open' && row.status === 'resolved') return false;
  if (q.status === 'suppressed' && !(row.status === 'firing' && row.suppressed_by !== null)) return false;
  if (q.status && q.status !== 'open' && q.status !== 'suppressed' && row.status !== q.status) return false;
  if (q.integration && row.integration_id !== q.integration) return false;
  if (q.incident && row.incident_id !== q.incident) return false;
  return matchers.length === 0 || matchesAll(matchers, JSON.parse(row.labels) as Record<string, string>);
}

/** One chunk of candidate rows older than `cursor`, newest first, and whether more may follow. */
async function readChunk(db: Db, q: ListAlertsQuery, cursor: string | null, upper: string | null, lower: string | null): Promise<{ rows: AlertTable[]; more: boolean }> {
  let query = db.selectFrom('alerts').selectAll();
  if (cursor !== null) query = query.where('id', '<', cursor);
  if (upper !== null) query = query.where('id', '<', upper);
  if (lower !== null) query = query.where('id', '>=', lower);
  if (q.status && OPEN_STATUSES.has(q.status)) {
    // Written exactly as the partial index's predicate, so both planners use alerts_open_recent.
    query = query.where('status', '<>', 'resolved');
    if (q.status === 'firing' || q.status === 'suppressed') query = query.where('status', '=', 'firing');
    if (q.status === 'acknowledged') query = query.where('status', '=', 'acknowledged');
    if (q.status === 'suppressed') query = query.where('suppressed_by', 'is not', null);
    if (q.integration) query = query.where('integration_id', '=', q.integration);
  }
  const rows = await query.orderBy('id', 'desc').limit(CHUNK).execute();
  return { rows, more: rows.length === CHUNK };
}

export async function listAlerts({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<AlertPage> {
  authorize(ctx.actor, 'read');
  const q = parseInput(ListAlertsInput, input, 'query');
  const matchers = q.matchers?.trim() ? parseMatchers(q.matchers, 'matchers') : [];
  if (q.since !== undefined && q.until !== undefined && q.since >= q.until) throw validation('until', 'must be after since');
  const lower = q.since === undefined ? null : idBoundary('alr', q.since);
  const upper = q.until === undefined ? null : idBoundary('alr', q.until);

  if (q.incident) {
    // Few per incident: read them all through alerts_incident, then page in memory.
    const rows = (await ctx.store.db.selectFrom('alerts').selectAll().where('incident_id', '=', q.incident).limit(INCIDENT_LIMIT).execute())
      .filter((r) => (q.before === undefined || r.id < q.before) && (upper === null || r.id < upper) && (lower === null || r.id >= lower) && keep(r, q, matchers))
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const page = rows.slice(0, q.limit);
    return { alerts: page.map(toAlertView), next: rows.length > q.limit ? page.at(-1)!.id : null, scanLimited: false };
  }

  const found: AlertTable[] = [];
  let cursor = q.before ?? null;
  let scanned = 0;
  for (;;) {
    const { rows, more } = await readChunk(ctx.store.db, q, cursor, upper, lower);
    for (const row of rows) {
      if (!keep(row, q, matchers)) continue;
      found.push(row);
      if (found.length === q.limit) return { alerts: found.map(toAlertView), next: row.id, scanLimited: false };
    }
    scanned += rows.length;
    if (!more) return { alerts: found.map(toAlertView), next: null, scanLimited: false };
    cursor = rows.at(-1)!.id;
    if (scanned >= SCAN_LIMIT) return { alerts: found.map(toAlertView), next: cursor, scanLimited: true };
  }
}
