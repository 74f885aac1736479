import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { parseSchedule } from '../oncall/schedule.js';
import { whoIsOnCall } from '../oncall/who-is-on-call.js';
import type { EscalationAction, EscalationPlan, EscalationState, ResolveTargets } from './plan-escalation.js';
import { acknowledgeEscalation, parseEscalationState, planEscalation, resolveEscalation, startEscalation } from './plan-escalation.js';
import type { EscalationSnapshot, EscalationTarget } from './policy.js';
import { snapshotPolicy } from './policy.js';

const S = 1000;
const M = 60 * S;
const T0 = Date.parse('2026-03-04T10:00:00Z');

const teams: Record<string, string[]> = { ops: ['olga', 'omar'], empty: [] };
const resolveTargets: ResolveTargets = (target) => {
  switch (target.type) {
    case 'user':
      return [target.id];
    case 'schedule':
      return target.id === 'sch_gap' ? [] : [`oncall:${target.id}`];
    case 'team':
      return teams[target.id] ?? [];
  }
};

const user = (id: string): EscalationTarget => ({ type: 'user', id });

function notifies(actions: EscalationAction[]): [number, number, string[]][] {
  return actions.flatMap((a) => (a.type === 'notify' ? [[a.level, a.round, a.userIds] as [number, number, string[]]] : []));
}

/** Drives the planner like the worker does: wake at `next.dueAt`, persist the state, repeat. */
function walk(snapshot: EscalationSnapshot, state: EscalationState, until: number, lateness: (i: number) => number = () => 0) {
  const all: { at: number; actions: EscalationAction[] }[] = [];
  let plan: EscalationPlan = { actions: [], next: null, state };
  let current = state;
  let wake: number | null = state.dueAt;
  for (let i = 0; wake !== null && wake <= until && i < 500; i += 1) {
    const at = wake + lateness(i);
    plan = planEscalation(snapshot, current, at, resolveTargets);
    all.push({ at, actions: plan.actions });
    current = plan.state;
    wake = plan.next?.dueAt ?? null;
  }
  return { steps: all, state: current, next: plan.next };
}

describe('planEscalation: end to end', () => {
  const snapshot = snapshotPolicy(
    {
      levels: [
        { delaySeconds: 0, targets: [{ type: 'schedule', id: 'sch_primary' }] },
        { delaySeconds: 300, targets: [user('lead')] },
        { delaySeconds: 600, targets: [{ type: 'team', id: 'ops' }] },
      ],
      repeat: 1,
    },
    T0,
  );

  it('incident opens → level 1 paged → no ack → level 2 → ack → nothing more', () => {
    let state = startEscalation(snapshot, { now: T0, severity: 'SEV1' });
    let plan = planEscalation(snapshot, state, T0, resolveTargets);
    expect(notifies(plan.actions)).toEqual([[0, 0, ['oncall:sch_primary']]]);
    expect(plan.next).toEqual({ dueAt: T0 + 5 * M, level: 1, round: 0, kind: 'step' });
    state = plan.state;

    // A timer that fires early changes nothing.
    plan = planEscalation(snapshot, state, T0 + 4 * M, resolveTargets);
    expect(plan.actions).toEqual([]);
    expect(plan.state).toEqual(state);

    plan = planEscalation(snapshot, state, T0 + 5 * M, resolveTargets);
    expect(notifies(plan.actions)).toEqual([[1, 0, ['lead']]]);
    expect(plan.next?.dueAt).toBe(T0 + 15 * M);
    state = acknowledgeEscalation(snapshot, plan.state, T0 + 7 * M);

    for (const at of [T0 + 15 * M, T0 + 60 * M, T0 + 30 * 24 * 60 * M]) {
      const after = planEscalation(snapshot, state, at, resolveTargets);
      expect(after.actions).toEqual([]);
      expect(after.next).toBeNull();
    }
  });

  it('repeats the whole policy, then stops with an "exhausted" action', () => {
    const start = startEscalation(snapshot, { now: T0 });
    const { steps, state, next } = walk(snapshot, start, T0 + 24 * 60 * M);
    const fired = steps.flatMap((s) => notifies(s.actions).map(([level, round]) => [level, round, (s.at - T0) / M]));
    expect(fired).toEqual([
      [0, 0, 0],
      [1, 0, 5],
      [2, 0, 15],
      [0, 1, 20], // repeatDelaySeconds defaults to 5 minutes
      [1, 1, 25],
      [2, 1, 35],
    ]);
    expect(steps.at(-1)?.actions.at(-1)).toMatchObject({ type: 'exhausted' });
    expect(next).toBeNull();
    expect(state.dueAt).toBeNull();
    expect(planEscalation(snapshot, state, T0 + 48 * 60 * M, resolveTargets).actions).toEqual([]);
  });

  it('resolve stops everything', () => {
    const state = resolveEscalation(startEscalation(snapshot, { now: T0 }), T0 + 1);
    expect(planEscalation(snapshot, state, T0 + 60 * M, resolveTargets)).toMatchObject({ actions: [], next: null });
    expect(() => acknowledgeEscalation(snapshot, state, T0 + 2)).toThrow(AppError);
  });

  it('notify actions carry a stable key per step firing', () => {
    const state = startEscalation(snapshot, { now: T0 });
    const a = planEscalation(snapshot, state, T0, resolveTargets);
    const b = planEscalation(snapshot, state, T0, resolveTargets);
    expect(a).toEqual(b);
    expect(a.actions[0]).toMatchObject({ type: 'notify', key: `0:0:${T0}`, lateByMs: 0 });
  });

  it('state survives a JSON round trip', () => {
    const plan = planEscalation(snapshot, startEscalation(snapshot, { now: T0, labels: { a: 'b' } }), T0, resolveTargets);
    expect(parseEscalationState(JSON.parse(JSON.stringify(plan.state)))).toEqual(plan.state);
  });
});

