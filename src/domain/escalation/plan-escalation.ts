import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { conditionMismatch } from './policy.js';
import type { EscalationLevel, EscalationSnapshot, EscalationTarget } from './policy.js';

/**
 * The escalation planner: given the incident's policy snapshot, its escalation state and `now`,
 * decide whom to page and when to wake up next. Pure and deterministic — the worker persists
 * the returned state and the next due time in one transaction and delivers the actions.
 *
 * Timeline: level i of a round is due `levels[i].delaySeconds` after the previous step fired
 * (after escalation started, for level 0 of round 0); level 0 of a later round is due
 * `repeatDelaySeconds` after the last level. A level whose condition fails, or whose targets
 * resolve to nobody, is still a step on the timeline: it is reported as `skip` and the clock
 * moves on, so conditions decide WHO is paged, never WHEN the next level comes.
 */

export type EscalationStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface EscalationState {
  status: EscalationStatus;
  /** The pending step: level `levelIndex` of round `round` (0-based), due at `dueAt`. */
  levelIndex: number;
  round: number;
  /** When the pending step is due; null once every round has run (policy exhausted). */
  dueAt: number | null;
  startedAt: number;
  acknowledgedAt?: number | null | undefined;
  /** When an acknowledgement lapses and escalation re-triggers; null = never. */
  ackTimeoutAt?: number | null | undefined;
  resolvedAt?: number | null | undefined;
  /** Due time of the last processed step; doubles as a fencing value for the timer. */
  lastFiredDueAt: number | null;
  /** The last level that actually paged someone; an ack timeout resumes from there. */
  lastNotifiedLevel: number | null;
  lastNotifiedRound: number | null;
  /** Per level index: which target a round-robin level pages next. */
  roundRobinCursor: Record<string, number>;
  /** Incident facts that level conditions are evaluated against, at each step's due time. */
  labels: Record<string, string>;
  severity: string | null;
}

export type SkipCause = 'condition' | 'no-users' | 'catch-up';

export type EscalationAction =
  | {
      type: 'notify';
      level: number;
      round: number;
      userIds: string[];
      /** The targets paged (one, for a round-robin level). */
      targets: EscalationTarget[];
      dueAt: number;
      /** How late the step fired (0 when on time); > 0 after an outage. */
      lateByMs: number;
      /** Stable per step firing: use it to derive delivery ids, so retries never double-page. */
      key: string;
      reason: string;
    }
  | { type: 'skip'; level: number; round: number; dueAt: number; cause: SkipCause; reason: string }
  | { type: 'retrigger'; at: number; reason: string }
  | { type: 'exhausted'; reason: string };

export interface NextWakeUp {
  dueAt: number;
  level: number;
  round: number;
  /** `step`: the next level fires. `ack-timeout`: the acknowledgement lapses and re-triggers. */
  kind: 'step' | 'ack-timeout';
}

export interface EscalationPlan {
  actions: EscalationAction[];
  next: NextWakeUp | null;
  state: EscalationState;
}

/**
 * Target → user ids on call for it at `at` (a user → itself, a schedule → whoIsOnCall, a team →
 * its members). Passed in so the planner stays pure; it must not do I/O.
 */
export type ResolveTargets = (target: EscalationTarget, at: number) => readonly string[];

export const escalationStateSchema = z.object({
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  levelIndex: z.number().int().min(0),
  round: z.number().int().min(0),
  dueAt: z.number().int().nullable(),
  startedAt: z.number().int(),
  acknowledgedAt: z.number().int().nullable().optional(),
  ackTimeoutAt: z.number().int().nullable().optional(),
  resolvedAt: z.number().int().nullable().optional(),
  lastFiredDueAt: z.number().int().nullable(),
  lastNotifiedLevel: z.number().int().min(0).nullable(),
  lastNotifiedRound: z.number().int().min(0).nullable(),
  roundRobinCursor: z.record(z.string(), z.number().int().min(0)),
  labels: z.record(z.string(), z.string()),
  severity: z.string().nullable(),
});

/** Validates a state loaded back from storage. */
export function parseEscalationState(input: unknown): EscalationState {
  return parseInput(escalationStateSchema, input);
}

interface Step {
  level: number;
  round: number;
}

function rounds(snapshot: EscalationSnapshot): number {
  return snapshot.policy.repeat + 1;
}

/** The step after `step` and how long to wait for it, or null at the end of the last round. */
function stepAfter(snapshot: EscalationSnapshot, step: Step): (Step & { waitMs: number }) | null {
  const { levels, repeatDelaySeconds } = snapshot.policy;
  const nextLevel = levels[step.level + 1];
  if (nextLevel) return { level: step.level + 1, round: step.round, waitMs: nextLevel.delaySeconds * 1000 };
  if (step.round + 1 < rounds(snapshot)) return { level: 0, round: step.round + 1, waitMs: repeatDelaySeconds * 1000 };
  return null;
}

