import type { Db, Tx } from '../../store/index.js';
import type { IncidentTable } from '../../store/schema.js';
import type { RunbookDraft } from '../runbooks/import-runbooks.js';
import { flattenSteps } from '../runbooks/runbook-records.js';

/**
 * Everything Firebreak recorded about one incident, as plain data (epoch ms), for the pure
 * drafting in draft.ts. Loaded in a handful of queries; nothing here decides what it means.
 */
export interface IncidentRecord {
  incident: {
    id: string; number: number; title: string; summary: string; severity: string; status: string; service: string | null; isDrill: boolean;
    detectedAt: number; declaredAt: number; acknowledgedAt: number | null; mitigatedAt: number | null; resolvedAt: number | null;
  };
  severity: { name: string; ackTargetSeconds: number | null; resolveTargetSeconds: number | null; updateCadenceSeconds: number | null } | null;
  alerts: { summary: string; source: string | null; integration: string | null; format: string | null; startedAt: number | null; firstSeenAt: number }[];
  /** One row per person paged per escalation step (contact methods folded). */
  pages: { userName: string; at: number; purpose: string; channels: string[]; sent: boolean }[];
  timeline: { id: string; at: number; kind: string; actorName: string; body: string; data: Record<string, unknown> }[];
  stars: { eventId: string; tag: string; starredBy: string }[];
  runbooks: { title: string; steps: { text: string; state: string; by: string | null; at: number | null; startedAt: number | null; reason: string | null }[] }[];
  updates: { kind: string; audiences: string[]; author: string; postedAt: number; nextUpdateBy: number | null }[];
  statusPages: { page: string; name: string; impact: string; updates: { status: string; body: string; at: number }[] }[];
}

export async function loadIncidentRecord(db: Db | Tx, row: IncidentTable): Promise<IncidentRecord> {
  const id = row.id;
  const [service, severity, alerts, deliveries, timeline, stars, runs, updates, publics] = await Promise.all([
    row.service_id ? db.selectFrom('services').select('name').where('id', '=', row.service_id).executeTakeFirst() : undefined,
    db.selectFrom('severities').select(['name', 'ack_target_seconds', 'resolve_target_seconds', 'update_cadence_seconds']).where('key', '=', row.severity).executeTakeFirst(),
    db.selectFrom('alerts').leftJoin('integrations', 'integrations.id', 'alerts.integration_id')
      .select(['alerts.summary', 'alerts.source', 'alerts.started_at', 'alerts.first_seen_at', 'integrations.name as integration', 'integrations.format'])
      .where('alerts.incident_id', '=', id).orderBy('alerts.first_seen_at').limit(200).execute(),
    db.selectFrom('deliveries').innerJoin('users', 'users.id', 'deliveries.user_id')
      .select(['users.name', 'deliveries.action_key', 'deliveries.purpose', 'deliveries.channel', 'deliveries.created_at', 'deliveries.status'])
      .where('deliveries.incident_id', '=', id).where('deliveries.purpose', 'in', ['page', 'manual']).orderBy('deliveries.created_at').limit(1000).execute(),
    db.selectFrom('timeline_events').selectAll().where('incident_id', '=', id).orderBy('id').limit(5000).execute(),
    db.selectFrom('timeline_stars').select(['event_id', 'tag', 'starred_by_name']).where('incident_id', '=', id).execute(),
    db.selectFrom('runbook_runs').innerJoin('runbook_versions', 'runbook_versions.id', 'runbook_runs.runbook_version_id')
      .select(['runbook_runs.id', 'runbook_versions.structure']).where('runbook_runs.incident_id', '=', id).orderBy('runbook_runs.started_at').execute(),
    db.selectFrom('incident_updates').selectAll().where('incident_id', '=', id).orderBy('posted_at').execute(),
    db.selectFrom('public_incidents').innerJoin('status_pages', 'status_pages.id', 'public_incidents.page_id')
      .select(['public_incidents.id', 'public_incidents.impact', 'status_pages.slug', 'status_pages.name']).where('public_incidents.incident_id', '=', id).execute(),
  ]);
  const runIds = runs.map((r) => r.id);
  const publicIds = publics.map((p) => p.id);
  const [states, publicUpdates] = await Promise.all([
    runIds.length ? db.selectFrom('runbook_step_states').selectAll().where('run_id', 'in', runIds).execute() : [],
    publicIds.length ? db.selectFrom('public_incident_updates').selectAll().where('public_incident_id', 'in', publicIds).orderBy('created_at').execute() : [],
  ]);
  const pages = new Map<string, IncidentRecord['pages'][number]>();
  for (const d of deliveries) {
    const key = `${d.name}\u0000${d.action_key}`;
    const page = pages.get(key) ?? { userName: d.name, at: Number(d.created_at), purpose: d.purpose, channels: [], sent: false };
    if (!page.channels.includes(d.channel)) page.channels.push(d.channel);
    page.sent ||= d.status === 'sent';
    pages.set(key, page);
  }
  const num = (v: number | string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));
  return {
    incident: {
      id, number: Number(row.number), title: row.title, summary: row.summary, severity: row.severity, status: row.status, service: service?.name ?? null,
      isDrill: Number(row.is_drill) === 1, detectedAt: Number(row.detected_at), declaredAt: Number(row.declared_at),
      acknowledgedAt: num(row.acknowledged_at), mitigatedAt: num(row.mitigated_at), resolvedAt: num(row.resolved_at),
    },
    severity: severity
      ? { name: severity.name, ackTargetSeconds: num(severity.ack_target_seconds), resolveTargetSeconds: num(severity.resolve_target_seconds), updateCadenceSeconds: num(severity.update_cadence_seconds) }
      : null,
    alerts: alerts.map((a) => ({ summary: a.summary, source: a.source, integration: a.integration, format: a.format, startedAt: num(a.started_at), firstSeenAt: Number(a.first_seen_at) })),
    pages: [...pages.values()],
    timeline: timeline.map((e) => ({ id: e.id, at: Number(e.at), kind: e.kind, actorName: e.actor_name, body: e.body, data: JSON.parse(e.data) as Record<string, unknown> })),
    stars: stars.map((s) => ({ eventId: s.event_id, tag: s.tag, starredBy: s.starred_by_name })),
    runbooks: runs.map((r) => {
      const draft = JSON.parse(r.structure) as RunbookDraft;
      return {
        title: draft.title,
        steps: flattenSteps(draft).map(({ index, step }) => {
          const st = states.find((s) => s.run_id === r.id && s.step_index === index);
          return { text: step.text, state: st?.state ?? 'pending', by: st?.actor_name ?? null, at: num(st?.at), startedAt: num(st?.started_at), reason: st?.reason ?? null };
        }),
      };
    }),
    updates: updates.map((u) => ({ kind: u.kind, audiences: JSON.parse(u.audiences) as string[], author: u.author_name, postedAt: Number(u.posted_at), nextUpdateBy: num(u.next_update_by) })),
    statusPages: publics.map((p) => ({
      page: p.slug, name: p.name, impact: p.impact,
      updates: publicUpdates.filter((u) => u.public_incident_id === p.id).map((u) => ({ status: u.status, body: u.body, at: Number(u.created_at) })),
    })),
  };
}
