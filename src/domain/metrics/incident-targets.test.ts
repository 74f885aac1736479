import { describe, expect, it } from 'vitest';
import { evaluateIncidentTargets } from './incident-targets.js';

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
