import { matchesAll, type LabelMatcher } from './matchers.js';
import { alertKey, decision, expiryToStore, groupKeyFor, groupMapKey, isMoreSevere, mapSeverity, mostSevere, routeSignal, scopeFor } from './plan-rules.js';
import { planAlertUpdate } from './plan-alert-updates.js';
import type { AlertSignal, AlertUpdate, SenderNote } from './signal.js';
import type { AlertContext } from './alert-context.js';
import { groupTitle, planRetitle, type IncidentRetitle } from './group-title.js';
import type { IntegrationSettings } from './settings.js';

type StormGuard = NonNullable<IntegrationSettings['storm']>;

/**
 * The storm guard's group, one live per integration: `pending` while it counts the incidents the
 * integration opens (window_start_at / window_count over `storm.withinMinutes`), `open` once
 * the count went over and it holds the storm incident. No sender group key starts with this.
 */
export const STORM_GROUP_KEY = 'storm:';
export const stormScope = (integrationId: string): string => `int:${integrationId}`;

/**
 * The pure core of alert ingestion: given what a batch of requests asks for and the relevant
 * state read from the store, decide every write. No I/O, no clock: `now` and id generation are
 * passed in, so the rules (dedup, routing, silences, grouping, N-in-M, flapping, auto-resolve)
 * are tested table-driven, and the group-commit flusher applies the plan in one transaction.
 *
 * Signals are applied in arrival order against a working copy of the state, so two requests in
 * the same batch for the same key behave exactly as if they had been committed one by one.
 */

export interface PlanIntegration {
  id: string;
  /** Named in the storm incident's title. */
  name?: string;
  serviceId: string | null;
  settings: IntegrationSettings;
  /**
   * Alertmanager-family senders re-send the same firing alert every interval (and HA pairs
   * twice): a repeat with the same start is a no-op. PagerDuty/Opsgenie repeats count.
   */
  repeatsAreNoops?: boolean;
  /**
   * The built-in drill integration (runbooks/start-drill.ts): its alerts open `isDrill`
   * incidents, and silences and maintenance windows never swallow them — a drill rehearses
   * the response, and the people who start one chose to be paged.
   */
  drill?: boolean;
}

export interface OpenAlertState {
  id: string;
  integrationId: string;
  dedupKey: string;
  status: 'firing' | 'acknowledged';
  groupId: string | null;
  incidentId: string | null;
  suppressedBy: string | null;
  startedAt: number | null;
  count: number;
  summary: string;
  /** Alertmanager-API alerts: the stored expiry ({@link expiryToStore}). */
  endsAt?: number | null;
}

export interface GroupState {
  id: string;
  scope: string;
  groupKey: string;
  serviceId: string | null;
  integrationId: string;
  state: 'pending' | 'open' | 'closed';
  incidentId: string | null;
  /** False once the incident was resolved (by a human, or earlier): the group is over. */
  incidentOpen: boolean;
  incidentStatus: string | null;
  /** The open incident's severity, to raise it when a more severe alert joins. */
  incidentSeverity?: string | null;
  windowStartAt: number;
  windowCount: number;
  openAlerts: number;
  /** The title this group last gave its incident; null or absent: none yet (migration 0025). */
  title?: string | null;
}

export interface RoutingRule {
  id: string;
  integrationId: string | null;
  matchers: LabelMatcher[];
  setServiceId: string | null;
  setSeverity: string | null;
  drop: boolean;
  name?: string;
  /** Incidents opened by alerts this rule matched page with this escalation policy. */
  escalationPolicyId?: string | null;
}

export interface ActiveSilence {
  id: string;
  matchers: LabelMatcher[];
  startsAt: number;
  endsAt: number;
}

export interface ActiveMaintenance {
  id: string;
  /** Empty: every service. */
  serviceIds: string[];
  startsAt: number;
  endsAt: number;
}

/** What keeps an alert from paging: a silence or a maintenance window, by id. */
interface Hold {
  by: string;
  kind: 'silenced' | 'maintenance';
}

/** The last resolved alert with a key: where a note sent after the close goes. */
export interface ClosedAlertState {
  id: string;
  incidentId: string | null;
}

