import type { EscalationState } from './plan-escalation.js';
import { conditionMismatch, type EscalationSnapshot } from './policy.js';

/**
 * What a raised severity means for an escalation already under way. Conditions are evaluated at
 * each level's due time, so the levels still ahead take the new severity into account by
 * themselves; the levels already behind were evaluated against the old one. A level behind whose
 * condition failed for the old severity and holds for the new ("level 2: SEV1 only → the
 * engineering manager") was never paged and never will be, unless it is paged now. No I/O.
 */
export function levelsNewlyDue(snapshot: EscalationSnapshot, state: EscalationState, from: string, to: string): number[] {
  const { levels } = snapshot.policy;
  const labels = state.labels;
  // Every level has run at least once after the first round, or once the policy is exhausted.
  const behind = state.round > 0 || state.dueAt === null ? levels.length : state.levelIndex;
  if (conditionMismatch(snapshot.policy.condition, { severity: to, labels }) !== null) return [];
  const policyHeldBefore = conditionMismatch(snapshot.policy.condition, { severity: from, labels }) === null;
  const due: number[] = [];
  for (let i = 0; i < Math.min(behind, levels.length); i++) {
    const condition = levels[i]!.condition;
    const holdsNow = conditionMismatch(condition, { severity: to, labels }) === null;
    const heldBefore = policyHeldBefore && conditionMismatch(condition, { severity: from, labels }) === null;
    if (holdsNow && !heldBefore) due.push(i);
  }
  return due;
}

/** Ranks: 1 is the most severe. A raise moves to a smaller rank; unknown ranks are never a raise. */
export function isSeverityRaise(ranks: ReadonlyMap<string, number>, from: string, to: string): boolean {
  const a = ranks.get(from);
  const b = ranks.get(to);
  return a !== undefined && b !== undefined && b < a;
}
