import type { Command } from 'commander';
import type { IncidentReport } from '../../domain/metrics/build-report.js';
import { METRICS } from '../../domain/metrics/definitions.js';
import { duration } from '../../domain/metrics/report-csv.js';
import type { Distribution } from '../../domain/metrics/distribution.js';
import { connect, listOption, withConnection, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

export { duration, reportCsv } from '../../domain/metrics/report-csv.js';
import { reportGroups as groups, reportCsv } from '../../domain/metrics/report-csv.js';

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