export interface PlanState {
  /** Open (not resolved) alerts by {@link alertKey}. */
  openAlerts: Map<string, OpenAlertState>;
  /**
   * For notes on keys with no open alert (Opsgenie takes a note on a closed alert): the last
   * resolved alert with the key, by {@link alertKey}; the planner adds those it resolves.
   */
  closedAlerts: Map<string, ClosedAlertState>;
  /** Live (not closed) groups by {@link groupMapKey}, and the groups of open alerts by id. */
  groups: Map<string, GroupState>;
  groupsById: Map<string, GroupState>;
  /** How many alerts with this key resolved within the integration's flap window. */
  recentResolves: Map<string, number>;
  rules: RoutingRule[];
  silences: ActiveSilence[];
  maintenance: ActiveMaintenance[];
  /** Severity keys, most severe first. */
  severities: string[];
}

export interface PlanItem {
  integration: PlanIntegration;
  signals: AlertSignal[];
  updates: AlertUpdate[];
  rawPayloadId: string;
}

export type DecisionKind =
  | 'opened-incident'
  | 'joined-incident'
  | 'pending-threshold'
  | 'silenced'
  | 'maintenance'
  | 'flapping'
  | 'dropped'
  | 'duplicate'
  | 'updated'
  | 'acknowledged'
  | 'resolved'
  | 'no-open-alert';

/** Why an alert did or did not page; stored on the alert and the raw payload's outcome. */
export interface AlertDecision {
  kind: DecisionKind;
  dedupKey: string;
  alertId: string | null;
  incidentId: string | null;
  ruleId: string | null;
  suppressedBy: string | null;
  message: string;
}

export interface NewAlertRow {
  id: string;
  integrationId: string;
  dedupKey: string;
  status: 'firing';
  summary: string;
  description: string | null;
  severityRaw: string | null;
  severity: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  source: string | null;
  generatorUrl: string | null;
  runbookUrl: string | null;
  groupKey: string | null;
  groupId: string | null;
  serviceId: string | null;
  incidentId: string | null;
  suppressedBy: string | null;
  decision: AlertDecision;
  startedAt: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
  flapping: boolean;
  count: number;
  rawPayloadId: string;
  endsAt: number | null;
  context: AlertContext | null;
}

export interface AlertChange {
  id: string;
  status?: 'firing' | 'acknowledged' | 'resolved';
  summary?: string;
  description?: string | null;
  lastSeenAt?: number;
  countDelta?: number;
  acknowledgedAt?: number;
  resolvedAt?: number;
  groupId?: string | null;
  incidentId?: string | null;
  suppressedBy?: string | null;
  decision?: AlertDecision;
  startedAt?: number | null;
  endsAt?: number | null;
  context?: AlertContext | null;
}

export interface IncidentToOpen {
  id: string;
  groupId: string;
  title: string;
  severity: string | null;
  serviceId: string | null;
  integrationId: string;
  detectedAt: number;
  alertIds: string[];
  isDrill: boolean;
  /** The policy the routing rule that matched the opening alert chose; stored on the incident. */
  escalationPolicy?: { policyId: string; ruleId: string; ruleName: string };
  /** A storm incident: the integration opened more incidents than its storm guard allows. */
  storm?: StormGuard;
  /** The opening alert's summary: the title while the group has one alert. */
  firstSummary?: string;
}

export interface AlertPlan {
  newAlerts: NewAlertRow[];
  alertChanges: AlertChange[];
  newGroups: GroupState[];
  groupChanges: GroupState[];
  /** Pending alerts of a group that just reached its threshold join the new incident. */
  linkGroupAlerts: { groupId: string; incidentId: string }[];
  incidentsToOpen: IncidentToOpen[];
  incidentsToResolve: { incidentId: string; reason: string }[];
  incidentsToAcknowledge: { incidentId: string; reason: string }[];
  /** Open incidents a more severe alert joined: raised, never lowered (one entry per incident, the most severe). */
  incidentsToRaise: { incidentId: string; severity: string; alertId: string; summary: string }[];
  /** Decisions per item, in item order: the raw payload's recorded outcome. */
  decisions: AlertDecision[][];
  /** Alerts that joined a storm incident opened by an earlier batch: one timeline entry each. */
  stormJoins: { incidentId: string; joined: number; group: GroupState }[];
  /**
   * Incidents a group opened in an earlier batch, renamed because more alerts joined: applied
   * only while the incident still has the title the group gave it (`from`), never over a human's.
   */
  incidentTitles: IncidentRetitle[];
  /** What a sender said on an alert of an incident (Opsgenie note, or the note of its ack / close). */
  incidentNotes: { incidentId: string; alertId: string; note: SenderNote }[];
}

