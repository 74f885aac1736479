import type { Db, Tx } from '../../store/index.js';
import type { IncidentTable, IncidentUpdateTable, UpdateTemplateTable } from '../../store/schema.js';
import { iso, isoOrNull } from '../incidents/incident-view.js';
import type { UpdateVariables } from './templates.js';
import type { UpdateKind } from './schemas.js';

export interface UpdateView {
  id: string;
  incidentId: string;
  kind: string;
  body: string;
  audiences: string[];
  author: { id: string | null; name: string };
  postedAt: string;
  nextUpdateBy: string | null;
  /** Per sent audience (internal, responders): its deliveries by status. Public goes to status pages. */
  deliveries: Record<string, DeliveryCounts>;
}

export interface DeliveryCounts {
  total: number;
  pending: number;
  sent: number;
  failed: number;
}

export interface UpdateTemplateView {
  id: string | null;
  kind: string;
  /** null: any audience without its own template. */
  audience: string | null;
  body: string;
  /** built-in: no stored template, the default applies; config: from firebreak.yaml. */
  source: 'built-in' | 'api' | 'config';
}

export const toUpdateView = (r: IncidentUpdateTable): UpdateView => ({
  id: r.id,
  incidentId: r.incident_id,
  kind: r.kind,
  body: r.body,
  audiences: JSON.parse(r.audiences) as string[],
  author: { id: r.author_id, name: r.author_name },
  postedAt: iso(r.posted_at),
  nextUpdateBy: isoOrNull(r.next_update_by),
  deliveries: {},
});

/** Fills in each update's deliveries per audience: one grouped query for the lot. */
export async function withDeliveryCounts(db: Db | Tx, views: UpdateView[]): Promise<UpdateView[]> {
  if (views.length === 0) return views;
  const rows = await db
    .selectFrom('deliveries')
    .select((eb) => ['update_id', 'audience', 'status', eb.fn.countAll<number>().as('n')])
    .where('update_id', 'in', views.map((v) => v.id))
    .groupBy(['update_id', 'audience', 'status'])
    .execute();
  for (const v of views) {
    for (const audience of v.audiences.filter((a) => a !== 'public')) {
      const mine = rows.filter((r) => r.update_id === v.id && r.audience === audience);
      const count = (pred: (s: string) => boolean) => mine.filter((r) => pred(r.status)).reduce((sum, r) => sum + Number(r.n), 0);
      v.deliveries[audience] = {
        total: count(() => true),
        pending: count((s) => s === 'pending' || s === 'sending'),
        sent: count((s) => s === 'sent'),
        failed: count((s) => s === 'failed' || s === 'cancelled'),
      };
    }
  }
  return views;
}

export const toTemplateView = (r: UpdateTemplateTable): UpdateTemplateView => ({
  id: r.id,
  kind: r.kind,
  audience: r.audience === '' ? null : r.audience,
  body: r.body,
  source: r.managed_by ? 'config' : 'api',
});

/** The latest update of an incident, whose `next_update_by` is the deadline in force. */
export async function latestUpdate(db: Db | Tx, incidentId: string): Promise<IncidentUpdateTable | undefined> {
  return db
    .selectFrom('incident_updates')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('posted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The severity's cadence in ms, or null when the severity has none. */
export async function cadenceMs(db: Db | Tx, severity: string): Promise<number | null> {
  const row = await db.selectFrom('severities').select('update_cadence_seconds').where('key', '=', severity).executeTakeFirst();
  return row?.update_cadence_seconds ? row.update_cadence_seconds * 1000 : null;
}

/** How times read in an update: `2026-03-01 10:30 UTC` (stakeholders span time zones; UTC is unambiguous). */
export const updateTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** What the templates of this incident can use. */
export async function updateVariables(
  db: Db | Tx,
  incident: IncidentTable,
  extra: { kind: UpdateKind; audience: string; nextUpdateBy: number | null; publicUrl: string },
): Promise<UpdateVariables> {
  const [service, commander] = await Promise.all([
    incident.service_id ? db.selectFrom('services').select('name').where('id', '=', incident.service_id).executeTakeFirst() : undefined,
    db
      .selectFrom('incident_roles')
      .innerJoin('users', 'users.id', 'incident_roles.user_id')
      .select('users.name')
      .where('incident_roles.incident_id', '=', incident.id)
      .where('incident_roles.role', '=', 'commander')
      .executeTakeFirst(),
  ]);
  return {
    incident: {
      number: incident.number,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      services: service ? [service.name] : [],
      commander: commander?.name ?? 'unassigned',
      startedAt: updateTime(incident.detected_at),
      impact: incident.summary,
      summary: incident.summary,
      link: `${extra.publicUrl.replace(/\/$/, '')}/incidents/${incident.number}`,
    },
    kind: extra.kind,
    audience: extra.audience,
    nextUpdateBy: extra.nextUpdateBy === null ? '' : updateTime(extra.nextUpdateBy),
  };
}
