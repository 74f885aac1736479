import { readAlertContext } from '../../domain/alerts/alert-context.js';
import type { AlertDecision } from '../../domain/alerts/plan-alert-batch.js';
import type { AlertTable, RawPayloadTable } from '../../store/schema.js';

/**
 * Opsgenie's read shapes (docs.opsgenie.com Alert API: "Get Alert", "Get Request Status") built
 * from what Firebreak stored, so SDKs that create, then poll the request for the alert id, then
 * close by id work unchanged. Pure.
 */

const iso = (ms: number | null): string | undefined => (ms === null ? undefined : new Date(ms).toISOString());

/** `GET /v2/alerts/{identifier}`'s `data`. */
export function opsgenieAlert(row: AlertTable & { integration_name: string }): Record<string, unknown> {
  const context = readAlertContext(row.context);
  const closed = row.status === 'resolved';
  const acknowledged = row.acknowledged_at !== null;
  return {
    id: row.id,
    // Opsgenie's short numeric id; Firebreak has one id, accepted for identifierType=tiny too.
    tinyId: row.id,
    alias: row.dedup_key,
    message: row.summary,
    status: closed ? 'closed' : 'open',
    acknowledged,
    isSeen: acknowledged,
    tags: context.tags,
    snoozed: false,
    count: row.count,
    lastOccurredAt: iso(row.last_seen_at),
    createdAt: iso(row.first_seen_at),
    updatedAt: iso(Math.max(row.last_seen_at, row.acknowledged_at ?? 0, row.resolved_at ?? 0)),
    source: row.generator_url ?? row.source ?? '',
    owner: '',
    priority: row.severity_raw ?? 'P3',
    responders: [],
    integration: { id: row.integration_id, name: row.integration_name, type: 'API' },
    report: {
      ...(row.acknowledged_at !== null ? { ackTime: row.acknowledged_at - row.first_seen_at } : {}),
      ...(row.resolved_at !== null ? { closeTime: row.resolved_at - row.first_seen_at } : {}),
    },
    actions: [],
    entity: row.source ?? '',
    description: row.description ?? '',
    details: JSON.parse(row.labels) as Record<string, string>,
  };
}

const ACTIONS: Partial<Record<AlertDecision['kind'], [action: string, status: string]>> = {
  'opened-incident': ['Create', 'Created alert'],
  'joined-incident': ['Create', 'Created alert'],
  'pending-threshold': ['Create', 'Created alert'],
  silenced: ['Create', 'Created alert'],
  maintenance: ['Create', 'Created alert'],
  flapping: ['Create', 'Created alert'],
  dropped: ['Create', 'Alert dropped by a routing rule'],
  acknowledged: ['Acknowledge', 'Acknowledged'],
  resolved: ['Close', 'Closed'],
};

/** `GET /v2/alerts/requests/{requestId}`'s `data`: what became of the request. */
export function opsgenieRequestStatus(raw: RawPayloadTable): Record<string, unknown> {
  const outcome = JSON.parse(raw.outcome) as { decisions?: AlertDecision[] };
  const d = outcome.decisions?.[0];
  let [action, status] = d ? (ACTIONS[d.kind] ?? ['Update', d.message]) : ['Update', 'Processed'];
  if (d?.kind === 'updated' || d?.kind === 'duplicate') {
    if (/note/.test(d.message)) [action, status] = ['AddNote', 'Note added'];
    else if (/^repeat/.test(d.message)) [action, status] = ['Create', 'Alert deduplicated'];
    else if (d.kind === 'duplicate') status = d.message;
  }
  const success = d !== undefined && d.kind !== 'no-open-alert';
  return {
    success,
    action,
    processedAt: new Date(raw.received_at).toISOString(),
    integrationId: raw.integration_id,
    isSuccess: success,
    status: d?.kind === 'no-open-alert' ? 'Alert does not exist' : status,
    ...(d?.alertId ? { alertId: d.alertId } : {}),
    ...(d ? { alias: d.dedupKey } : {}),
  };
}
