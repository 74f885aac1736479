import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { conditionMismatch, matchesLabel, parseEscalationPolicy, parseEscalationSnapshot, snapshotPolicy } from './policy.js';

const policy = {
  id: 'pol_1',
  name: 'Payments',
  levels: [
    { delaySeconds: 0, targets: [{ type: 'schedule', id: 'sch_primary' }] },
    { delaySeconds: 600, targets: [{ type: 'user', id: 'usr_lead' }], condition: { severities: ['SEV1'] } },
  ],
  repeat: 1,
};

function fieldsOf(input: unknown): string[] {
  try {
    parseEscalationPolicy(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION');
    return (error as AppError).issues.map((i) => i.field);
  }
  throw new Error('expected a validation error');
}

describe('escalation policy schema', () => {
  it('fills defaults', () => {
    const parsed = parseEscalationPolicy({ levels: policy.levels });
    expect(parsed).toMatchObject({ repeat: 0, repeatDelaySeconds: 300, catchUp: 'late-but-once' });
  });

  it.each([
    ['no levels', { levels: [] }, 'levels'],
    ['no targets', { levels: [{ delaySeconds: 0, targets: [] }] }, 'levels.0.targets'],
    ['bad target type', { levels: [{ delaySeconds: 0, targets: [{ type: 'pager', id: 'x' }] }] }, 'levels.0.targets.0.type'],
    ['negative delay', { levels: [{ delaySeconds: -1, targets: [{ type: 'user', id: 'u' }] }] }, 'levels.0.delaySeconds'],
    ['bad regex', { levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: 'u' }], condition: { matchers: [{ name: 'a', op: '=~', value: '(' }] } }] }, 'levels.0.condition.matchers.0.value'],
    ['bad op', { levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: 'u' }], condition: { matchers: [{ name: 'a', op: '~=', value: 'x' }] } }] }, 'levels.0.condition.matchers.0.op'],
    ['bad catch-up', { ...policy, catchUp: 'never' }, 'catchUp'],
    ['too many repeats', { ...policy, repeat: 99 }, 'repeat'],
    ['ack timeout too short', { ...policy, ackTimeoutSeconds: 5 }, 'ackTimeoutSeconds'],
  ])('names the bad field: %s', (_name, input, field) => {
    expect(fieldsOf(input)).toContain(field);
  });
});

describe('snapshotPolicy', () => {
  it('copies, defaults and freezes the policy, so later edits change nothing in flight', () => {
    const source = structuredClone(policy);
    const snapshot = snapshotPolicy(source, 1_000);
    expect(snapshot).toMatchObject({ schemaVersion: 1, takenAt: 1_000, policyId: 'pol_1' });
    source.levels[0]!.delaySeconds = 999;
    source.levels.push({ delaySeconds: 1, targets: [{ type: 'user', id: 'x' }] } as never);
    expect(snapshot.policy.levels).toHaveLength(2);
    expect(snapshot.policy.levels[0]?.delaySeconds).toBe(0);
    expect(Object.isFrozen(snapshot.policy.levels[0])).toBe(true);
    expect(Object.isFrozen(snapshot.policy.levels[1]?.condition?.severities)).toBe(true);
    // …and the caller's objects stay theirs, unfrozen.
    expect(Object.isFrozen(source.levels[1]?.targets[0])).toBe(false);
    expect(Object.isFrozen(source.levels[1]?.condition)).toBe(false);
  });

  it('round-trips through JSON storage', () => {
    const snapshot = snapshotPolicy(policy, 5);
    expect(parseEscalationSnapshot(JSON.parse(JSON.stringify(snapshot)))).toEqual(snapshot);
  });

  it('rejects an invalid policy', () => {
    expect(() => snapshotPolicy({ levels: [] }, 0)).toThrow(AppError);
  });
});

describe('conditions', () => {
  it.each([
    [{ name: 'role', op: '=', value: 'coordinator' }, { role: 'coordinator' }, true],
    [{ name: 'role', op: '=', value: 'coordinator' }, { role: 'worker' }, false],
    [{ name: 'role', op: '!=', value: 'coordinator' }, {}, true], // missing label counts as ""
    [{ name: 'role', op: '=~', value: 'coord.*' }, { role: 'coordinator' }, true],
    [{ name: 'role', op: '=~', value: 'coord' }, { role: 'coordinator' }, false], // fully anchored
    [{ name: 'role', op: '!~', value: 'coord.*' }, { role: 'worker' }, true],
    [{ name: 'role', op: '=~', value: '.*' }, {}, true],
    [{ name: 'role', op: '=', value: '' }, {}, true],
  ] as const)('%o on %o → %s', (matcher, labels, expected) => {
    expect(matchesLabel(matcher, labels)).toBe(expected);
  });

  it('needs every part to hold', () => {
    const condition = { severities: ['SEV1', 'SEV2'], matchers: [{ name: 'alertname', op: '=' as const, value: 'QuorumLost' }] };
    expect(conditionMismatch(condition, { labels: { alertname: 'QuorumLost' }, severity: 'SEV1' })).toBeNull();
    expect(conditionMismatch(condition, { labels: { alertname: 'QuorumLost' }, severity: 'SEV3' })).toMatch(/severity SEV3/);
    expect(conditionMismatch(condition, { labels: {}, severity: 'SEV1' })).toMatch(/alertname/);
    expect(conditionMismatch(undefined, { labels: {}, severity: null })).toBeNull();
  });
});

describe("conditions against the incident's alerts", () => {
  const coordinator = { matchers: [{ name: 'component', op: '=' as const, value: 'coordinator' }, { name: 'env', op: '=' as const, value: 'prod' }] };
  const alerts = [
    { alertname: 'NodeDown', component: 'worker', env: 'prod' },
    { alertname: 'NodeDown', component: 'coordinator', env: 'staging' },
  ];
  it.each([
    ['one alert matches every matcher', [...alerts, { alertname: 'NodeDown', component: 'coordinator', env: 'prod' }], null],
    ['matchers never combine across two alerts', alerts, /no alert of the incident \(2\) matches component="coordinator", env="prod"/],
    ['no alerts: the incident labels decide', [], /label matcher component="coordinator" does not match/],
  ])('%s', (_name, alertLabels, expected) => {
    const result = conditionMismatch(coordinator, { labels: {}, severity: 'SEV1', alertLabels });
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatch(expected);
  });
  it('a negative matcher needs one alert it holds for', () => {
    const notWorker = { matchers: [{ name: 'component', op: '!=' as const, value: 'worker' }] };
    expect(conditionMismatch(notWorker, { labels: {}, severity: null, alertLabels: [alerts[0]!] })).not.toBeNull();
    expect(conditionMismatch(notWorker, { labels: {}, severity: null, alertLabels: alerts })).toBeNull();
  });
});
