import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { DeliveryTable, TimelineEventTable, TimerTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { planEscalation, type EscalationPlan, type EscalationPolicy } from '../escalation/index.js';
import { runIncidentHooks } from '../incidents/hooks.js';
import { transition, type IncidentStatus } from '../incidents/status.js';
import { appendTimeline } from '../incidents/timeline.js';
import { loadPageTargets, planPages } from './enqueue-pages.js';
import { escalationFromRow, storedStatus, type EscalationRow } from './escalation-store.js';
import { loadTargetResolver, policyTargets } from './targets.js';
import { escalationTimerKey } from './timers.js';
import { timelineRow } from './timeline-rows.js';

export interface AdvanceResult {
  outcome: 'stale' | 'advanced';
  nextAt: number | null;
  /** Delivery rows created (0 when the step re-ran after a crash: the unique key held). */
  deliveries: number;
}

export interface EscalationStep {
  incidentId: string;
  generation: number;
}

/**
 * Deliveries due now may be inserted already claimed (`sending`, leased to `owner`), up to
 * `max`, so the caller sends them as soon as the transaction commits, without a claim
 * statement or a wait for its next loop. Committed `sending` before any call out, as a claim.
 */
export interface ClaimOnInsert {
  owner: string;
  leaseMs: number;
  max: number;
}

export interface AdvanceGroupResult {
  results: Map<string, AdvanceResult>;
  /** Delivery rows inserted claimed by `claim.owner`; the caller must send them. */
  claimed: DeliveryTable[];
}

const STALE: AdvanceResult = { outcome: 'stale', nextAt: null, deliveries: 0 };

/**
 * One escalation timer firing, inside the worker's transaction. See {@link advanceEscalations}.
 * `fence` re-checks the worker's claim on the timer under the locks.
 */
export async function advanceEscalation(
  ctx: Ctx,
  tx: Tx,
  input: { incidentId: string; generation: number; fence?: () => Promise<boolean> },
): Promise<AdvanceResult> {
  const { fence } = input;
  const step = { incidentId: input.incidentId, generation: input.generation };
  const { results } = await advanceEscalations(ctx, tx, [step], fence ? { fence: async () => new Set((await fence()) ? [input.incidentId] : []) } : {});
  return results.get(input.incidentId) ?? STALE;
}

/**
 * A group of escalation timers firing, in one transaction of the worker: lock the incidents and
 * their escalation rows (incidents first, the order of a status change, so the two never
 * deadlock), check each fencing generation, plan, then write the new states, the next timers,
 * the deliveries and the timeline. A stale generation means an ack/resolve won the race: that
 * step does nothing. Each kind of row is written once for the whole group (the dialect's paging
 * batch writer), and the targets are resolved from one load; that is what makes a burst of
 * steps cheap. `fence` returns the incidents whose timer claim this worker still holds.
 */
export async function advanceEscalations(
  ctx: Ctx,
  tx: Tx,
  steps: readonly EscalationStep[],
  options: { fence?: () => Promise<ReadonlySet<string>>; claim?: ClaimOnInsert },
): Promise<AdvanceGroupResult> {
  const writer = ctx.store.dialect.pagingWriter;
  const results = new Map<string, AdvanceResult>();
  const claimed: DeliveryTable[] = [];
  if (steps.length === 0) return { results, claimed };
  const { incidents, escalations } = await writer.lockEscalations(tx, steps.map((s) => s.incidentId));
  const incidentById = new Map(incidents.map((i) => [i.id, i]));
  const escById = new Map(escalations.map((e) => [e.incident_id, e]));
  let live = steps.filter((s) => incidentById.has(s.incidentId) && escById.get(s.incidentId)?.generation === s.generation);
  // The worker's claims, re-checked under the locks: a lease that ran out while this instance
  // was paused belongs to someone else now.
  if (options.fence && live.length > 0) {
    const held = await options.fence();
    live = live.filter((s) => held.has(s.incidentId));
  }
  for (const s of steps) results.set(s.incidentId, STALE);
  if (live.length === 0) return { results, claimed };

  const now = ctx.clock.now();
  const escs = new Map<string, EscalationRow>(live.map((s) => [s.incidentId, escalationFromRow(escById.get(s.incidentId)!)]));
  const resolve = await loadTargetResolver(tx, [...escs.values()].flatMap((e) => policyTargets(e.snapshot.policy)), now);
  const alertLabels = await loadAlertLabels(tx, [...escs.values()].filter((e) => hasLabelCondition(e.snapshot.policy)).map((e) => e.incidentId));
  const firingLabels = await loadAlertLabels(tx, [...escs.values()].filter((e) => hasCountCondition(e.snapshot.policy)).map((e) => e.incidentId), { firingOnly: true });
  const plans = new Map<string, EscalationPlan>();
  const upserts: TimerTable[] = [];
  const deletes: string[] = [];
  for (const [incidentId, esc] of escs) {
    const plan = planEscalation(esc.snapshot, esc.state, now, resolve, { alertLabels: alertLabels.get(incidentId) ?? [], firingAlertLabels: firingLabels.get(incidentId) ?? [] });
    plans.set(incidentId, plan);
    const nextAt = plan.next?.dueAt ?? null;
    if (nextAt === null) deletes.push(escalationTimerKey(incidentId));
    else upserts.push(escalationTimer(incidentId, nextAt, esc.generation, now));
  }
  // States first: a re-trigger below runs the incident hooks, which read the saved state.
  await writer.saveEscalations(
    tx,
    [...plans].map(([incidentId, plan]) => ({
      incident_id: incidentId,
      state: JSON.stringify(plan.state),
      status: storedStatus(plan.state, plan.next?.dueAt ?? null),
      generation: escs.get(incidentId)!.generation,
      updated_at: now,
    })),
  );
  await writer.deleteTimers(tx, deletes);
  await writer.upsertTimers(tx, upserts);

  const paged = [...new Set([...plans.values()].flatMap((p) => p.actions.flatMap((a) => (a.type === 'notify' ? a.userIds : []))))];
  const names = new Map(paged.length ? (await tx.selectFrom('users').select(['id', 'name']).where('id', 'in', paged).execute()).map((u) => [u.id, u.name]) : []);
  const pageTargets = await loadPageTargets(tx, paged);
  const deliveries: DeliveryTable[] = [];
  const deliveryIncident = new Map<string, string>();
  const timeline: TimelineEventTable[] = [];
  for (const [incidentId, plan] of plans) {
    const incident = incidentById.get(incidentId)!;
    for (const action of plan.actions) {
      switch (action.type) {
        case 'retrigger': {
          // Rare (an ack timed out): the ordinary per-incident path, hooks included.
          const current = incident.status as IncidentStatus;
          if (current === 'triggered' || current === 'resolved') break;
          const move = transition(current, 'retrigger');
          const updated = await tx
            .updateTable('incidents')
            .set({ status: move.to, updated_at: now, version: incident.version + 1 })
            .where('id', '=', incident.id)
            .where('status', 'in', move.from)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) !== 1) break;
          await appendTimeline(ctx, tx, incident.id, 'status_changed', `Acknowledgement timed out; paging again`, { from: current, to: move.to, event: 'retrigger', reason: action.reason });
          const changed = await tx.selectFrom('incidents').selectAll().where('id', '=', incident.id).executeTakeFirstOrThrow();
          await runIncidentHooks(ctx, tx, { type: 'status_changed', incident: changed, from: current, to: move.to });
          break;
        }
        case 'notify': {
          const page = planPages(pageTargets, { incidentId, actionKey: `step:${action.key}`, userIds: action.userIds, dueAt: action.dueAt, now, purpose: 'page' });
          for (const row of page.rows) deliveryIncident.set(row.id, incidentId);
          deliveries.push(...page.rows);
          const who = action.userIds.map((id) => names.get(id) ?? id).join(', ');
          const unreachable = page.unreachable.map((id) => names.get(id) ?? id);
          timeline.push(timelineRow(
            ctx, incidentId, 'paged',
            `Paged ${who} (level ${action.level + 1}, round ${action.round + 1})${unreachable.length ? `. **No contact method** for ${unreachable.join(', ')}: they were not reached.` : ''}`,
            { level: action.level, round: action.round, userIds: action.userIds, unreachable: page.unreachable, reason: action.reason, lateByMs: action.lateByMs, key: action.key },
          ));
          break;
        }
        case 'skip':
          timeline.push(timelineRow(ctx, incidentId, 'escalation_skipped', action.reason, { level: action.level, round: action.round, cause: action.cause }));
          break;
        case 'exhausted':
          timeline.push(timelineRow(ctx, incidentId, 'escalation_exhausted', `Escalation finished without an acknowledgement: ${action.reason}`, {}));
          break;
      }
    }
  }
  const claim = options.claim;
  if (claim) {
    for (const row of deliveries) {
      if (claimed.length >= claim.max) break;
      if (row.next_attempt_at > now) continue;
      Object.assign(row, { status: 'sending', attempts: 1, locked_by: claim.owner, locked_until: now + claim.leaseMs });
      claimed.push(row);
    }
  }
  const inserted = await writer.insertDeliveries(tx, deliveries);
  await writer.insertTimeline(tx, timeline, { touchIncidents: true });

  const created = new Map<string, number>();
  for (const id of inserted) {
    const incidentId = deliveryIncident.get(id)!;
    created.set(incidentId, (created.get(incidentId) ?? 0) + 1);
  }
  for (const [incidentId, plan] of plans) {
    results.set(incidentId, { outcome: 'advanced', nextAt: plan.next?.dueAt ?? null, deliveries: created.get(incidentId) ?? 0 });
  }
  // A row that already existed (the step re-ran after a crash) keeps its own state and queue.
  return { results, claimed: claimed.filter((r) => inserted.has(r.id)) };
}

