import { describe, expect, it } from 'vitest';
import { bucketStart, buildIncidentReport, type IncidentRow } from './build-report.js';

const at = (iso: string) => Date.parse(iso);
const min = 60_000;
let n = 0;
const incident = (over: Partial<IncidentRow> & { detectedAt: number }): IncidentRow => ({
  id: `inc_${++n}`, number: n, severity: 'SEV2', serviceSlug: 'api', teamSlug: 'core', isDrill: false,
  declaredAt: over.detectedAt, acknowledgedAt: null, mitigatedAt: null, resolvedAt: null,
  ackTargetSeconds: 900, resolveTargetSeconds: 14_400, ...over,
});

describe('bucketStart', () => {
  it.each([
    ['a Wednesday goes to its Monday', '2026-03-04T15:00:00Z', 'week', '2026-03-02T00:00:00.000Z'],
    ['a Sunday goes to the Monday before', '2026-03-08T23:59:00Z', 'week', '2026-03-02T00:00:00.000Z'],
    ['a Monday is its own start', '2026-03-02T00:00:00Z', 'week', '2026-03-02T00:00:00.000Z'],
    ['month', '2026-02-28T23:00:00Z', 'month', '2026-02-01T00:00:00.000Z'],
  ] as const)('%s', (_name, when, bucket, expected) => {
    expect(new Date(bucketStart(at(when), bucket)).toISOString()).toBe(expected);
  });
});

describe('buildIncidentReport', () => {
  const t0 = at('2026-03-02T10:00:00Z');
  const rows = [
    // detected 2 min before declared; acked at +4, mitigated +20, resolved +30
    incident({ detectedAt: t0, declaredAt: t0 + 2 * min, acknowledgedAt: t0 + 4 * min, mitigatedAt: t0 + 20 * min, resolvedAt: t0 + 30 * min }),
    // acked late (+20 > 15 min target), resolved at +5 h (missed), other service, SEV1
    incident({ detectedAt: t0 + 60 * min, severity: 'SEV1', serviceSlug: 'web', teamSlug: 'front', acknowledgedAt: t0 + 80 * min, mitigatedAt: t0 + 100 * min, resolvedAt: t0 + 360 * min }),
    // resolved by itself after 3 min: no acknowledgement, ack target not applicable
    incident({ detectedAt: t0 + 7 * 86_400_000, mitigatedAt: t0 + 7 * 86_400_000 + 3 * min, resolvedAt: t0 + 7 * 86_400_000 + 3 * min }),
    // still open, acknowledged at +1 min
    incident({ detectedAt: t0 + 8 * 86_400_000, acknowledgedAt: t0 + 8 * 86_400_000 + min }),
    // a drill: left out of everything but drills
    incident({ detectedAt: t0 + 60 * min, isDrill: true, acknowledgedAt: t0 + 61 * min, resolvedAt: t0 + 70 * min }),
  ];
  const now = t0 + 8 * 86_400_000 + 2 * min;
  const report = buildIncidentReport(rows, [], { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-16T00:00:00Z'), bucket: 'week', now });

  it('overall figures, drills excluded', () => {
    expect(report.overall).toMatchObject({ count: 4, open: 1, unacknowledged: 1 });
    expect(report.overall.figures.ttd).toMatchObject({ count: 4, median: 0, p90: 120, max: 120, mean: 30, smallSample: true });
    expect(report.overall.figures.tta).toMatchObject({ count: 3, median: 240, p90: 1200, max: 1200, mean: 500 });
    expect(report.overall.figures.ttr).toMatchObject({ count: 3, median: 1800, max: 18_000 });
    expect(report.overall.figures.tta.definition).toMatch(/^Time to acknowledge/);
    expect(report.overall.targets.ack).toEqual({ met: 2, missed: 1, pending: 0, notApplicable: 1 });
    expect(report.overall.targets.resolve).toEqual({ met: 2, missed: 1, pending: 1, notApplicable: 0 });
  });

  it('groups by severity, service and team, largest first', () => {
    expect(report.bySeverity.map((g) => [g.key, g.count])).toEqual([['SEV2', 3], ['SEV1', 1]]);
    expect(report.byService.map((g) => [g.key, g.count])).toEqual([['api', 3], ['web', 1]]);
    expect(report.byTeam.map((g) => [g.key, g.count])).toEqual([['core', 3], ['front', 1]]);
  });

  it('trend has every week in the range, quiet ones included', () => {
    expect(report.trend.map((b) => [b.start, b.count])).toEqual([
      ['2026-02-23T00:00:00.000Z', 0], ['2026-03-02T00:00:00.000Z', 2], ['2026-03-09T00:00:00.000Z', 2],
    ]);
  });

  it('MTBF per service is start to start', () => {
    expect(report.mtbf).toEqual([
      expect.objectContaining({ service: 'api', incidents: 3, figures: expect.objectContaining({ count: 2, median: (7 * 86_400 + 86_400) / 2, max: 7 * 86_400 }) }),
      expect.objectContaining({ service: 'web', incidents: 1, figures: expect.objectContaining({ count: 0, median: null }) }),
    ]);
  });

  it('drills are reported apart', () => {
    expect(report.drills).toMatchObject({ count: 1, open: 0, figures: { tta: { count: 1, median: 60 }, ttr: { count: 1, median: 600 } } });
  });

  it('an empty range is an empty report', () => {
    const empty = buildIncidentReport([], [], { from: at('2026-01-01T00:00:00Z'), to: at('2026-03-01T00:00:00Z'), bucket: 'month', now });
    expect(empty.overall).toMatchObject({ count: 0, open: 0, figures: { ttr: { count: 0, median: null, smallSample: true } } });
    expect(empty.trend.map((b) => b.start)).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
    expect(empty.bySeverity).toEqual([]);
  });
});
