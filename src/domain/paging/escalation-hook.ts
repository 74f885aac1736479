import { systemActor } from '../../core/actor.js';
import { afterCommit, beforeCommit, withSavepoint, type Tx } from '../../store/index.js';
import type { DeliveryTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import {
  acknowledgeEscalation, isSeverityRaise, levelsNewlyDue, parseEscalationPolicy, resolveEscalation, snapshotPolicy, startEscalation,
  type EscalationPolicy, type EscalationSnapshot, type EscalationState,
} from '../escalation/index.js';
import type { IncidentChange, IncidentHook } from '../incidents/hooks.js';
import { appendTimeline } from '../incidents/timeline.js';
import { advanceEscalations, type ClaimOnInsert } from './advance-escalation.js';
import { newId } from '../../core/ids.js';
import { cancelPendingPages, enqueuePages } from './enqueue-pages.js';
import { pagedPeople } from './page-now.js';
import { loadTargetResolver } from './targets.js';
import { scheduleUnresolvedPages } from './unresolved-escalation.js';
import { lockEscalation, nextWakeOf, policyFromRow, saveEscalation } from './escalation-store.js';
import { escalationTimerKey, upsertTimer } from './timers.js';

/**
 * Told when a timer falls due soon, so an idle worker wakes at once instead of at its next poll.
 * Gets the transaction that wrote the timer: the wake belongs after its commit.
 */
export type Wakeup = (runAt: number, tx: Tx) => void;

/**
 * This process's worker, when it runs here: an escalation whose first level is due at once takes
 * that step in the transaction that opened the incident, with its deliveries inserted already
 * claimed by the worker, which sends them as soon as the commit is durable. Without it the step
 * waits for the worker to claim its timer, run it and commit again (two more commits and their
 * fsyncs between the alert and the page).
 */
export interface FirstStepSender {
  /** Deliveries due now may be inserted claimed with this; null when no worker runs here. */
  claim(): ClaimOnInsert | null;
  /** After the commit: sends the rows inserted claimed. */
  send(rows: DeliveryTable[]): void;
}

export interface PagingHookOptions {
  wakeup?: Wakeup;
  firstStep?: FirstStepSender;
}

/**
 * Paging's reaction to incident changes, inside the change's own transaction: an incident that
 * opens gets its policy snapshot, escalation state and first timer in the same commit (so it
 * can never open without paging); acknowledging, resolving or re-triggering rewrites the state,
 * bumps the fencing generation and replaces or deletes the timer in that same commit.
 */
export function createPagingHook(options: PagingHookOptions = {}): IncidentHook {
  return async (ctx, tx, change) => {
    switch (change.type) {
      case 'opened':
        return startIncidentEscalation(ctx, tx, change.incident, options, { fresh: true });
      case 'status_changed':
        return onStatusChanged(ctx, tx, change, options.wakeup);
      case 'severity_changed':
        return onSeverityChanged(ctx, tx, change, options);
    }
  };
}

/** `fresh`: the incident was opened in this transaction, so it cannot have an escalation yet. */
async function startIncidentEscalation(ctx: Ctx, tx: Tx, incident: IncidentChange['incident'], options: PagingHookOptions, { fresh }: { fresh: boolean }): Promise<void> {
  const { wakeup } = options;
  if (incident.status !== 'triggered') return;
  if (!fresh) {
    const existing = await tx.selectFrom('incident_escalations').select('incident_id').where('incident_id', '=', incident.id).executeTakeFirst();
    if (existing) return;
  }
  const policy = incident.is_drill ? drillPolicy(ctx) : await chosenPolicy(ctx, tx, incident);
  if (!policy) {
    if (incident.is_drill) await appendTimeline(ctx, tx, incident.id, 'escalation_skipped', 'Drill without participants: nobody is paged.', {});
    return;
  }
  const now = ctx.clock.now();
  const snapshot = snapshotPolicy(policy.policy, now);
  const state = startEscalation(snapshot, { now, severity: incident.severity, roundRobinSeed: incident.number });
  await tx
    .insertInto('incident_escalations')
    .values({
      incident_id: incident.id,
      policy_id: policy.id,
      snapshot: JSON.stringify(snapshot),
      state: JSON.stringify(state),
      status: state.status,
      generation: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await scheduleUnresolvedPages(tx, incident.id, snapshot, now, now);
  const dueAt = state.dueAt ?? now;
  // A step taken before the commit writes the timer for the level after it (or none).
  const stepNow = dueAt <= now && options.firstStep !== undefined && takeFirstStepBeforeCommit(ctx, tx, incident.id, options.firstStep, wakeup);
  if (!stepNow) await upsertTimer(tx, { key: escalationTimerKey(incident.id), kind: 'escalate', payload: { incidentId: incident.id }, runAt: dueAt, generation: 1, now });
  const first = snapshot.policy.levels[0]!;
  await appendTimeline(
    ctx, tx, incident.id, 'escalation_started',
    `Escalation policy **${policy.policy.name}** started (${policy.why}): level 1 pages ${first.delaySeconds === 0 ? 'now' : `in ${first.delaySeconds}s`}.`,
    { policyId: policy.id, chosenBy: policy.chosenBy, why: policy.why, levels: snapshot.policy.levels.length, repeat: snapshot.policy.repeat },
    // The incident's updated_at is at least the row's: moving it to an earlier or equal time is nothing.
    { at: now, touchIncident: now > incident.updated_at },
  );
  if (!stepNow) wakeup?.(dueAt, tx);
}

/** The incidents of one transaction whose first step runs just before its commit. */
const firstSteps = new WeakMap<Tx, string[]>();

/**
 * Beyond this many new incidents in one transaction (an alert storm opening hundreds at once),
 * the rest take the timer path: the worker steps them right after the commit, in its own
 * transactions. A bound on how much paging work an ingest batch's transaction (and so every
 * sender in it) waits for; the first pages of a storm still go out at once.
 */
const MAX_FIRST_STEPS_PER_TRANSACTION = 8;

/**
 * Queues the incident's first step for the end of the transaction: every incident an ingest
 * batch opens is stepped together (one target load, one statement per kind of row), the same
 * path as the worker's timer groups, and writes the timer of the next level. A status change
 * later in the same transaction bumps the generation (and sets the timer its own way): the
 * step then does nothing.
 */
function takeFirstStepBeforeCommit(ctx: Ctx, tx: Tx, incidentId: string, sender: FirstStepSender, wakeup?: Wakeup): boolean {
  const queued = firstSteps.get(tx);
  if (queued) {
    if (queued.length >= MAX_FIRST_STEPS_PER_TRANSACTION) return false;
    queued.push(incidentId);
    return true;
  }
  if (sender.claim() === null) return false;
  const ids = [incidentId];
  const registered = beforeCommit(tx, async () => {
    const now = ctx.clock.now();
    const claim = sender.claim();
    let outcome: Awaited<ReturnType<typeof advanceEscalations>>;
    try {
      outcome = await withSavepoint(tx, 'first_escalation_step', () =>
        advanceEscalations({ ...ctx, actor: systemActor('escalation') }, tx, ids.map((id) => ({ incidentId: id, generation: 1 })), claim ? { claim } : {}),
      );
    } catch (error) {
      // The alerts and incidents of this transaction must commit whatever paging does: the step
      // is undone and left to the worker, whose timer retries it with backoff.
      if (!ctx.store.health.reportFailure(error)) ctx.log.error('worker', 'first escalation step failed; the worker takes it from its timer', { incidents: ids.length, error: (error as Error).message });
      await writeFirstStepTimers(tx, ids, now);
      wakeup?.(now, tx);
      return;
    }
    const { results, claimed } = outcome;
    let created = 0;
    for (const r of results.values()) {
      created += r.deliveries;
      if (r.nextAt !== null) wakeup?.(r.nextAt, tx);
    }
    // Rows beyond the worker's free send slots (or with no worker left) wait in the queue.
    if (created > claimed.length) wakeup?.(now, tx);
    if (claimed.length > 0) afterCommit(tx, () => sender.send(claimed));
  });
  if (registered) firstSteps.set(tx, ids);
  return registered;
}

/** The step-1 timers the worker runs instead, for the escalations no status change has moved on since they opened. */
async function writeFirstStepTimers(tx: Tx, incidentIds: readonly string[], now: number): Promise<void> {
  const untouched = await tx.selectFrom('incident_escalations').select('incident_id').where('incident_id', 'in', [...incidentIds]).where('generation', '=', 1).execute();
  for (const { incident_id: incidentId } of untouched) {
    await upsertTimer(tx, { key: escalationTimerKey(incidentId), kind: 'escalate', payload: { incidentId }, runAt: now, generation: 1, now });
  }
}

interface ChosenPolicy {
  id: string | null;
  policy: EscalationPolicy;
  chosenBy: 'routing-rule' | 'service' | 'severity' | 'drill';
  /** For the timeline: which setting decided, in words. */
  why: string;
}

/**
 * The policy that pages for an incident: the one a routing rule chose for the alert that opened
 * it (carried on the incident), else its service's, else its severity's default. A named policy
 * that no longer exists is noted on the timeline and the next one down applies; an incident for
 * which none is set pages nobody.
 */
async function chosenPolicy(ctx: Ctx, tx: Tx, incident: IncidentChange['incident']): Promise<ChosenPolicy | null> {
  const candidates: { policyId: string; chosenBy: ChosenPolicy['chosenBy']; why: string }[] = [];
  if (incident.escalation_policy_id) {
    candidates.push({ policyId: incident.escalation_policy_id, chosenBy: 'routing-rule', why: incident.escalation_policy_reason ?? 'chosen by a routing rule' });
  }
  if (incident.service_id) {
    const service = await tx.selectFrom('services').select(['slug', 'escalation_policy_id']).where('id', '=', incident.service_id).executeTakeFirst();
    if (service?.escalation_policy_id) candidates.push({ policyId: service.escalation_policy_id, chosenBy: 'service', why: `service ${service.slug} names it` });
  }
  const severity = await tx.selectFrom('severities').select(['key', 'escalation_policy_id']).where('key', '=', incident.severity).executeTakeFirst();
  if (severity?.escalation_policy_id) candidates.push({ policyId: severity.escalation_policy_id, chosenBy: 'severity', why: `default for ${severity.key}` });
  for (const candidate of candidates) {
    const row = await tx.selectFrom('escalation_policies').selectAll().where('id', '=', candidate.policyId).executeTakeFirst();
    if (row) return { id: row.id, policy: policyFromRow(row), chosenBy: candidate.chosenBy, why: candidate.why };
    await appendTimeline(ctx, tx, incident.id, 'escalation_skipped', `Escalation policy ${candidate.policyId} (${candidate.why}) no longer exists; looking further.`, { policyId: candidate.policyId, chosenBy: candidate.chosenBy });
  }
  return null;
}

/**
 * A drill pages exactly the participants its starter chose, all at once and once, through the
 * same timers and delivery path as a real page; never the on-call rota.
 */
function drillPolicy(ctx: Ctx): ChosenPolicy | null {
  const participants = ctx.drill?.participants ?? [];
  if (participants.length === 0) return null;
  return {
    id: null,
    chosenBy: 'drill',
    why: 'the drill pages its chosen participants',
    policy: parseEscalationPolicy({
      id: 'drill',
      name: 'Drill participants',
      levels: [{ delaySeconds: 0, targets: participants.map((id) => ({ type: 'user', id })) }],
      repeat: 0,
      ackTimeoutSeconds: null,
      catchUp: 'late-but-once',
    }),
  };
}

async function onStatusChanged(ctx: Ctx, tx: Tx, change: Extract<IncidentChange, { type: 'status_changed' }>, wakeup?: Wakeup): Promise<void> {
  const esc = await lockEscalation(tx, ctx.store.dialect, change.incident.id);
  if (!esc) return;
  const now = ctx.clock.now();
  let state: EscalationState = esc.state;
  if (change.to === 'resolved') {
    state = resolveEscalation(state, now);
    await cancelPendingPages(tx, change.incident.id, now, 'resolved before it was sent');
  } else if (change.to === 'triggered') {
    // Handed back to paging by hand: let the planner re-trigger from the last paged level now.
    if (state.status !== 'acknowledged') return;
    state = { ...state, ackTimeoutAt: now };
  } else {
    // Any other open status means a human owns the incident: that is an acknowledgement.
    if (state.status !== 'triggered') return;
    state = acknowledgeEscalation(esc.snapshot, state, now);
    await cancelPendingPages(tx, change.incident.id, now, 'acknowledged before it was sent');
  }
  const nextAt = nextWakeOf(state);
  await saveEscalation(tx, { incidentId: esc.incidentId, state, generation: esc.generation + 1, nextAt, now });
  if (nextAt !== null) wakeup?.(nextAt, tx);
}

/**
 * A severity change on an incident that is already escalating. Levels still ahead read the new
 * severity at their due time. A raise (to a more severe level) also re-evaluates the past, on a
 * triggered and on an acknowledged incident alike, so raising to SEV1 never pages nobody new:
 * - when the policy chosen for the new severity is another one (the severity's default, say), it
 *   takes over from its level 1: on a triggered incident that level pages now and escalation runs
 *   on; on an acknowledged one that level is paged now as a heads-up, by hand, and escalation
 *   stays paused under the new policy (its ack timeout applies);
 * - with the same policy, the levels already behind whose condition failed for the old severity
 *   and holds for the new one are paged now.
 */
async function onSeverityChanged(ctx: Ctx, tx: Tx, change: Extract<IncidentChange, { type: 'severity_changed' }>, options: PagingHookOptions): Promise<void> {
  const esc = await lockEscalation(tx, ctx.store.dialect, change.incident.id);
  if (!esc) {
    // The old severity paged nobody; the new one may (a SEV3 raised to SEV1 while untouched).
    await startIncidentEscalation({ ...ctx, actor: ctx.actor ?? systemActor('escalation') }, tx, change.incident, options, { fresh: false });
    return;
  }
  const now = ctx.clock.now();
  const state: EscalationState = { ...esc.state, severity: change.to };
  const ranks = new Map((await tx.selectFrom('severities').select(['key', 'rank']).execute()).map((r) => [r.key, r.rank]));
  const raised = isSeverityRaise(ranks, change.from, change.to) && state.status !== 'resolved' && !change.incident.is_drill;
  if (raised) {
    const chosen = await chosenPolicy(ctx, tx, { ...change.incident, severity: change.to });
    if (chosen && chosen.id !== null && chosen.id !== esc.snapshot.policyId) {
      await takeOverWithPolicy(ctx, tx, change, esc, chosen, options.wakeup);
      return;
    }
    const due = levelsNewlyDue(esc.snapshot, esc.state, change.from, change.to);
    if (due.length > 0) await pageLevelsNow(ctx, tx, change, esc.snapshot, due, state.status === 'acknowledged' ? 'manual' : 'page');
  }
  await tx
    .updateTable('incident_escalations')
    .set({ state: JSON.stringify(state), updated_at: now })
    .where('incident_id', '=', esc.incidentId)
    .execute();
}

type LockedEscalation = NonNullable<Awaited<ReturnType<typeof lockEscalation>>>;

async function takeOverWithPolicy(
  ctx: Ctx, tx: Tx, change: Extract<IncidentChange, { type: 'severity_changed' }>, esc: LockedEscalation, chosen: ChosenPolicy, wakeup?: Wakeup,
): Promise<void> {
  const now = ctx.clock.now();
  const snapshot = snapshotPolicy(chosen.policy, now);
  const started = startEscalation(snapshot, { now, severity: change.to, labels: esc.state.labels, roundRobinSeed: change.incident.number });
  const acknowledged = esc.state.status === 'acknowledged';
  let state = started;
  if (acknowledged) {
    // Someone owns the incident: the new policy's first level hears of it now, by hand, and
    // escalation stays paused; an ack timeout re-triggers from that level.
    await pageLevelsNow(ctx, tx, change, snapshot, [0], 'manual');
    state = acknowledgeEscalation(snapshot, { ...started, lastNotifiedLevel: 0, lastNotifiedRound: 0, lastFiredDueAt: now }, now);
  }
  await tx.updateTable('incident_escalations').set({ policy_id: chosen.id, snapshot: JSON.stringify(snapshot) }).where('incident_id', '=', esc.incidentId).execute();
  const nextAt = nextWakeOf(state);
  await saveEscalation(tx, { incidentId: esc.incidentId, state, generation: esc.generation + 1, nextAt, now });
  // The new policy's "if unresolved" clock counts from when the incident started escalating.
  await scheduleUnresolvedPages(tx, change.incident.id, snapshot, esc.state.startedAt, now);
  const first = snapshot.policy.levels[0]!;
  await appendTimeline(
    ctx, tx, change.incident.id, 'escalation_started',
    `Severity raised ${change.from} → ${change.to}: escalation policy **${chosen.policy.name}** (${chosen.why}) takes over${acknowledged ? '; its level 1 was paged now and escalation stays paused while the incident is acknowledged' : `: level 1 pages ${first.delaySeconds === 0 ? 'now' : `in ${first.delaySeconds}s`}`}.`,
    { policyId: chosen.id, chosenBy: chosen.chosenBy, why: chosen.why, levels: snapshot.policy.levels.length, repeat: snapshot.policy.repeat, raisedFrom: change.from, raisedTo: change.to },
  );
  if (nextAt !== null) wakeup?.(nextAt, tx);
}

/** Pages the given levels' targets at once (conditions already checked by the caller). */
async function pageLevelsNow(
  ctx: Ctx, tx: Tx, change: Extract<IncidentChange, { type: 'severity_changed' }>, snapshot: EscalationSnapshot, levels: readonly number[], purpose: 'page' | 'manual',
): Promise<void> {
  const now = ctx.clock.now();
  const targets = levels.flatMap((i) => snapshot.policy.levels[i]!.targets);
  const resolve = await loadTargetResolver(tx, targets, now);
  const userIds = [...new Set(targets.flatMap((t) => resolve(t, now)))];
  const where = levels.map((i) => `level ${i + 1}`).join(', ');
  if (userIds.length === 0) {
    await appendTimeline(ctx, tx, change.incident.id, 'escalation_skipped', `Severity raised ${change.from} → ${change.to}: ${where} now applies but resolves to nobody right now.`, { levels: [...levels] });
    return;
  }
  const key = `raise:${newId('evt', now)}`;
  const paged = await enqueuePages(tx, { incidentId: change.incident.id, actionKey: key, userIds, dueAt: now, now, purpose });
  const people = await pagedPeople(tx, userIds, paged.unreachable);
  const unreachable = people.filter((p) => !p.reachable).map((p) => p.name);
  await appendTimeline(
    ctx, tx, change.incident.id, 'paged',
    `Severity raised ${change.from} → ${change.to}: ${where} now applies; paged ${people.map((p) => p.name).join(', ')}.${unreachable.length ? ` No contact method: ${unreachable.join(', ')}.` : ''}`,
    { raise: true, levels: [...levels], userIds, key },
  );
}