describe('acknowledgement timeout', () => {
  const snapshot = snapshotPolicy(
    {
      levels: [
        { delaySeconds: 0, targets: [user('first')] },
        { delaySeconds: 600, targets: [user('second')] },
        { delaySeconds: 600, targets: [user('third')] },
      ],
      ackTimeoutSeconds: 120,
    },
    T0,
  );

  it('re-triggers once at the timeout and resumes from the acknowledged level', () => {
    let plan = planEscalation(snapshot, startEscalation(snapshot, { now: T0 }), T0, resolveTargets);
    plan = planEscalation(snapshot, plan.state, T0 + 10 * M, resolveTargets); // level 2 paged
    expect(notifies(plan.actions)).toEqual([[1, 0, ['second']]]);
    const acked = acknowledgeEscalation(snapshot, plan.state, T0 + 11 * M);
    expect(acked.ackTimeoutAt).toBe(T0 + 13 * M);

    const waiting = planEscalation(snapshot, acked, T0 + 13 * M - 1, resolveTargets);
    expect(waiting.actions).toEqual([]);
    expect(waiting.next).toEqual({ dueAt: T0 + 13 * M, level: 1, round: 0, kind: 'ack-timeout' });

    const retriggered = planEscalation(snapshot, acked, T0 + 13 * M, resolveTargets);
    expect(retriggered.actions.map((a) => a.type)).toEqual(['retrigger', 'notify']);
    expect(notifies(retriggered.actions)).toEqual([[1, 0, ['second']]]);
    expect(retriggered.state.status).toBe('triggered');
    expect(retriggered.next).toEqual({ dueAt: T0 + 23 * M, level: 2, round: 0, kind: 'step' });

    // Planning the same re-triggered state again (a retried timer) is the worker's fencing job;
    // planning the new state early does nothing.
    expect(planEscalation(snapshot, retriggered.state, T0 + 14 * M, resolveTargets).actions).toEqual([]);
  });

  it('acknowledging again restarts the timeout', () => {
    const started = planEscalation(snapshot, startEscalation(snapshot, { now: T0 }), T0, resolveTargets).state;
    const first = acknowledgeEscalation(snapshot, started, T0 + M);
    const second = acknowledgeEscalation(snapshot, first, T0 + 2 * M);
    expect(second.ackTimeoutAt).toBe(T0 + 4 * M);
    expect(planEscalation(snapshot, second, T0 + 3 * M, resolveTargets).actions).toEqual([]);
  });
});