/** The state of a freshly triggered incident: level 0 of round 0 is due after its delay. */
export function startEscalation(
  snapshot: EscalationSnapshot,
  input: { now: number; labels?: Record<string, string>; severity?: string | null; roundRobinSeed?: number },
): EscalationState {
  const first = snapshot.policy.levels[0] as EscalationLevel;
  // A seed (e.g. a per-policy counter kept by the caller) spreads round-robin across incidents.
  const roundRobinCursor: Record<string, number> = {};
  if (input.roundRobinSeed !== undefined) {
    snapshot.policy.levels.forEach((level, i) => {
      if (level.roundRobin) roundRobinCursor[String(i)] = Math.abs(Math.trunc(input.roundRobinSeed ?? 0)) % level.targets.length;
    });
  }
  return {
    status: 'triggered',
    levelIndex: 0,
    round: 0,
    dueAt: input.now + first.delaySeconds * 1000,
    startedAt: input.now,
    acknowledgedAt: null,
    ackTimeoutAt: null,
    resolvedAt: null,
    lastFiredDueAt: null,
    lastNotifiedLevel: null,
    lastNotifiedRound: null,
    roundRobinCursor,
    labels: { ...(input.labels ?? {}) },
    severity: input.severity ?? null,
  };
}

/** Acknowledging pauses escalation; with an ack timeout, it re-triggers when that lapses. */
export function acknowledgeEscalation(snapshot: EscalationSnapshot, state: EscalationState, now: number): EscalationState {
  if (state.status === 'resolved') throw conflict('the incident is resolved; there is nothing to acknowledge');
  const timeout = snapshot.policy.ackTimeoutSeconds;
  return {
    ...state,
    status: 'acknowledged',
    // Acknowledging again restarts the timeout ("snooze"), like PagerDuty.
    acknowledgedAt: now,
    ackTimeoutAt: timeout ? now + timeout * 1000 : null,
  };
}

/** Resolving stops everything, for good. */
export function resolveEscalation(state: EscalationState, now: number): EscalationState {
  if (state.status === 'resolved') return state;
  return { ...state, status: 'resolved', resolvedAt: now, dueAt: null, ackTimeoutAt: null };
}

function describeTarget(target: EscalationTarget): string {
  return `${target.type} ${target.id}`;
}

function uniqueUsers(lists: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  for (const list of lists) for (const user of list) seen.add(user);
  return [...seen];
}

/**
 * Plans what is due at `now`. Never pages for a resolved incident or during an acknowledgement;
 * re-triggers from the last paged level when an ack times out; after an outage applies the
 * snapshot's catch-up policy (see docs/oncall.md).
 */
