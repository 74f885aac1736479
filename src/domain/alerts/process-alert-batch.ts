import { newId } from '../../core/ids.js';
import type { AlertSignal, IngestResult } from './signal.js';
import type { AlertGroupKeyRef, AlertKeyRef, AlertRowChange } from '../../store/alert-batch-writer.js';
import type { Tx } from '../../store/index.js';
import type { AlertTable, RawPayloadTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { alertConfigAt } from './alert-config.js';
import { recordChangeEvents } from './change-events.js';
import { appendTimeline } from '../incidents/timeline.js';
import { raiseIncidentSeverityForAlert } from './raise-severity.js';
import { appendSenderNote, moveIncidentForAlerts, openIncidentFromAlerts, renameGroupIncident } from './incident-effects.js';
import { cutTitle } from './group-title.js';
import { alertKey, groupKeyFor, groupMapKey, routeSignal, scopeFor } from './plan-rules.js';
import {
  planAlertBatch, STORM_GROUP_KEY, stormScope,
  type AlertDecision, type AlertPlan, type ClosedAlertState, type GroupState, type OpenAlertState, type PlanItem, type PlanIntegration, type PlanState,
} from './plan-alert-batch.js';

/**
 * One group-commit batch: read the state the batch touches, plan it (pure), write the plan.
 * Runs inside the flusher's transaction; a throw rolls back every request in the batch, and
 * each sender gets its retryable 5xx.
 */
export interface BatchItem {
  integration: PlanIntegration & { format: string };
  result: Pick<IngestResult, 'signals' | 'updates' | 'changes' | 'truncated' | 'rejected'>;
  /** The request body exactly as received, kept for the retention period. */
  rawBody: string;
  /** A heartbeat ping: record it on the integration in the same transaction. */
  heartbeatAt?: number;
}

export interface BatchItemOutcome {
  rawPayloadId: string;
  decisions: AlertDecision[];
}

export async function processAlertBatch(ctx: Ctx, tx: Tx, batch: readonly BatchItem[]): Promise<BatchItemOutcome[]> {
  let items = batch;
  const now = ctx.clock.now();
  const writer = ctx.store.dialect.alertWriter;
  items = await resolveAlertIdLookups(tx, items);
  const planItems: PlanItem[] = items.map((item) => ({
    integration: item.integration,
    signals: item.result.signals,
    updates: item.result.updates,
    rawPayloadId: newId('raw', now),
  }));

  // Open alerts the batch refers to.
  const refs = new Map<string, AlertKeyRef>();
  for (const item of planItems) {
    for (const s of item.signals) refs.set(alertKey(item.integration.id, s.dedupKey), { integrationId: item.integration.id, dedupKey: s.dedupKey });
    for (const u of item.updates) if (u.lookup === 'dedup-key') refs.set(alertKey(item.integration.id, u.dedupKey), { integrationId: item.integration.id, dedupKey: u.dedupKey });
  }
  const openRows = await writer.findOpenAlerts(tx, [...refs.values()]);
  const openAlerts = new Map<string, OpenAlertState>();
  for (const row of openRows) {
    openAlerts.set(alertKey(row.integration_id, row.dedup_key), {
      id: row.id, integrationId: row.integration_id, dedupKey: row.dedup_key, status: row.status === 'acknowledged' ? 'acknowledged' : 'firing',
      groupId: row.group_id, incidentId: row.incident_id, suppressedBy: row.suppressed_by, startedAt: row.started_at, count: row.count, summary: row.summary,
      endsAt: row.ends_at,
    });
  }

  const closedAlerts = await lastClosedAlerts(tx, planItems, openAlerts);
  const { rules, silences, maintenance, severities } = await alertConfigAt(ctx, tx, now);

  // Groups: those of the open alerts, and the live ones new alerts (or held ones a silence or
  // maintenance window may have released) may join.
  const groupIds = new Set(openRows.map((r) => r.group_id).filter((g): g is string => g !== null));
  const wanted = new Map<string, AlertGroupKeyRef>();
  const flapRefs: (AlertKeyRef & { since: number })[] = [];
  for (const item of planItems) {
    for (const s of item.signals) {
      if (s.action !== 'trigger') continue;
      const open = openAlerts.get(alertKey(item.integration.id, s.dedupKey));
      if (open && (open.suppressedBy === null || open.groupId !== null)) continue;
      const rule = routeSignal(rules, item.integration.id, s.labels);
      const serviceId = rule?.setServiceId ?? item.integration.serviceId;
      const scope = scopeFor(serviceId, item.integration.id);
      const groupKey = groupKeyFor(item.integration.settings, s);
      wanted.set(groupMapKey(scope, groupKey), { scope, groupKey });
      if (item.integration.settings.storm) wanted.set(groupMapKey(stormScope(item.integration.id), STORM_GROUP_KEY), { scope: stormScope(item.integration.id), groupKey: STORM_GROUP_KEY });
      const flap = item.integration.settings.flap;
      if (flap && !open) flapRefs.push({ integrationId: item.integration.id, dedupKey: s.dedupKey, since: now - flap.withinMinutes * 60_000 });
    }
  }
  const groupRows = await writer.findGroups(tx, [...groupIds], [...wanted.values()]);
  const groups = new Map<string, GroupState>();
  const groupsById = new Map<string, GroupState>();
  for (const g of groupRows) {
    const state: GroupState = {
      id: g.id, scope: g.scope, groupKey: g.group_key, serviceId: g.service_id, integrationId: g.integration_id,
      state: g.state as GroupState['state'], incidentId: g.incident_id,
      incidentOpen: g.incident_status !== null && g.incident_status !== 'resolved', incidentStatus: g.incident_status, incidentSeverity: g.incident_severity,
      windowStartAt: g.window_start_at, windowCount: g.window_count, openAlerts: g.open_alerts, title: g.title ?? null,
    };
    groupsById.set(g.id, state);
    if (g.state !== 'closed') groups.set(groupMapKey(g.scope, g.group_key), state);
  }
  const recentResolves = flapRefs.length ? await writer.countResolvedSince(tx, flapRefs) : new Map<string, number>();

  const state: PlanState = {
    openAlerts, closedAlerts, groups, groupsById,
    // alertRefKey (store) and alertKey (planner) build the same string.
    recentResolves,
    rules, silences, maintenance, severities,
  };
  const plan = planAlertBatch(planItems, state, { now, newId: (prefix) => newId(prefix, now) });
  await applyPlan(ctx, tx, plan, items, planItems, state.severities);
  return planItems.map((p, i) => ({ rawPayloadId: p.rawPayloadId, decisions: plan.decisions[i] ?? [] }));
}

/**
 * For each note on a key with no open alert, the last resolved alert with that key (an index
 * read, `alerts_key_resolved`; notes are rare, so one query each).
 */
async function lastClosedAlerts(tx: Tx, items: readonly PlanItem[], open: ReadonlyMap<string, OpenAlertState>): Promise<Map<string, ClosedAlertState>> {
  const out = new Map<string, ClosedAlertState>();
  for (const item of items) {
    for (const u of item.updates) {
      const key = alertKey(item.integration.id, u.dedupKey);
      if (!u.note || u.lookup !== 'dedup-key' || open.has(key) || out.has(key)) continue;
      const row = await tx.selectFrom('alerts').select(['id', 'incident_id'])
        .where('integration_id', '=', item.integration.id).where('dedup_key', '=', u.dedupKey).where('resolved_at', 'is not', null)
        .orderBy('resolved_at', 'desc').limit(1).executeTakeFirst();
      if (row) out.set(key, { id: row.id, incidentId: row.incident_id });
    }
  }
  return out;
}

/**
 * Opsgenie callers may name an alert by the id we gave it (`identifierType=id`, or `tiny`, for
 * which we answer the same id): such signals and updates are turned into lookups by the alert's
 * dedup key, within the sender's own integration. An unknown id stays as it was and finds nothing.
 */
async function resolveAlertIdLookups(tx: Tx, items: readonly BatchItem[]): Promise<readonly BatchItem[]> {
  const byId = (l: { lookup: string }): boolean => l.lookup === 'alert-id' || l.lookup === 'tiny-id';
  const ids = new Set<string>();
  for (const item of items) {
    for (const s of item.result.signals) if (byId(s)) ids.add(s.dedupKey);
    for (const u of item.result.updates) if (byId(u)) ids.add(u.dedupKey);
  }
  if (ids.size === 0) return items;
  const rows = await tx.selectFrom('alerts').select(['id', 'integration_id', 'dedup_key']).where('id', 'in', [...ids]).execute();
  const found = new Map(rows.map((r) => [r.id, r]));
  const resolve = <T extends { dedupKey: string; lookup: AlertSignal['lookup'] }>(integrationId: string, l: T): T => {
    const row = byId(l) ? found.get(l.dedupKey) : undefined;
    return row && row.integration_id === integrationId ? { ...l, dedupKey: row.dedup_key, lookup: 'dedup-key' } : l;
  };
  return items.map((item) => ({
    ...item,
    result: { ...item.result, signals: item.result.signals.map((s) => resolve(item.integration.id, s)), updates: item.result.updates.map((u) => resolve(item.integration.id, u)) },
  }));
}

async function applyPlan(ctx: Ctx, tx: Tx, plan: AlertPlan, items: readonly BatchItem[], planItems: readonly PlanItem[], severities: readonly string[]): Promise<void> {
  const now = ctx.clock.now();
  const writer = ctx.store.dialect.alertWriter;

  // A new alert's decision is also in its payload's outcome: serialise each decision once.
  const decisionJsons = new Map<AlertDecision, string>();
  const decisionJson = (d: AlertDecision): string => {
    let json = decisionJsons.get(d);
    if (json === undefined) {
      json = JSON.stringify(d);
      decisionJsons.set(d, json);
    }
    return json;
  };
  const rows: AlertTable[] = plan.newAlerts.map((a) => ({
    id: a.id, integration_id: a.integrationId, dedup_key: a.dedupKey, status: a.status, summary: a.summary, description: a.description,
    severity_raw: a.severityRaw, severity: a.severity, labels: JSON.stringify(a.labels), annotations: JSON.stringify(a.annotations),
    source: a.source, generator_url: a.generatorUrl, runbook_url: a.runbookUrl, group_key: a.groupKey, group_id: a.groupId,
    service_id: a.serviceId, incident_id: a.incidentId, suppressed_by: a.suppressedBy, decision: decisionJson(a.decision),
    started_at: a.startedAt, first_seen_at: a.firstSeenAt, last_seen_at: a.lastSeenAt, acknowledged_at: null, resolved_at: null,
    count: a.count, flapping: a.flapping ? 1 : 0, raw_payload_id: a.rawPayloadId, ends_at: a.endsAt,
    context: a.context === null ? null : JSON.stringify(a.context),
  }));
  // Byte for byte what JSON.stringify({ decisions, changes, truncated, rejected }) gives.
  const raws: RawPayloadTable[] = items.map((item, i) => ({
    id: planItems[i]!.rawPayloadId,
    integration_id: item.integration.id,
    received_at: now,
    format: item.integration.format,
    body: item.rawBody,
    outcome: `{"decisions":[${(plan.decisions[i] ?? []).map(decisionJson).join(',')}],"changes":${JSON.stringify(item.result.changes.length)},`
      + `"truncated":${JSON.stringify(item.result.truncated)},"rejected":${JSON.stringify(item.result.rejected)}}`,
  }));
  await writer.insertRawPayloads(tx, raws);
  if (items.some((item) => item.result.changes.length > 0)) {
    await recordChangeEvents(ctx, tx, items.map((item, i) => ({ integrationId: item.integration.id, serviceId: item.integration.serviceId, rawPayloadId: planItems[i]!.rawPayloadId, changes: item.result.changes })));
  }
  for (const item of items) {
    if (item.heartbeatAt !== undefined) await tx.updateTable('integrations').set({ last_heartbeat_at: item.heartbeatAt }).where('id', '=', item.integration.id).execute();
  }

  // Groups closing first: the unique index allows one live group per key.
  const groupChanges = [...plan.groupChanges.filter((g) => g.state === 'closed'), ...plan.groupChanges.filter((g) => g.state !== 'closed')];
  await writer.updateGroups(tx, groupChanges.map((g) => ({
    id: g.id, state: g.state, incident_id: g.incidentId, window_start_at: g.windowStartAt, window_count: g.windowCount, open_alerts: g.openAlerts,
  })), now);
  await writer.insertGroups(tx, plan.newGroups.map((g) => ({
    id: g.id, scope: g.scope, group_key: g.groupKey, service_id: g.serviceId, integration_id: g.integrationId, state: g.state,
    incident_id: g.incidentId, window_start_at: g.windowStartAt, window_count: g.windowCount, open_alerts: g.openAlerts, created_at: now, updated_at: now,
  })));

  await writer.insertAlerts(tx, rows);

  const changes: AlertRowChange[] = plan.alertChanges.map((c) => {
    const set: AlertRowChange['set'] = {};
    if (c.status !== undefined) set.status = c.status;
    if (c.summary !== undefined) set.summary = c.summary;
    if (c.description !== undefined) set.description = c.description;
    if (c.lastSeenAt !== undefined) set.last_seen_at = c.lastSeenAt;
    if (c.acknowledgedAt !== undefined) set.acknowledged_at = c.acknowledgedAt;
    if (c.resolvedAt !== undefined) set.resolved_at = c.resolvedAt;
    if (c.groupId !== undefined) set.group_id = c.groupId;
    if (c.incidentId !== undefined) set.incident_id = c.incidentId;
    if (c.suppressedBy !== undefined) set.suppressed_by = c.suppressedBy;
    if (c.decision !== undefined) set.decision = JSON.stringify(c.decision);
    if (c.startedAt !== undefined) set.started_at = c.startedAt;
    if (c.endsAt !== undefined) set.ends_at = c.endsAt;
    if (c.context !== undefined) set.context = c.context === null ? null : JSON.stringify(c.context);
    return { id: c.id, set, countDelta: c.countDelta ?? 0 };
  });
  await writer.updateAlerts(tx, changes);

  for (const link of plan.linkGroupAlerts) {
    await tx
      .updateTable('alerts')
      .set({ incident_id: link.incidentId })
      .where('group_id', '=', link.groupId)
      .where('incident_id', 'is', null)
      .execute();
  }

  if (plan.incidentsToOpen.length) {
    const serviceIds = [...new Set(plan.incidentsToOpen.map((o) => o.serviceId).filter((s): s is string => s !== null))];
    const services = serviceIds.length ? await tx.selectFrom('services').select(['id', 'slug']).where('id', 'in', serviceIds).execute() : [];
    const slugs = new Map(services.map((s) => [s.id, s.slug]));
    const fallback = severities[1] ?? severities[0] ?? 'SEV-2';
    for (const opening of plan.incidentsToOpen) {
      const severity = opening.severity !== null && severities.includes(opening.severity) ? opening.severity : fallback;
      await openIncidentFromAlerts(ctx, tx, opening, severity, opening.serviceId ? (slugs.get(opening.serviceId) ?? null) : null);
      // What a later alert of the group compares the incident's title with before renaming it.
      if (!opening.storm) await tx.updateTable('alert_groups').set({ title: cutTitle(opening.title) }).where('id', '=', opening.groupId).execute();
    }
  }
  for (const rename of plan.incidentTitles) await renameGroupIncident(ctx, tx, rename);
  for (const note of plan.incidentNotes) await appendSenderNote(ctx, tx, note);
  for (const join of plan.stormJoins) {
    await appendTimeline(ctx, tx, join.incidentId, 'alert_storm', `${join.joined} more ${join.joined === 1 ? 'alert' : 'alerts'} joined this alert storm (${join.group.openAlerts} open in it now); none of them paged`, { joined: join.joined, open: join.group.openAlerts });
  }
  for (const raise of plan.incidentsToRaise) {
    await raiseIncidentSeverityForAlert(ctx, tx, raise.incidentId, raise.severity, `A more severe alert joined: ${raise.summary}`);
  }
  for (const ack of plan.incidentsToAcknowledge) {
    await moveIncidentForAlerts(ctx, tx, ack.incidentId, 'acknowledge', `Acknowledged: ${ack.reason}`);
  }
  for (const resolve of plan.incidentsToResolve) {
    await moveIncidentForAlerts(ctx, tx, resolve.incidentId, 'resolve', `Resolved: ${resolve.reason}`);
  }
}