export interface PlanOptions {
  now: number;
  newId: (prefix: 'alr' | 'agr' | 'inc') => string;
}

function isActive(window: { startsAt: number; endsAt: number }, now: number): boolean {
  return window.startsAt <= now && now < window.endsAt;
}

export function planAlertBatch(items: readonly PlanItem[], state: PlanState, options: PlanOptions): AlertPlan {
  const { now } = options;
  const plan: AlertPlan = {
    newAlerts: [], alertChanges: [], newGroups: [], groupChanges: [], linkGroupAlerts: [],
    incidentsToOpen: [], incidentsToResolve: [], incidentsToAcknowledge: [], incidentsToRaise: [], decisions: [], stormJoins: [],
    incidentTitles: [], incidentNotes: [],
  };
  const newGroupIds = new Set<string>();
  const changedGroups = new Set<GroupState>();
  const openingById = new Map<string, IncidentToOpen>();
  const newAlertById = new Map<string, NewAlertRow>();
  // Changes to one alert within a batch merge into one update.
  const changeById = new Map<string, AlertChange>();
  const change = (id: string, input: Omit<AlertChange, 'id'>): void => {
    let patch: AlertChange = { ...input, id };
    const pending = newAlertById.get(id);
    if (pending) {
      // Still to be inserted: fold the change into the insert.
      if (patch.summary !== undefined) pending.summary = patch.summary;
      if (patch.description !== undefined) pending.description = patch.description;
      if (patch.lastSeenAt !== undefined) pending.lastSeenAt = patch.lastSeenAt;
      if (patch.decision) pending.decision = patch.decision;
      if (patch.countDelta) pending.count += patch.countDelta;
      if (patch.startedAt !== undefined) pending.startedAt = patch.startedAt;
      if (patch.endsAt !== undefined) pending.endsAt = patch.endsAt;
      if (patch.context !== undefined) pending.context = patch.context;
      // Acknowledged or resolved within the same batch: an update applied after the insert.
      if (patch.status === undefined) return;
      const folded: AlertChange = { id, status: patch.status };
      if (patch.acknowledgedAt !== undefined) folded.acknowledgedAt = patch.acknowledgedAt;
      if (patch.resolvedAt !== undefined) folded.resolvedAt = patch.resolvedAt;
      patch = folded;
    }
    const current = changeById.get(id);
    if (!current) {
      changeById.set(id, patch);
      plan.alertChanges.push(patch);
      return;
    }
    const { countDelta, ...rest } = patch;
    Object.assign(current, rest);
    if (countDelta) current.countDelta = (current.countDelta ?? 0) + countDelta;
  };
  const touchGroup = (group: GroupState): void => {
    if (newGroupIds.has(group.id) || changedGroups.has(group)) return;
    changedGroups.add(group);
    plan.groupChanges.push(group);
  };

  const closeGroup = (group: GroupState): void => {
    group.state = 'closed';
    state.groups.delete(groupMapKey(group.scope, group.groupKey));
    touchGroup(group);
  };

  /** The live group of a key, if any; closes one whose incident is over. */
  const findLiveGroup = (scope: string, key: string): GroupState | undefined => {
    const existing = state.groups.get(groupMapKey(scope, key));
    if (existing && existing.state === 'open' && !existing.incidentOpen) closeGroup(existing);
    return state.groups.get(groupMapKey(scope, key));
  };

  /** The live group for a new, unsuppressed alert; closes groups whose incident is over. */
  const liveGroup = (scope: string, key: string, serviceId: string | null, integrationId: string): GroupState => {
    const found = findLiveGroup(scope, key);
    if (found) return found;
    const group: GroupState = {
      id: options.newId('agr'), scope, groupKey: key, serviceId, integrationId, state: 'pending', incidentId: null,
      incidentOpen: false, incidentStatus: null, windowStartAt: now, windowCount: 0, openAlerts: 0,
    };
    state.groups.set(groupMapKey(scope, key), group);
    state.groupsById.set(group.id, group);
    newGroupIds.add(group.id);
    plan.newGroups.push(group);
    return group;
  };

  /** An alert joins a group whose incident is open (or opening in this batch); a more severe one raises it. */
  const joinOpenGroup = (group: GroupState & { incidentId: string }, alert: { id: string; summary: string; severity: string | null }): boolean => {
    group.openAlerts += 1;
    touchGroup(group);
    const opening = openingById.get(group.incidentId);
    if (opening) {
      opening.alertIds.push(alert.id);
      opening.severity = mostSevere(opening.severity, alert.severity, state.severities);
      if (!opening.storm) opening.title = groupTitle(group.groupKey, group.openAlerts, opening.firstSummary ?? opening.title);
      return true;
    }
    if (group.incidentOpen && group.groupKey !== STORM_GROUP_KEY) planRetitle(plan.incidentTitles, group);
    if (group.incidentOpen && isMoreSevere(alert.severity, group.incidentSeverity ?? null, state.severities)) {
      group.incidentSeverity = alert.severity;
      const raise = plan.incidentsToRaise.find((r) => r.incidentId === group.incidentId);
      if (raise) Object.assign(raise, { severity: alert.severity, alertId: alert.id, summary: alert.summary });
      else plan.incidentsToRaise.push({ incidentId: group.incidentId, severity: alert.severity!, alertId: alert.id, summary: alert.summary });
    }
    return false;
  };

  /**
   * Storm guard, asked before an alert opens an incident. Under the integration's limit it counts
   * the opening and answers null; over it, the alert opens the storm incident (once) or joins it,
   * so a flood pages once instead of once per alert.
   */
  const stormInstead = (
    alert: { id: string; summary: string; severity: string | null; startedAt: number | null },
    integration: PlanIntegration,
    ruleId: string | null,
    dedupKey: string,
  ): { groupId: string; incidentId: string; decision: AlertDecision } | null => {
    const guard = integration.settings.storm;
    if (!guard || integration.drill) return null;
    const meter = liveGroup(stormScope(integration.id), STORM_GROUP_KEY, integration.serviceId, integration.id);
    const why = `more than ${guard.maxIncidents} new incidents within ${guard.withinMinutes} min from this integration`;
    if (meter.state === 'open' && meter.incidentId) {
      const incidentId = meter.incidentId;
      const sameBatch = joinOpenGroup(meter as GroupState & { incidentId: string }, alert);
      if (!sameBatch) {
        const join = plan.stormJoins.find((j) => j.incidentId === incidentId);
        if (join) join.joined += 1;
        else plan.stormJoins.push({ incidentId, joined: 1, group: meter });
      }
      return { groupId: meter.id, incidentId, decision: decision('joined-incident', dedupKey, `alert storm (${why}): joined the storm incident instead of opening one`, { incidentId, ruleId }) };
    }
    if (now - meter.windowStartAt > guard.withinMinutes * 60_000) {
      meter.windowStartAt = now;
      meter.windowCount = 0;
    }
    touchGroup(meter);
    if (meter.windowCount < guard.maxIncidents) {
      meter.windowCount += 1;
      return null;
    }
    const incidentId = options.newId('inc');
    Object.assign(meter, { state: 'open', incidentId, incidentOpen: true, incidentStatus: 'triggered', incidentSeverity: alert.severity, openAlerts: meter.openAlerts + 1 });
    const opening: IncidentToOpen = {
      id: incidentId, groupId: meter.id, title: `Alert storm from ${integration.name ?? integration.id}`, severity: alert.severity, serviceId: integration.serviceId,
      integrationId: integration.id, detectedAt: Math.min(now, alert.startedAt ?? now), alertIds: [alert.id], isDrill: false, storm: guard,
    };
    plan.incidentsToOpen.push(opening);
    openingById.set(incidentId, opening);
    return { groupId: meter.id, incidentId, decision: decision('opened-incident', dedupKey, `alert storm (${why}): opened the storm incident, which new alerts from this integration join`, { incidentId, ruleId }) };
  };

  /** True when one more alert in this group (live or not yet created) opens its incident. */
  const opensIncident = (group: GroupState | undefined, threshold: IntegrationSettings['openAfter']): boolean => {
    if (!threshold) return true;
    const current = group && now - group.windowStartAt <= threshold.withinMinutes * 60_000 ? group.windowCount : 0;
    return current + 1 >= threshold.count;
  };

  /** Puts an alert (new, or un-suppressed) into its group; may open the incident. */
  const joinGroup = (
    alert: { id: string; summary: string; severity: string | null; startedAt: number | null },
    integration: PlanIntegration,
    serviceId: string | null,
    key: string,
    ruleId: string | null,
    dedupKey: string,
  ): { groupId: string; incidentId: string | null; decision: AlertDecision } => {
    const scope = scopeFor(serviceId, integration.id);
    const found = findLiveGroup(scope, key);
    if (found && found.state === 'open' && found.incidentId) {
      joinOpenGroup(found as GroupState & { incidentId: string }, alert);
      return { groupId: found.id, incidentId: found.incidentId, decision: decision('joined-incident', dedupKey, `grouped into the open incident of group ${key}`, { incidentId: found.incidentId, ruleId }) };
    }
    if (opensIncident(found, integration.settings.openAfter)) {
      const storm = stormInstead(alert, integration, ruleId, dedupKey);
      if (storm) return storm;
    }
    const group = found ?? liveGroup(scope, key, serviceId, integration.id);
    group.openAlerts += 1;
    touchGroup(group);
    const threshold = integration.settings.openAfter;
    if (threshold && now - group.windowStartAt > threshold.withinMinutes * 60_000) {
      group.windowStartAt = now;
      group.windowCount = 0;
    }
    group.windowCount += 1;
    if (threshold && group.windowCount < threshold.count) {
      return {
        groupId: group.id, incidentId: null,
        decision: decision('pending-threshold', dedupKey, `${group.windowCount} of ${threshold.count} alerts within ${threshold.withinMinutes} min needed to open an incident`, { ruleId }),
      };
    }
    const incidentId = options.newId('inc');
    const wasPending = group.windowCount > 1;
    // Detected = when the problem began by the source's own clock (startsAt, timestamp…), else
    // receipt; the window's first receipt when earlier alerts were held below the threshold.
    // Never in the future: a sender's clock may run ahead (docs/metrics.md).
    const detectedAt = Math.min(now, alert.startedAt ?? now, wasPending ? group.windowStartAt : now);
    group.state = 'open';
    group.incidentId = incidentId;
    group.incidentOpen = true;
    group.incidentStatus = 'triggered';
    const opening: IncidentToOpen = {
      id: incidentId, groupId: group.id, title: groupTitle(group.groupKey, group.openAlerts, alert.summary), firstSummary: alert.summary, severity: alert.severity, serviceId,
      integrationId: integration.id, detectedAt, alertIds: [alert.id], isDrill: integration.drill === true,
    };
    const routed = ruleId === null ? undefined : state.rules.find((r) => r.id === ruleId);
    if (routed?.escalationPolicyId) opening.escalationPolicy = { policyId: routed.escalationPolicyId, ruleId: routed.id, ruleName: routed.name ?? routed.id };
    plan.incidentsToOpen.push(opening);
    openingById.set(incidentId, opening);
    if (wasPending) plan.linkGroupAlerts.push({ groupId: group.id, incidentId });
    return { groupId: group.id, incidentId, decision: decision('opened-incident', dedupKey, `opened an incident for group ${key}`, { incidentId, ruleId }) };
  };

  const leaveGroup = (groupId: string | null, integration: PlanIntegration, reason = 'all of its alerts resolved'): { incidentId: string; resolved: boolean } | null => {
    if (!groupId) return null;
    const group = state.groupsById.get(groupId);
    if (!group || group.state === 'closed') return null;
    group.openAlerts = Math.max(0, group.openAlerts - 1);
    touchGroup(group);
    if (group.openAlerts > 0 || group.state !== 'open' || !group.incidentId) return null;
    if (!integration.settings.autoResolve) return { incidentId: group.incidentId, resolved: false };
    const incidentId = group.incidentId;
    const wasOpen = group.incidentOpen;
    closeGroup(group);
    if (wasOpen) plan.incidentsToResolve.push({ incidentId, reason });
    return { incidentId, resolved: wasOpen };
  };

  const suppression = (labels: Record<string, string>, serviceId: string | null): Hold | null => {
    const silence = state.silences.find((s) => isActive(s, now) && matchesAll(s.matchers, labels));
    if (silence) return { by: silence.id, kind: 'silenced' };
    const window = state.maintenance.find((m) => isActive(m, now) && (m.serviceIds.length === 0 || (serviceId !== null && m.serviceIds.includes(serviceId))));
    if (window) return { by: window.id, kind: 'maintenance' };
    return null;
  };
  const heldDecision = (hold: Hold, dedupKey: string, ruleId: string | null, alertId: string | null): AlertDecision => decision(
    hold.kind, dedupKey,
    hold.kind === 'silenced' ? `silenced by ${hold.by}; recorded, nobody paged` : `service in maintenance window ${hold.by}; recorded, nobody paged`,
    { suppressedBy: hold.by, ruleId, alertId },
  );

  /**
   * An open alert that a silence or maintenance window held, and nothing holds any more: it
   * joins its group now, exactly as if it had just arrived (an incident opens, or it joins one).
   */
  const release = (
    existing: OpenAlertState, signal: AlertSignal, integration: PlanIntegration, serviceId: string | null, severity: string | null, ruleId: string | null, why: string,
  ): Omit<AlertChange, 'id'> => {
    const joined = joinGroup({ id: existing.id, summary: signal.summary, severity, startedAt: existing.startedAt }, integration, serviceId, groupKeyFor(integration.settings, signal), ruleId, signal.dedupKey);
    existing.suppressedBy = null;
    existing.groupId = joined.groupId;
    existing.incidentId = joined.incidentId;
    const d = { ...joined.decision, alertId: existing.id, message: `${why}; ${joined.decision.message}` };
    return { suppressedBy: null, groupId: joined.groupId, incidentId: joined.incidentId, decision: d };
  };

  for (const item of items) {
    const { integration } = item;
    const decisions: AlertDecision[] = [];
    for (const signal of item.signals) {
      const key = alertKey(integration.id, signal.dedupKey);
      const existing = state.openAlerts.get(key);

      if (signal.action === 'resolve' || signal.action === 'acknowledge') {
        if (!existing) {
          decisions.push(decision('no-open-alert', signal.dedupKey, `no open alert with this key to ${signal.action}; nothing changed`));
          continue;
        }
        if (signal.note && existing.incidentId) plan.incidentNotes.push({ incidentId: existing.incidentId, alertId: existing.id, note: signal.note });
        if (signal.action === 'acknowledge') {
          if (existing.status === 'acknowledged') {
            decisions.push(decision('duplicate', signal.dedupKey, 'already acknowledged', { alertId: existing.id, incidentId: existing.incidentId }));
            continue;
          }
          existing.status = 'acknowledged';
          change(existing.id, { status: 'acknowledged', acknowledgedAt: now, lastSeenAt: now });
          const group = existing.groupId ? state.groupsById.get(existing.groupId) : undefined;
          if (existing.incidentId && group?.incidentOpen && group.incidentStatus === 'triggered') {
            plan.incidentsToAcknowledge.push({ incidentId: existing.incidentId, reason: 'the sender acknowledged an alert' });
            group.incidentStatus = 'acknowledged';
          }
          decisions.push(decision('acknowledged', signal.dedupKey, 'alert acknowledged by the sender', { alertId: existing.id, incidentId: existing.incidentId }));
          continue;
        }
        // The expiry job looked before a re-post may have extended the alert: re-check here.
        if (signal.expiry && !(existing.endsAt !== null && existing.endsAt !== undefined && existing.endsAt <= now)) {
          decisions.push(decision('duplicate', signal.dedupKey, 'expiry skipped: the alert was posted again since', { alertId: existing.id, incidentId: existing.incidentId }));
          continue;
        }
        state.openAlerts.delete(key);
        state.closedAlerts.set(key, { id: existing.id, incidentId: existing.incidentId });
        state.recentResolves.set(key, (state.recentResolves.get(key) ?? 0) + 1);
        const left = leaveGroup(existing.groupId, integration, signal.expiry ? `all of its alerts resolved; the last one expired: ${signal.expiry.note}` : undefined);
        // An expiry is not news from the sender: last seen stays the last post.
        change(existing.id, signal.expiry ? { status: 'resolved', resolvedAt: now } : { status: 'resolved', resolvedAt: now, lastSeenAt: now });
        const resolved = signal.expiry ? `alert expired: ${signal.expiry.note}` : 'alert resolved';
        const message = left?.resolved ? `${resolved}; it was the last open alert, so its incident resolved` : left ? `${resolved}; the incident stays open (auto-resolve is off)` : resolved;
        decisions.push(decision('resolved', signal.dedupKey, message, { alertId: existing.id, incidentId: existing.incidentId }));
        continue;
      }

      // trigger
      if (signal.release && !existing) {
        decisions.push(decision('no-open-alert', signal.dedupKey, `${signal.release.note}, but the alert is no longer open; nothing changed`));
        continue;
      }
      const rule = routeSignal(state.rules, integration.id, signal.labels);
      if (rule?.drop) {
        const d = decision('dropped', signal.dedupKey, `dropped by routing rule ${rule.id}`, { ruleId: rule.id, alertId: existing?.id ?? null });
        if (signal.release && existing && existing.suppressedBy !== null) {
          // Not held any more, and dropped now: the release job must not find it again.
          existing.suppressedBy = null;
          d.message = `${signal.release.note}; ${d.message}`;
          change(existing.id, { suppressedBy: null, decision: d });
        }
        decisions.push(d);
        continue;
      }
      const serviceId = rule?.setServiceId ?? integration.serviceId;
      const severity = rule?.setSeverity ?? mapSeverity(signal.severity, integration.settings, state.severities);

      if (existing) {
        // Held by a silence or maintenance window when last evaluated: re-check against those in force now.
        const wasHeld = existing.suppressedBy !== null && existing.groupId === null;
        const hold = wasHeld ? suppression(signal.labels, serviceId) : null;
        const holdChanged = wasHeld && hold?.by !== existing.suppressedBy;
        if (signal.release) {
          let d: AlertDecision;
          if (!holdChanged) {
            d = decision('duplicate', signal.dedupKey, wasHeld ? `${signal.release.note}, but ${existing.suppressedBy} still holds the alert; nothing changed` : `${signal.release.note}; the alert was already released`, { alertId: existing.id, incidentId: existing.incidentId });
          } else if (hold) {
            existing.suppressedBy = hold.by;
            d = heldDecision(hold, signal.dedupKey, rule?.id ?? null, existing.id);
            d.message = `${signal.release.note}; ${d.message}`;
            change(existing.id, { suppressedBy: hold.by, decision: d });
          } else {
            const patch = release(existing, signal, integration, serviceId, severity, rule?.id ?? null, signal.release.note);
            change(existing.id, patch);
            d = patch.decision!;
          }
          decisions.push(d);
          continue;
        }
        const endsAt = signal.expiresAt === undefined ? null : expiryToStore(signal.expiresAt, existing.endsAt, now);
        if (endsAt !== null) existing.endsAt = endsAt;
        // Alertmanager (and HA pairs of it) re-send the same firing alert: same start, no change.
        // Never a no-op for an alert whose silence or window ended: it must page now.
        if (integration.repeatsAreNoops && !holdChanged && signal.startedAt !== null && signal.startedAt === existing.startedAt && signal.summary === existing.summary) {
          // Only a later expiry is written (Alertmanager-API clients move endsAt with every post).
          if (endsAt !== null) change(existing.id, { endsAt, lastSeenAt: now });
          decisions.push(decision('duplicate', signal.dedupKey, endsAt !== null ? 'repeat of an open alert; expiry extended' : 'repeat of an open alert; nothing changed', { alertId: existing.id, incidentId: existing.incidentId }));
          continue;
        }
        const patch: AlertChange = { id: existing.id, lastSeenAt: now, countDelta: 1, summary: signal.summary, description: signal.description };
        if (endsAt !== null) patch.endsAt = endsAt;
        if (signal.context !== undefined) patch.context = signal.context;
        existing.count += 1;
        existing.summary = signal.summary;
        if (signal.startedAt !== null) existing.startedAt = signal.startedAt;
        patch.startedAt = existing.startedAt;
        let d = decision('updated', signal.dedupKey, `repeat of an open alert (count ${existing.count})`, { alertId: existing.id, incidentId: existing.incidentId, ruleId: rule?.id ?? null });
        // A silenced alert whose silence has ended pages on its next repeat, as in Alertmanager.
        if (holdChanged && hold) {
          existing.suppressedBy = hold.by;
          d = heldDecision(hold, signal.dedupKey, rule?.id ?? null, existing.id);
          Object.assign(patch, { suppressedBy: hold.by, decision: d });
        } else if (holdChanged) {
          Object.assign(patch, release(existing, signal, integration, serviceId, severity, rule?.id ?? null, 'no silence or maintenance window holds it any more'));
          d = patch.decision!;
        }
        change(existing.id, patch);
        decisions.push(d);
        continue;
      }

      const id = options.newId('alr');
      const row: NewAlertRow = {
        id, integrationId: integration.id, dedupKey: signal.dedupKey, status: 'firing', summary: signal.summary,
        description: signal.description, severityRaw: signal.severity, severity, labels: signal.labels,
        annotations: signal.annotations, source: signal.source, generatorUrl: signal.generatorUrl, runbookUrl: signal.runbookUrl,
        groupKey: groupKeyFor(integration.settings, signal), groupId: null, serviceId, incidentId: null, suppressedBy: null,
        decision: decision('opened-incident', signal.dedupKey, ''), startedAt: signal.startedAt, firstSeenAt: now, lastSeenAt: now,
        flapping: false, count: 1, rawPayloadId: item.rawPayloadId,
        endsAt: signal.expiresAt === undefined ? null : expiryToStore(signal.expiresAt, null, now),
        context: signal.context ?? null,
      };
      const suppressed = integration.drill ? null : suppression(signal.labels, serviceId);
      const flap = integration.settings.flap;
      const recent = state.recentResolves.get(key) ?? 0;
      if (suppressed) {
        row.suppressedBy = suppressed.by;
        row.decision = heldDecision(suppressed, signal.dedupKey, rule?.id ?? null, null);
      } else if (flap && recent + 1 >= flap.count) {
        row.flapping = true;
        row.decision = decision('flapping', signal.dedupKey, `fired ${recent + 1} times within ${flap.withinMinutes} min: flapping; recorded, not paged again`, { ruleId: rule?.id ?? null });
      } else {
        const joined = joinGroup({ id, summary: signal.summary, severity, startedAt: signal.startedAt }, integration, serviceId, row.groupKey!, rule?.id ?? null, signal.dedupKey);
        row.groupId = joined.groupId;
        row.incidentId = joined.incidentId;
        row.decision = joined.decision;
      }
      row.decision.alertId = id;
      plan.newAlerts.push(row);
      newAlertById.set(id, row);
      state.openAlerts.set(key, {
        id, integrationId: integration.id, dedupKey: signal.dedupKey, status: 'firing', groupId: row.groupId,
        incidentId: row.incidentId, suppressedBy: row.suppressedBy, startedAt: signal.startedAt, count: 1, summary: signal.summary, endsAt: row.endsAt,
      });
      decisions.push(row.decision);
    }
    for (const update of item.updates) decisions.push(planAlertUpdate(update, integration.id, state, plan.incidentNotes, change, now));
    plan.decisions.push(decisions);
  }
  return plan;
}
