import { describe, expect, it } from 'vitest';
import { evaluateTargets } from './evaluate-targets.js';

const t0 = Date.parse('2026-03-01T10:00:00Z');
const min = 60_000;

describe('evaluateTargets', () => {
  it.each([
    ['acknowledged in time', { acknowledgedAt: t0 + 4 * min }, t0 + 10 * min, 'met', 240],
    ['acknowledged late', { acknowledgedAt: t0 + 6 * min }, t0 + 10 * min, 'missed', 360],
    ['exactly on the due time counts as met', { acknowledgedAt: t0 + 5 * min }, t0 + 10 * min, 'met', 300],
    ['not yet acknowledged, still within target', {}, t0 + 2 * min, 'pending', 120],
    ['not acknowledged and past due', {}, t0 + 7 * min, 'missed', 420],
  ])('%s', (_name, moments, now, state, elapsed) => {
    const [ack] = evaluateTargets({ acknowledgeSeconds: 300 }, { detectedAt: t0, acknowledgedAt: null, mitigatedAt: null, resolvedAt: null, ...moments }, now);
    expect(ack).toMatchObject({ kind: 'acknowledge', state, elapsedSeconds: elapsed, dueAt: t0 + 5 * min });
  });

  it('evaluates only the targets the runbook sets, in lifecycle order', () => {
    const result = evaluateTargets({ resolveSeconds: 3600, mitigateSeconds: 600 }, { detectedAt: t0, acknowledgedAt: t0, mitigatedAt: t0 + 11 * min, resolvedAt: t0 + 30 * min }, t0 + 40 * min);
    expect(result.map((r) => [r.kind, r.state])).toEqual([['mitigate', 'missed'], ['resolve', 'met']]);
  });
});
