import type { Command } from 'commander';
import type { GroupFigures, IncidentReport } from '../../domain/metrics/build-report.js';
import { METRICS } from '../../domain/metrics/definitions.js';
import type { Distribution } from '../../domain/metrics/distribution.js';
import { connect, listOption, withConnection, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

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
const groups = (r: IncidentReport): Scoped[] => [
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
  const rows = groups(r).map(([scope, g]) => [
    scope, g.key ?? (scope === 'all' || scope === 'drills' ? '' : '(none)'), g.count, g.open, g.unacknowledged,
    ...METRICS.flatMap((m) => stat(g.figures[m])),
    g.targets.ack.met, g.targets.ack.missed, g.targets.ack.pending, g.targets.ack.notApplicable,
    g.targets.resolve.met, g.targets.resolve.missed, g.targets.resolve.pending, g.targets.resolve.notApplicable,
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** The terminal rendering: figures per group, marked `*` where the sample is small, then on-call load. */
export function reportText(r: IncidentReport): string {
  const mark = (d: Distribution) => (d.count > 0 && d.smallSample ? '*' : '');
  const pair = (d: Distribution) => (d.count === 0 ? '-' : `${duration(d.median)} / ${duration(d.p90)}${mark(d)}`);
  const rows = groups(r)
    .filter(([scope]) => scope !== r.range.bucket)
    .map(([scope, g]) => [
      scope === 'all' || scope === 'drills' ? scope : `${scope} ${g.key ?? '(none)'}`, String(g.count), String(g.open),
      pair(g.figures.ttd), pair(g.figures.tta), pair(g.figures.ttr),
      `${g.targets.ack.met}/${g.targets.ack.missed}`, `${g.targets.resolve.met}/${g.targets.resolve.missed}`,
    ]);
  const lines = [
    `Incidents detected ${r.range.from} → ${r.range.to} (drills apart)`,
    '',
    table(['GROUP', 'INCIDENTS', 'OPEN', 'TTD MEDIAN/P90', 'TTA MEDIAN/P90', 'TTR MEDIAN/P90', 'ACK MET/MISSED', 'RESOLVE MET/MISSED'], rows),
    '',
    table([`${r.range.bucket.toUpperCase()} OF`, 'INCIDENTS', 'TTA MEDIAN', 'TTR MEDIAN'], r.trend.map((b) => [b.start.slice(0, 10), String(b.count), duration(b.figures.tta.median), duration(b.figures.ttr.median)])),
  ];
  if (r.mtbf.length) lines.push('', table(['SERVICE', 'INCIDENTS', 'MTBF MEDIAN', 'MTBF MEAN'], r.mtbf.map((m) => [m.service, String(m.incidents), duration(m.figures.median) + mark(m.figures), duration(m.figures.mean)])));
  if (r.onCall.people.length) {
    lines.push('', table(['PERSON', 'TIME ZONE', 'PAGES', 'OUT OF HOURS', 'NIGHT', 'DRILL PAGES'], r.onCall.people.map((p) => [p.name, p.timeZone, String(p.pages), String(p.outOfHours), String(p.night), String(p.drillPages)])));
  }
  lines.push('', `* fewer than ${r.smallSampleBelow} values: ${r.definitions.smallSample.split(': ')[1]}`, 'Definitions: docs/metrics.md, or --json (definitions).');
  return lines.join('\n');
}

/** `firebreak report`: the incident metrics report from the API, as a table, JSON or CSV. */
export function registerReportCommands(program: Command): void {
  const report = withExamples(program.command('report').description('Incident metrics for a range: TTD, TTA, TTR distributions, targets met, MTBF, on-call load.'), [
    'firebreak report --from 2026-01-01 --to 2026-04-01 --bucket month',
    'firebreak report --service checkout --json',
    'firebreak report --severity SEV1,SEV2 --csv > incidents.csv',
  ])
    .option('--from <when>', 'ISO date or time, or epoch ms (default: 30 days before --to)')
    .option('--to <when>', 'ISO date or time, or epoch ms (default: now)')
    .option('--service <slug>', 'only this service')
    .option('--team <slug>', 'only services this team owns')
    .option('--severity <list>', 'severity keys, comma-separated')
    .option('--bucket <week|month>', 'trend bucket', 'week')
    .option('--csv', 'one CSV row per group on stdout, durations in seconds')
    .action(async (opts: CommonOptions & { from?: string; to?: string; service?: string; team?: string; severity?: string; bucket: string; csv?: boolean }) => {
      const { client, out } = connect(opts);
      const r = await client.get<IncidentReport>('/api/v1/reports/incidents', {
        from: opts.from, to: opts.to, service: opts.service, team: opts.team, severity: listOption(opts.severity)?.join(','), bucket: opts.bucket,
      });
      if (opts.csv && !opts.json) process.stdout.write(reportCsv(r));
      else out.emit(r, () => reportText(r));
    });
  withConnection(report);
}
