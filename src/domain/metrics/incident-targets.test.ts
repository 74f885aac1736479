import { describe, expect, it } from 'vitest';
import { businessMsBetween, evaluateIncidentTargets } from './incident-targets.js';

const t0 = Date.parse('2026-03-01T10:00:00Z');
const min = 60_000;
const targets = { ackTargetSeconds: 300, resolveTargetSeconds: 3600 };

describe('evaluateIncidentTargets', () => {
  it.each([
    ['acknowledged in time', { acknowledgedAt: t0 + 4 * min, resolvedAt: null }, t0 + 10 * min, { targetSeconds: 300, actualSeconds: 240, met: true, outcome: 'met' }],
    ['exactly on the target is met', { acknowledgedAt: t0 + 5 * min, resolvedAt: null }, t0 + 10 * min, { actualSeconds: 300, met: true, outcome: 'met' }],
    ['acknowledged late', { acknowledgedAt: t0 + 6 * min, resolvedAt: null }, t0 + 10 * min, { actualSeconds: 360, met: false, outcome: 'missed' }],
    ['open, not acknowledged, not yet due', { acknowledgedAt: null, resolvedAt: null }, t0 + 4 * min, { actualSeconds: null, met: null, outcome: 'pending' }],
    ['open, not acknowledged, overdue', { acknowledgedAt: null, resolvedAt: null }, t0 + 6 * min, { actualSeconds: null, met: false, outcome: 'missed' }],
    ['cleared by itself before the ack target fell due', { acknowledgedAt: null, resolvedAt: t0 + 3 * min }, t0 + 60 * min, { actualSeconds: null, met: null, outcome: 'notApplicable' }],
    ['resolved unacknowledged after the ack target fell due', { acknowledgedAt: null, resolvedAt: t0 + 20 * min }, t0 + 60 * min, { actualSeconds: null, met: false, outcome: 'missed' }],
  ])('ack: %s', (_name, moments, now, expected) => {
    expect(evaluateIncidentTargets({ detectedAt: t0, ...moments }, targets, now).ack).toMatchObject(expected);
  });

  it.each([
    ['resolved in time', t0 + 59 * min, t0 + 90 * min, { actualSeconds: 3540, met: true, outcome: 'met' }],
    ['resolved late', t0 + 61 * min, t0 + 90 * min, { actualSeconds: 3660, met: false, outcome: 'missed' }],
    ['open and overdue', null, t0 + 61 * min, { actualSeconds: null, met: false, outcome: 'missed' }],
  ])('resolve: %s', (_name, resolvedAt, now, expected) => {
    expect(evaluateIncidentTargets({ detectedAt: t0, acknowledgedAt: t0, resolvedAt }, targets, now).resolve).toMatchObject(expected);
  });

  it('a severity without targets is not applicable, with the actual time still given', () => {
    const r = evaluateIncidentTargets({ detectedAt: t0, acknowledgedAt: t0 + min, resolvedAt: t0 + 2 * min }, { ackTargetSeconds: null, resolveTargetSeconds: null }, t0 + 3 * min);
    expect(r).toEqual({
      ack: { targetSeconds: null, actualSeconds: 60, met: null, outcome: 'notApplicable' },
      resolve: { targetSeconds: null, actualSeconds: 120, met: null, outcome: 'notApplicable' },
    });
  });
});

describe('business-hours targets ("next business day")', () => {
  const at = (iso: string) => Date.parse(iso);
  it.each([
    // from, to, business hours between (Mon–Fri 09:00–17:00 UTC)
    ['2026-03-06T16:00:00Z', '2026-03-09T10:00:00Z', 2], // Friday 16:00 → Monday 10:00
    ['2026-03-07T10:00:00Z', '2026-03-08T20:00:00Z', 0], // a weekend
    ['2026-03-02T08:00:00Z', '2026-03-02T18:00:00Z', 8], // a whole Monday
    ['2026-03-02T12:00:00Z', '2026-03-02T12:00:00Z', 0],
  ])('%s → %s is %i business hours', (from, to, hours) => expect(businessMsBetween(at(from), at(to))).toBe(hours * 3_600_000));

  it('a Friday-evening incident acknowledged Monday morning meets an 8 h business-hours target, and misses it on the wall clock', () => {
    const moments = { detectedAt: at('2026-03-06T18:00:00Z'), acknowledgedAt: at('2026-03-09T11:00:00Z'), resolvedAt: null };
    expect(evaluateIncidentTargets(moments, { ackTargetSeconds: 8 * 3600, resolveTargetSeconds: null, businessHours: true }, at('2026-03-09T12:00:00Z')).ack).toMatchObject({ outcome: 'met', actualSeconds: 2 * 3600 });
    expect(evaluateIncidentTargets(moments, { ackTargetSeconds: 8 * 3600, resolveTargetSeconds: null }, at('2026-03-09T12:00:00Z')).ack.outcome).toBe('missed');
  });

  it('an immediate (0) target is met only by an acknowledgement at detection', () => {
    const t = at('2026-03-02T12:00:00Z');
    expect(evaluateIncidentTargets({ detectedAt: t, acknowledgedAt: t, resolvedAt: null }, { ackTargetSeconds: 0, resolveTargetSeconds: null }, t).ack.outcome).toBe('met');
    expect(evaluateIncidentTargets({ detectedAt: t, acknowledgedAt: t + 60_000, resolvedAt: null }, { ackTargetSeconds: 0, resolveTargetSeconds: null }, t).ack.outcome).toBe('missed');
  });
});
