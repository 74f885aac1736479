import type { Command } from 'commander';
import type { ReportScheduleView } from '../../domain/report-schedules/index.js';
import { addCommonOptions, connect, listOption, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

const describe = (s: ReportScheduleView) => [
  s.name, s.every, s.rangeDays === null ? 'period' : `${s.rangeDays} d`,
  [s.service && `service ${s.service}`, s.team && `team ${s.team}`, s.severity.length ? s.severity.join(',') : ''].filter(Boolean).join(' ') || 'all',
  s.recipients.join(', '), s.enabled ? 'yes' : 'no', s.lastSent ? s.lastSent.periodStart.slice(0, 10) : '-', s.managedBy ?? '',
];

/** `firebreak report-schedule list|set|delete`: e-mailed weekly or monthly reports (admin). */
export function registerReportScheduleCommands(program: Command): void {
  const cmd = withExamples(program.command('report-schedule').description('Scheduled reports e-mailed each week or month (admin); firebreak.yaml `reports:` manages them too.'), [
    'firebreak report-schedule set weekly-ops --every week --service checkout --to ops@example.com,lead@example.com',
    'firebreak report-schedule set monthly-exec --every month --severity SEV1,SEV2 --to exec@example.com',
    'firebreak report-schedule list',
    'firebreak report-schedule delete weekly-ops',
  ]);
  cmd.command('list').description('Every schedule, with its last sent period')
    .action(async (opts: CommonOptions) => {
      const { client, out } = connect(opts);
      const rows = await client.get<ReportScheduleView[]>('/api/v1/report-schedules');
      out.emit(rows, () => table(['NAME', 'EVERY', 'RANGE', 'FILTERS', 'RECIPIENTS', 'ENABLED', 'LAST SENT', 'MANAGED BY'], rows.map(describe)));
    });
  cmd.command('set <name>').description('Create or replace a schedule')
    .requiredOption('--every <week|month>', 'a report for each week (from Monday 00:00 UTC) or month that ends')
    .requiredOption('--to <addresses>', 'recipients, comma-separated')
    .option('--range-days <n>', 'days the report covers, ending at the period end (default: the period)')
    .option('--service <slug>', 'only this service')
    .option('--team <slug>', 'only services this team owns')
    .option('--severity <list>', 'severity keys, comma-separated')
    .option('--bucket <week|month>', 'trend bucket in the report')
    .option('--disabled', 'keep it, send nothing')
    .action(async (name: string, opts: CommonOptions & { every: string; to: string; rangeDays?: string; service?: string; team?: string; severity?: string; bucket?: string; disabled?: boolean }) => {
      const { client, out } = connect(opts);
      const s = await client.put<ReportScheduleView>(`/api/v1/report-schedules/${encodeURIComponent(name)}`, {
        every: opts.every, recipients: listOption(opts.to) ?? [], service: opts.service, team: opts.team, severity: listOption(opts.severity), bucket: opts.bucket,
        ...(opts.rangeDays !== undefined ? { rangeDays: Number(opts.rangeDays) } : {}), enabled: !opts.disabled,
      });
      out.emit(s, () => `report schedule ${s.name}: every ${s.every} to ${s.recipients.join(', ')}`);
    });
  cmd.command('delete <name>').description('Delete a schedule and its record of sent periods')
    .action(async (name: string, opts: CommonOptions) => {
      const { client, out } = connect(opts);
      await client.delete(`/api/v1/report-schedules/${encodeURIComponent(name)}`);
      out.emit({ deleted: name }, () => `report schedule ${name}: deleted`);
    });
  addCommonOptions(cmd);
}
