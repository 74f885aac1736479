import { sql } from 'kysely';
import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { alertLinks, readAlertContext, type AlertImage, type AlertLink } from './alert-context.js';
import { toAlertView, type AlertView } from './alert-queries.js';

/**
 * The incident page's alert section: the incident's alerts, first received first, a page at a
 * time, each with what was kept at ingest (links, images, custom_details, tags), and the counts
 * and first/last seen over all of them, plus the summary the first alert gives the incident.
 */
export interface IncidentAlertView extends AlertView {
  integrationName: string | null;
  links: AlertLink[];
  images: AlertImage[];
  customDetails: unknown;
  tags: string[];
}

export interface IncidentAlertsPage {
  items: IncidentAlertView[];
  /** Pass as `after` for the next page; null on the last. */
  next: string | null;
  counts: { total: number; open: number; firing: number; acknowledged: number; resolved: number };
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  /** What the first alert says the problem is: shown while the incident has no summary of its own. */
  summary: { text: string; description: string | null; alertId: string } | null;
}

export const IncidentAlertsInput = z.object({
  incident: z.string().min(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: z.string().max(100).optional(),
});

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

export async function listIncidentAlertsPage({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentAlertsPage> {
  authorize(ctx.actor, 'read');
  const q = parseInput(IncidentAlertsInput, input, 'query');
  const db = ctx.store.db;
  const incident = await findIncidentRow(db, q.incident);
  let query = db
    .selectFrom('alerts')
    .leftJoin('integrations', 'integrations.id', 'alerts.integration_id')
    .selectAll('alerts')
    .select('integrations.name as integration_name')
    .where('alerts.incident_id', '=', incident.id)
    .orderBy('alerts.id')
    .limit(q.limit + 1);
  if (q.after) query = query.where('alerts.id', '>', q.after);
  const [rows, totals, first] = await Promise.all([
    query.execute(),
    db
      .selectFrom('alerts')
      .select([
        sql<number>`count(*)`.as('total'),
        sql<number>`sum(case when status = 'firing' then 1 else 0 end)`.as('firing'),
        sql<number>`sum(case when status = 'acknowledged' then 1 else 0 end)`.as('acknowledged'),
        sql<number>`sum(case when status = 'resolved' then 1 else 0 end)`.as('resolved'),
        sql<number>`min(first_seen_at)`.as('first_seen'),
        sql<number>`max(last_seen_at)`.as('last_seen'),
      ])
      .where('incident_id', '=', incident.id)
      .executeTakeFirstOrThrow(),
    q.after ? db.selectFrom('alerts').select(['id', 'summary', 'description']).where('incident_id', '=', incident.id).orderBy('id').limit(1).executeTakeFirst() : undefined,
  ]);
  const page = rows.slice(0, q.limit);
  const items = page.map((row): IncidentAlertView => {
    const view = toAlertView(row);
    const context = readAlertContext(row.context);
    return {
      ...view,
      integrationName: row.integration_name ?? null,
      links: alertLinks({ ...view, context }),
      images: context.images,
      customDetails: context.customDetails,
      tags: context.tags,
    };
  });
  const opener = q.after ? first : page[0];
  const n = (v: unknown): number => Number(v ?? 0);
  const firing = n(totals.firing);
  const acknowledged = n(totals.acknowledged);
  return {
    items,
    next: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
    counts: { total: n(totals.total), open: firing + acknowledged, firing, acknowledged, resolved: n(totals.resolved) },
    firstSeenAt: iso(totals.first_seen),
    lastSeenAt: iso(totals.last_seen),
    summary: opener ? { text: opener.summary, description: opener.description, alertId: opener.id } : null,
  };
}
