import { notFound } from '../../core/errors.js';
import { redactCredentialText } from '../../core/redact-credentials.js';
import { parseInput } from '../../core/validate.js';
import type { Db } from '../../store/index.js';
import type { AlertTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import type { AlertDecision } from './plan-alert-batch.js';

/** Read side of alerts: list/filter, one alert with its raw payload and why it (did not) page. */
export interface AlertView {
  id: string;
  integrationId: string;
  dedupKey: string;
  status: string;
  summary: string;
  description: string | null;
  severity: string | null;
  severityRaw: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  source: string | null;
  generatorUrl: string | null;
  runbookUrl: string | null;
  groupKey: string | null;
  serviceId: string | null;
  incidentId: string | null;
  suppressedBy: string | null;
  flapping: boolean;
  count: number;
  decision: AlertDecision;
  startedAt: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toAlertView(r: AlertTable): AlertView {
  return {
    id: r.id, integrationId: r.integration_id, dedupKey: r.dedup_key, status: r.status, summary: r.summary, description: r.description,
    severity: r.severity, severityRaw: r.severity_raw, labels: JSON.parse(r.labels) as Record<string, string>,
    annotations: JSON.parse(r.annotations) as Record<string, string>, source: r.source, generatorUrl: r.generator_url, runbookUrl: r.runbook_url,
    groupKey: r.group_key, serviceId: r.service_id, incidentId: r.incident_id, suppressedBy: r.suppressed_by, flapping: r.flapping === 1,
    count: r.count, decision: JSON.parse(r.decision) as AlertDecision, startedAt: iso(r.started_at), firstSeenAt: iso(r.first_seen_at)!,
    lastSeenAt: iso(r.last_seen_at)!, acknowledgedAt: iso(r.acknowledged_at), resolvedAt: iso(r.resolved_at),
  };
}

export interface AlertDetail extends AlertView {
  integrationName: string | null;
  /** The incident it opened or joined, for a link; null while it pages nobody. */
  incident: { id: string; number: number; title: string; status: string } | null;
  rawPayload: { id: string; receivedAt: string; format: string; body: string; outcome: unknown } | null;
}

export async function getAlert({ ctx, input }: { ctx: Ctx; input: { alert: string } }): Promise<AlertDetail> {
  authorize(ctx.actor, 'read');
  const row = await ctx.store.db.selectFrom('alerts').selectAll().where('id', '=', input.alert).executeTakeFirst();
  if (!row) throw notFound('alert', input.alert);
  const [raw, integration, incident] = await Promise.all([
    row.raw_payload_id ? ctx.store.db.selectFrom('raw_payloads').selectAll().where('id', '=', row.raw_payload_id).executeTakeFirst() : undefined,
    ctx.store.db.selectFrom('integrations').select('name').where('id', '=', row.integration_id).executeTakeFirst(),
    row.incident_id ? ctx.store.db.selectFrom('incidents').select(['id', 'number', 'title', 'status']).where('id', '=', row.incident_id).executeTakeFirst() : undefined,
  ]);
  return {
    ...toAlertView(row),
    integrationName: integration?.name ?? null,
    incident: incident ? { id: incident.id, number: Number(incident.number), title: incident.title, status: incident.status } : null,
    // Stored bodies are already redacted; this also covers a row written by an older instance
    // still running during an upgrade (the key itself is unknown here, only where it sits).
    rawPayload: raw ? { id: raw.id, receivedAt: new Date(raw.received_at).toISOString(), format: raw.format, body: redactCredentialText(raw.body), outcome: JSON.parse(raw.outcome) as unknown } : null,
  };
}

export async function listIncidentAlerts({ ctx, input }: { ctx: Ctx; input: { incident: string } }): Promise<AlertView[]> {
  authorize(ctx.actor, 'read');
  const incident = await findIncidentRow(ctx.store.db, input.incident);
  const rows = await ctx.store.db.selectFrom('alerts').selectAll().where('incident_id', '=', incident.id).orderBy('id').limit(5000).execute();
  return rows.map(toAlertView);
}

/**
 * Retention: raw payload and change event ids are ULIDs of their receive time, so "received
 * before T" is an id range (alert ids too: the alert search's time range) and the delete uses the primary key alone (no secondary index on the
 * hot table). `idBoundary('raw', T)` sorts after every id made before T and before every id made
 * at or after it.
 */
export function idBoundary(prefix: 'raw' | 'chg' | 'alr', before: number): string {
  const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
  let time = Math.max(0, Math.floor(before));
  let out = '';
  for (let i = 0; i < 10; i += 1) {
    out = CROCKFORD[time % 32]! + out;
    time = Math.floor(time / 32);
  }
  return `${prefix}_${out}`;
}

/**
 * Deletes at most `limit` of the oldest rows received before `before`, in one statement, and
 * says how many went. Bounded so the statement holds the write lock (SQLite) or its row locks
 * (PostgreSQL) only briefly: ingestion commits between two batches. The retention job loops.
 */
export async function pruneReceivedBefore(db: Db, table: 'raw_payloads' | 'change_events', before: number, limit: number): Promise<number> {
  const boundary = idBoundary(table === 'raw_payloads' ? 'raw' : 'chg', before);
  const result = await db
    .deleteFrom(table)
    .where('id', 'in', (eb) => eb.selectFrom(table).select('id').where('id', '<', boundary).orderBy('id').limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
