import type { Command } from 'commander';
import type { IncidentView } from '../../domain/incidents/incident-view.js';
import type { DrillReport, RunView } from '../../domain/runbooks/index.js';
import { formatSeconds } from '../../domain/runbooks/targets.js';
import { addCommonOptions, connect, incidentPath, listOption, withExamples, type CommonOptions } from '../command-kit.js';
import { indent, table, truncate, type Output } from '../output.js';

const secs = (value: number | null) => (value === null ? '-' : formatSeconds(value));

function renderReport(report: DrillReport, out: Output): string {
  const s = out.style;
  const lines = [
    `${s.bold(`DRILL #${report.incident.number}`)}  ${report.incident.title}  ${s.dim(report.incident.status)}`,
    `  participants: ${report.participants.map((p) => p.name).join(', ') || '-'}`,
  ];
  for (const rb of report.runbooks) {
    lines.push('', s.bold(`${rb.title} v${rb.version}`));
    lines.push(`  time to acknowledge ${secs(rb.timeToAcknowledgeSeconds)}, to mitigate ${secs(rb.timeToMitigateSeconds)}, to resolve ${secs(rb.timeToResolveSeconds)}`);
    if (rb.targets.length) {
      const paint = (state: string) => (state === 'met' ? s.green(state) : state === 'missed' ? s.red(state) : s.yellow(state));
      lines.push(indent(table(['TARGET', 'LIMIT', 'TOOK', 'RESULT'], rb.targets.map((t) => [t.kind, formatSeconds(t.targetSeconds), formatSeconds(t.elapsedSeconds), paint(t.state)]), s)));
    } else lines.push('  the runbook sets no targets');
    lines.push(indent(table(['#', 'STEP', 'STATE', 'BY', 'AT', 'TOOK'], rb.steps.map((st) => [String(st.index), truncate(st.text, 50), st.state + (st.late ? s.red(' late') : ''), st.by ?? '-', secs(st.atSeconds), secs(st.durationSeconds)]), s)));
    const m = rb.summary;
    lines.push(`  targets met ${m.targetsMet}, missed ${m.targetsMissed}, pending ${m.targetsPending}; steps done ${m.done}, skipped ${m.skipped}, failed ${m.failed}, pending ${m.pending}, late ${m.late}`);
  }
  return lines.join('\n');
}

export function registerDrillCommands(program: Command): void {
  const drill = program.command('drill').alias('drills').description('Rehearse runbooks: start a drill incident and score it.');

  withExamples(drill.command('start <runbook>').description('Declare a [DRILL] incident for a runbook; the chosen participants are paged through the normal path.'), [
    'firebreak drill start consensus-reconfiguration --participants ana@example.com,bo@example.com',
    'firebreak drill start checkout-errors --participants ana@example.com --severity SEV3',
  ])
    .requiredOption('--participants <users>', 'comma-separated emails or user ids to page')
    .option('--severity <sev>', 'severity of the drill incident (default: the runbook’s, else the least urgent level)')
    .option('--service <service>', 'service of the drill incident (default: the runbook’s)')
    .action(async (runbook: string, opts: CommonOptions & { participants: string; severity?: string; service?: string }) => {
      const { client, out } = connect(opts);
      const res = await client.post<{ incident: IncidentView; run: RunView | null }>('/api/v1/drills', { runbook, participants: listOption(opts.participants), severity: opts.severity, service: opts.service });
      out.emit(res, () => `Started ${out.style.bold(`DRILL #${res.incident.number}`)}: ${res.incident.title}\n  ${out.style.dim(res.incident.id)}  runbook ${res.run?.runbook.slug ?? runbook} (${res.run?.progress.total ?? 0} steps)\n  score it with: firebreak drill report ${res.incident.number}`);
    });

  withExamples(drill.command('report <incident>').description('Score a drill against its runbook’s targets: time to acknowledge, per step and to mitigate.'), [
    'firebreak drill report 42',
    'firebreak drill report 42 --json | jq ".runbooks[0].summary"',
  ]).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const report = await client.get<DrillReport>(`${incidentPath(ref)}/drill-report`);
    out.emit(report, () => renderReport(report, out));
  });

  addCommonOptions(drill);
}