describe('conditions, round-robin and empty targets', () => {
  it('"coordinator down → on-call", "quorum lost → on-call and team lead"', () => {
    const snapshot = snapshotPolicy(
      {
        levels: [
          { delaySeconds: 0, targets: [{ type: 'schedule', id: 'sch_db' }], condition: { matchers: [{ name: 'alertname', op: '=~', value: 'CoordinatorDown|QuorumLost' }] } },
          { delaySeconds: 0, targets: [user('team-lead')], condition: { matchers: [{ name: 'alertname', op: '=', value: 'QuorumLost' }] } },
          { delaySeconds: 900, targets: [user('manager')], condition: { severities: ['SEV1'] } },
        ],
      },
      T0,
    );
    const run = (labels: Record<string, string>, severity: string) => {
      const { steps } = walk(snapshot, startEscalation(snapshot, { now: T0, labels, severity }), T0 + 60 * M);
      return steps.flatMap((s) => s.actions);
    };
    const coordinator = run({ alertname: 'CoordinatorDown' }, 'SEV2');
    expect(notifies(coordinator)).toEqual([[0, 0, ['oncall:sch_db']]]);
    expect(coordinator.filter((a) => a.type === 'skip').map((a) => a.type === 'skip' && [a.level, a.cause])).toEqual([
      [1, 'condition'],
      [2, 'condition'],
    ]);
    const quorum = run({ alertname: 'QuorumLost' }, 'SEV1');
    expect(notifies(quorum)).toEqual([
      [0, 0, ['oncall:sch_db']],
      [1, 0, ['team-lead']],
      [2, 0, ['manager']],
    ]);
    // A skipped level still takes its place on the timeline: the manager comes at 15 min either way.
    expect(notifies(run({ alertname: 'Other' }, 'SEV1'))).toEqual([[2, 0, ['manager']]]);
  });

  it('a policy-wide condition gates every level', () => {
    const snapshot = snapshotPolicy({ levels: [{ delaySeconds: 0, targets: [user('a')] }], condition: { severities: ['P1'] } }, T0);
    const plan = planEscalation(snapshot, startEscalation(snapshot, { now: T0, severity: 'P3' }), T0, resolveTargets);
    expect(plan.actions[0]).toMatchObject({ type: 'skip', cause: 'condition' });
  });

  it('round-robin pages one target per firing, rotating, and passes over targets with nobody on call', () => {
    const snapshot = snapshotPolicy(
      {
        levels: [{ delaySeconds: 0, roundRobin: true, targets: [user('u1'), { type: 'schedule', id: 'sch_gap' }, user('u3')] }],
        repeat: 3,
        repeatDelaySeconds: 60,
      },
      T0,
    );
    const { steps } = walk(snapshot, startEscalation(snapshot, { now: T0 }), T0 + 60 * M);
    expect(steps.flatMap((s) => notifies(s.actions).map(([, , users]) => users[0]))).toEqual(['u1', 'u3', 'u1', 'u3']);
    const seeded = walk(snapshot, startEscalation(snapshot, { now: T0, roundRobinSeed: 2 }), T0 + 60 * M);
    expect(seeded.steps.flatMap((s) => notifies(s.actions).map(([, , users]) => users[0]))).toEqual(['u3', 'u1', 'u3', 'u1']);
  });

  it('a level whose targets resolve to nobody is reported, not silently dropped', () => {
    const snapshot = snapshotPolicy({ levels: [{ delaySeconds: 0, targets: [{ type: 'team', id: 'empty' }, { type: 'schedule', id: 'sch_gap' }] }] }, T0);
    const plan = planEscalation(snapshot, startEscalation(snapshot, { now: T0 }), T0, resolveTargets);
    expect(plan.actions[0]).toMatchObject({ type: 'skip', cause: 'no-users' });
  });

  it('de-duplicates users across a level’s targets and resolves schedules with whoIsOnCall', () => {
    const schedule = parseSchedule({
      timeZone: 'Europe/Berlin',
      layers: [{ id: 'l', name: 'L', rotation: { type: 'daily', handoffTime: '09:00', startDate: '2026-03-01', members: ['olga', 'zoe'] } }],
    });
    const viaSchedule: ResolveTargets = (t, at) => (t.type === 'schedule' ? whoIsOnCall(schedule, at).userIds : resolveTargets(t, at));
    const snapshot = snapshotPolicy({ levels: [{ delaySeconds: 0, targets: [{ type: 'schedule', id: 's' }, { type: 'team', id: 'ops' }] }] }, T0);
    const plan = planEscalation(snapshot, startEscalation(snapshot, { now: T0 }), T0, viaSchedule);
    // 2026-03-04 is turn 3 → zoe? turns: 03-01 olga, 03-02 zoe, 03-03 olga, 03-04 zoe.
    expect(notifies(plan.actions)).toEqual([[0, 0, ['zoe', 'olga', 'omar']]]);
  });
});