function hasLabelCondition(policy: EscalationPolicy): boolean {
  return (policy.condition?.matchers?.length ?? 0) > 0 || policy.levels.some((l) => (l.condition?.matchers?.length ?? 0) > 0);
}

/**
 * The distinct label sets of each incident's alerts, as they are when the step falls due, so an
 * alert that joined the incident after it opened counts too. Only loaded for policies with label
 * matchers: most steps need none, and a burst of steps must not pay for it.
 */
function hasCountCondition(policy: EscalationPolicy): boolean {
  return policy.condition?.firingAlerts !== undefined || policy.levels.some((l) => l.condition?.firingAlerts !== undefined);
}

async function loadAlertLabels(tx: Tx, incidentIds: readonly string[], options: { firingOnly?: boolean } = {}): Promise<Map<string, Record<string, string>[]>> {
  const byIncident = new Map<string, Record<string, string>[]>();
  if (incidentIds.length === 0) return byIncident;
  // Distinct: an incident of a thousand alerts from twenty hosts is twenty label sets (and, for
  // counts, twenty alerts: two alerts with the same labels are one thing that is down).
  let query = tx.selectFrom('alerts').select(['incident_id', 'labels']).distinct().where('incident_id', 'in', [...incidentIds]);
  if (options.firingOnly) query = query.where('status', '<>', 'resolved');
  const rows = await query.execute();
  for (const row of rows) {
    if (row.incident_id === null) continue;
    const list = byIncident.get(row.incident_id) ?? [];
    list.push(JSON.parse(row.labels) as Record<string, string>);
    byIncident.set(row.incident_id, list);
  }
  return byIncident;
}

function escalationTimer(incidentId: string, runAt: number, generation: number, now: number): TimerTable {
  return {
    id: newId('tmr', now),
    key: escalationTimerKey(incidentId),
    kind: 'escalate',
    payload: JSON.stringify({ incidentId }),
    run_at: runAt,
    attempts: 0,
    last_error: null,
    locked_by: null,
    locked_until: null,
    generation,
    created_at: now,
  };
}
