import { describe, expect, it } from 'vitest';
import { startEscalation, type EscalationState } from './plan-escalation.js';
import { parseEscalationPolicy, snapshotPolicy } from './policy.js';
import { isSeverityRaise, levelsNewlyDue } from './severity-raise.js';

const policy = parseEscalationPolicy({
  name: 'Database',
  levels: [
    { delaySeconds: 0, targets: [{ type: 'schedule', id: 'primary' }] },
    { delaySeconds: 300, targets: [{ type: 'user', id: 'manager' }], condition: { severities: ['SEV1'] } },
    { delaySeconds: 600, targets: [{ type: 'user', id: 'cto' }], condition: { severities: ['SEV1', 'SEV2'] } },
    { delaySeconds: 600, targets: [{ type: 'team', id: 'dba' }] },
  ],
});
const snapshot = snapshotPolicy(policy, 0);
const at = (levelIndex: number, extra: Partial<EscalationState> = {}): EscalationState => ({ ...startEscalation(snapshot, { now: 0, severity: 'SEV3' }), levelIndex, ...extra });

describe('levelsNewlyDue', () => {
  it.each([
    ['nothing has run yet', at(0), 'SEV3', 'SEV1', []],
    ['level 1 ran; level 2 (SEV1 only) is still ahead and will see SEV1 itself', at(1), 'SEV3', 'SEV1', []],
    ['levels 1-3 ran; level 2 was skipped for SEV3 and holds now', at(3), 'SEV3', 'SEV1', [1, 2]],
    ['raised to SEV2: only the SEV1/SEV2 level is newly due', at(3), 'SEV3', 'SEV2', [2]],
    ['SEV2 → SEV1: level 3 held already and was paged', at(3), 'SEV2', 'SEV1', [1]],
    ['a later round: every level is behind', at(0, { round: 1 }), 'SEV3', 'SEV1', [1, 2]],
    ['exhausted: every level is behind', at(3, { dueAt: null }), 'SEV4', 'SEV1', [1, 2]],
    ['lowered: nothing', at(3), 'SEV1', 'SEV3', []],
  ] as const)('%s', (_name, state, from, to, expected) => {
    expect(levelsNewlyDue(snapshot, state, from, to)).toEqual(expected);
  });

  it('a policy whose own condition excluded the old severity: every unconditioned level behind is due too', () => {
    const gated = snapshotPolicy(parseEscalationPolicy({ ...policy, condition: { severities: ['SEV1'] } }), 0);
    expect(levelsNewlyDue(gated, at(4, { dueAt: null }), 'SEV3', 'SEV1')).toEqual([0, 1, 2, 3]);
    expect(levelsNewlyDue(gated, at(4, { dueAt: null }), 'SEV3', 'SEV2')).toEqual([]);
  });
});

describe('isSeverityRaise', () => {
  const ranks = new Map([['SEV1', 1], ['SEV2', 2], ['SEV3', 3]]);
  it.each([
    ['SEV3', 'SEV1', true],
    ['SEV2', 'SEV1', true],
    ['SEV1', 'SEV2', false],
    ['SEV2', 'SEV2', false],
    ['SEV9', 'SEV1', false],
  ] as const)('%s → %s: %s', (from, to, expected) => {
    expect(isSeverityRaise(ranks, from, to)).toBe(expected);
  });
});
