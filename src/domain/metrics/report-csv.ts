import type { GroupFigures, IncidentReport } from './build-report.js';
import { METRICS } from './definitions.js';
import type { Distribution } from './distribution.js';

/** The report as CSV (the CLI's --csv and the scheduled e-mail's attachment), and short durations. */
/** 90 → "1m30s"; null → "-". Durations read better than seconds in a terminal. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${String(s % 60).padStart(2, '0')}s` : ''}`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')}h`;
}

type Scoped = [scope: string, group: GroupFigures];
export const reportGroups = (r: IncidentReport): Scoped[] => [
  ['all', r.overall],
  ...r.bySeverity.map((g): Scoped => ['severity', g]),
  ...r.byService.map((g): Scoped => ['service', g]),
  ...r.byTeam.map((g): Scoped => ['team', g]),
  ...r.trend.map((g): Scoped => [r.range.bucket, { ...g, key: g.start }]),
  ['drills', r.drills],
];

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per group (overall, severity, service, team, trend bucket, drills); durations in seconds. */
export function reportCsv(r: IncidentReport): string {
  const stat = (d: Distribution) => [d.count, d.median, d.p90, d.max, d.mean, d.smallSample];
  const header = ['scope', 'key', 'incidents', 'open', 'unacknowledged',
    ...METRICS.flatMap((m) => ['count', 'median_s', 'p90_s', 'max_s', 'mean_s', 'small_sample'].map((c) => `${m}_${c}`)),
    'ack_met', 'ack_missed', 'ack_pending', 'ack_not_applicable', 'resolve_met', 'resolve_missed', 'resolve_pending', 'resolve_not_applicable'];
  const rows = reportGroups(r).map(([scope, g]) => [
    scope, g.key ?? (scope === 'all' || scope === 'drills' ? '' : '(none)'), g.count, g.open, g.unacknowledged,
    ...METRICS.flatMap((m) => stat(g.figures[m])),
    g.targets.ack.met, g.targets.ack.missed, g.targets.ack.pending, g.targets.ack.notApplicable,
    g.targets.resolve.met, g.targets.resolve.missed, g.targets.resolve.pending, g.targets.resolve.notApplicable,
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