describe('catch-up after an outage', () => {
  const levels = [
    { delaySeconds: 0, targets: [user('l0')] },
    { delaySeconds: 300, targets: [user('l1')] },
    { delaySeconds: 300, targets: [user('l2')] },
  ];

  it('late-but-once fires exactly the one due step, then times the next from now', () => {
    const snapshot = snapshotPolicy({ levels, repeat: 1 }, T0);
    const afterFirst = planEscalation(snapshot, startEscalation(snapshot, { now: T0 }), T0, resolveTargets).state;
    const back = T0 + 60 * M; // down for an hour; level 1 was due at +5 min
    const plan = planEscalation(snapshot, afterFirst, back, resolveTargets);
    expect(notifies(plan.actions)).toEqual([[1, 0, ['l1']]]);
    expect(plan.actions[0]).toMatchObject({ lateByMs: 55 * M, dueAt: T0 + 5 * M });
    expect(plan.next).toEqual({ dueAt: back + 5 * M, level: 2, round: 0, kind: 'step' });
  });

  it('skip-to-current jumps to the level that should be active now and fires only it', () => {
    const snapshot = snapshotPolicy({ levels, repeat: 1, catchUp: 'skip-to-current' }, T0);
    const afterFirst = planEscalation(snapshot, startEscalation(snapshot, { now: T0 }), T0, resolveTargets).state;
    // Original timeline: l1 +5, l2 +10, l0 (round 2) +15, l1 +20, l2 +25.
    const plan = planEscalation(snapshot, afterFirst, T0 + 17 * M, resolveTargets);
    expect(notifies(plan.actions)).toEqual([[0, 1, ['l0']]]);
    expect(plan.actions.filter((a) => a.type === 'skip').map((a) => a.type === 'skip' && [a.level, a.round, a.cause])).toEqual([
      [1, 0, 'catch-up'],
      [2, 0, 'catch-up'],
    ]);
    expect(plan.next).toEqual({ dueAt: T0 + 20 * M, level: 1, round: 1, kind: 'step' });
    // Past the end of the policy: the final level is the one active now.
    const late = planEscalation(snapshot, afterFirst, T0 + 5 * 60 * M, resolveTargets);
    expect(notifies(late.actions)).toEqual([[2, 1, ['l2']]]);
    expect(late.next).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const policyArb = fc.record({
  levels: fc.array(
    fc.record({
      delaySeconds: fc.constantFrom(0, 30, 60, 300, 900),
      targets: fc.array(fc.constantFrom<EscalationTarget>(user('a'), user('b'), { type: 'schedule', id: 's' }, { type: 'team', id: 'ops' }), {
        minLength: 1,
        maxLength: 3,
      }),
      roundRobin: fc.boolean(),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  repeat: fc.integer({ min: 0, max: 3 }),
  repeatDelaySeconds: fc.constantFrom(0, 60, 300),
  ackTimeoutSeconds: fc.option(fc.constantFrom(60, 600, 3600), { nil: null }),
  catchUp: fc.constantFrom('late-but-once' as const, 'skip-to-current' as const),
});

describe('properties', () => {
  it('(3a) never notifies while acknowledged (before the timeout) or resolved', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 0, max: 3600 }),
        fc.integer({ min: 0, max: 48 * 3600 }),
        fc.boolean(),
        (policy, ackAfterSeconds, laterSeconds, resolve) => {
          const snapshot = snapshotPolicy(policy, T0);
          const ackAt = T0 + ackAfterSeconds * S;
          const { state } = walk(snapshot, startEscalation(snapshot, { now: T0 }), ackAt);
          const stopped = resolve ? resolveEscalation(state, ackAt) : acknowledgeEscalation(snapshot, state, ackAt);
          const at = ackAt + laterSeconds * S;
          const plan = planEscalation(snapshot, stopped, at, resolveTargets);
          const beforeTimeout = stopped.ackTimeoutAt == null || at < stopped.ackTimeoutAt;
          if (resolve || beforeTimeout) {
            expect(plan.actions.filter((a) => a.type === 'notify')).toEqual([]);
          }
          if (resolve) expect(plan.next).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('(3b) walking from trigger to the end emits each level exactly once per round', () => {
    fc.assert(
      fc.property(policyArb, fc.array(fc.integer({ min: 0, max: 2 * 3600 }), { maxLength: 30 }), (policy, delays) => {
        const snapshot = snapshotPolicy(policy, T0);
        // late-but-once tolerates any worker lateness; skip-to-current is walked on time.
        const lateness = (i: number) => (policy.catchUp === 'late-but-once' ? (delays[i] ?? 0) * S : 0);
        const { steps, next, state } = walk(snapshot, startEscalation(snapshot, { now: T0 }), Number.MAX_SAFE_INTEGER, lateness);
        const counts = new Map<string, number>();
        for (const [level, round] of steps.flatMap((s) => notifies(s.actions))) {
          counts.set(`${level}:${round}`, (counts.get(`${level}:${round}`) ?? 0) + 1);
        }
        const expected = new Map<string, number>();
        for (let round = 0; round <= policy.repeat; round += 1) {
          for (let level = 0; level < policy.levels.length; level += 1) expected.set(`${level}:${round}`, 1);
        }
        expect(counts).toEqual(expected);
        expect(next).toBeNull();
        expect(state.dueAt).toBeNull();
        expect(steps.flatMap((s) => s.actions).filter((a) => a.type === 'exhausted')).toHaveLength(1);
        // Steps fire in order and never before they are due.
        for (const s of steps) for (const a of s.actions) if (a.type === 'notify') expect(s.at).toBeGreaterThanOrEqual(a.dueAt);
      }),
      { numRuns: 300 },
    );
  });
});