export function planEscalation(
  snapshot: EscalationSnapshot,
  state: EscalationState,
  now: number,
  resolveTargets: ResolveTargets,
  /** The labels of the incident's alerts now, for level conditions (see {@link conditionMismatch}). */
  facts: { alertLabels?: readonly Readonly<Record<string, string>>[]; firingAlertLabels?: readonly Readonly<Record<string, string>>[] } = {},
): EscalationPlan {
  const { policy } = snapshot;
  const actions: EscalationAction[] = [];
  let s: EscalationState = { ...state, roundRobinCursor: { ...state.roundRobinCursor } };

  if (s.status === 'resolved') return { actions, next: null, state: s };

  if (s.status === 'acknowledged') {
    const timeoutAt = s.ackTimeoutAt ?? null;
    const resume: Step = {
      level: s.lastNotifiedLevel ?? s.levelIndex,
      round: s.lastNotifiedRound ?? s.round,
    };
    if (timeoutAt === null || now < timeoutAt) {
      const next: NextWakeUp | null = timeoutAt === null ? null : { dueAt: timeoutAt, ...resume, kind: 'ack-timeout' };
      return { actions, next, state: s };
    }
    actions.push({
      type: 'retrigger',
      at: timeoutAt,
      reason: `acknowledgement from ${new Date(s.acknowledgedAt ?? timeoutAt).toISOString()} timed out; resuming at level ${resume.level + 1}, round ${resume.round + 1}`,
    });
    s = {
      ...s,
      status: 'triggered',
      levelIndex: resume.level,
      round: resume.round,
      dueAt: timeoutAt,
      acknowledgedAt: null,
      ackTimeoutAt: null,
    };
  }

  const fire = (step: Step, dueAt: number): void => {
    const level = policy.levels[step.level] as EscalationLevel;
    const where = `level ${step.level + 1} of ${policy.levels.length}, round ${step.round + 1} of ${rounds(snapshot)}`;
    s.lastFiredDueAt = dueAt;
    const input = { labels: s.labels, severity: s.severity, alertLabels: facts.alertLabels, firingAlertLabels: facts.firingAlertLabels };
    const mismatch = conditionMismatch(policy.condition, input) ?? conditionMismatch(level.condition, input);
    if (mismatch !== null) {
      actions.push({ type: 'skip', ...step, dueAt, cause: 'condition', reason: `${where} skipped: ${mismatch}` });
      return;
    }
    let targets: EscalationTarget[] = [];
    let userIds: string[] = [];
    if (level.roundRobin) {
      const key = String(step.level);
      const cursor = s.roundRobinCursor[key] ?? 0;
      const n = level.targets.length;
      // Pass over targets nobody is on call for, so a round-robin firing still pages someone.
      let picked = 0;
      for (; picked < n; picked += 1) {
        const target = level.targets[(cursor + picked) % n] as EscalationTarget;
        const users = uniqueUsers([resolveTargets(target, now)]);
        if (users.length > 0) {
          targets = [target];
          userIds = users;
          break;
        }
      }
      // Move past the target paged; if nobody was found anywhere, still move on by one.
      s.roundRobinCursor[key] = (cursor + (picked < n ? picked + 1 : 1)) % n;
    } else {
      targets = [...level.targets];
      userIds = uniqueUsers(level.targets.map((t) => resolveTargets(t, now)));
    }
    if (userIds.length === 0) {
      actions.push({
        type: 'skip',
        ...step,
        dueAt,
        cause: 'no-users',
        reason: `${where}: nobody to page — ${level.targets.map(describeTarget).join(', ')} resolved to no users`,
      });
      return;
    }
    const lateByMs = Math.max(0, now - dueAt);
    const late = lateByMs > 0 ? `, ${Math.round(lateByMs / 1000)}s late (${policy.catchUp})` : '';
    actions.push({
      type: 'notify',
      ...step,
      userIds,
      targets,
      dueAt,
      lateByMs,
      key: `${step.level}:${step.round}:${dueAt}`,
      reason: `${where}${level.roundRobin ? ' (round-robin)' : ''}: ${targets.map(describeTarget).join(', ')} → ${userIds.join(', ')}${late}`,
    });
    s.lastNotifiedLevel = step.level;
    s.lastNotifiedRound = step.round;
  };

  // Each pass handles one due step (or one same-instant group); bounded by the policy's length.
  const maxPasses = policy.levels.length * rounds(snapshot) + 2;
  for (let pass = 0; pass < maxPasses; pass += 1) {
    const dueAt = s.dueAt;
    if (dueAt === null || now < dueAt) break;
    let current: Step = { level: s.levelIndex, round: s.round };
    let anchor: number;
    if (policy.catchUp === 'skip-to-current') {
      // Walk the original timeline to the latest step already due; fire every step due at that
      // same instant, report the earlier ones as skipped.
      const chain: { step: Step; dueAt: number }[] = [{ step: current, dueAt }];
      for (;;) {
        const last = chain[chain.length - 1] as { step: Step; dueAt: number };
        const after = stepAfter(snapshot, last.step);
        if (!after || last.dueAt + after.waitMs > now) break;
        chain.push({ step: { level: after.level, round: after.round }, dueAt: last.dueAt + after.waitMs });
      }
      const currentDue = (chain[chain.length - 1] as { dueAt: number }).dueAt;
      for (const item of chain) {
        if (item.dueAt < currentDue) {
          s.lastFiredDueAt = item.dueAt;
          actions.push({
            type: 'skip',
            ...item.step,
            dueAt: item.dueAt,
            cause: 'catch-up',
            reason: `level ${item.step.level + 1}, round ${item.step.round + 1} fell due during an outage and was superseded (skip-to-current)`,
          });
        } else {
          fire(item.step, item.dueAt);
        }
      }
      current = (chain[chain.length - 1] as { step: Step }).step;
      anchor = currentDue;
    } else {
      // late-but-once: the one pending step fires now, however late, and the next is timed from
      // now so responders get the full delay after the page that actually went out.
      fire(current, dueAt);
      anchor = now;
    }
    const after = stepAfter(snapshot, current);
    if (after) {
      s.levelIndex = after.level;
      s.round = after.round;
      s.dueAt = anchor + after.waitMs;
    } else {
      s.levelIndex = current.level;
      s.round = current.round;
      s.dueAt = null;
      actions.push({
        type: 'exhausted',
        reason: `escalation finished after ${rounds(snapshot)} round(s) without an acknowledgement`,
      });
    }
  }

  const next: NextWakeUp | null = s.dueAt === null ? null : { dueAt: s.dueAt, level: s.levelIndex, round: s.round, kind: 'step' };
  return { actions, next, state: s };
}
