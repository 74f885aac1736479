import type { Command } from 'commander';
import type { MaintenanceView } from '../../domain/maintenance/maintenance-view.js';
import { addCommonOptions, connect, listOption, textArgument, withExamples, type CommonOptions } from '../command-kit.js';
import { localTime, table } from '../output.js';
import { endTime, listMaintenanceWindows, parseTime } from './silence.js';

const base = (page: string) => `/api/v1/status-pages/${encodeURIComponent(page)}/maintenances`;
const bodyOf = async (words: string[]) => (words.length === 1 && words[0] === '-' ? textArgument('-', 'body') : words.join(' '));
const line = (m: MaintenanceView) => `${m.name}: ${m.status.replace('_', ' ')}, ${localTime(m.scheduledFor)} – ${localTime(m.scheduledUntil)}`;

/**
 * `firebreak maintenance …`: scheduled maintenance on a status page (one object: affected
 * components, the alerts it silences, its public updates; it starts and completes on its own).
 * `maintenance add|delete` (silence.ts) keep managing bare alert maintenance windows, and
 * `maintenance list` without a page lists those.
 */
export function registerMaintenanceCommands(program: Command): void {
  const m = program.command('maintenance').description('Scheduled maintenance on status pages (create, start, complete, cancel); add/delete: bare alert maintenance windows.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(m.command(spec).description(description), examples);

  cmd('create <page> <name>', 'Schedule a maintenance: components under maintenance and matching alerts silenced from --start to the end.', [
    'firebreak maintenance create acme "Database upgrade" --start 2026-05-01T22:00:00Z --duration 2h --components Database --matchers \'alertname=~"Postgres.*"\' --services db',
    'echo "We upgrade **PostgreSQL** to 17." | firebreak maintenance create acme "Database upgrade" --start 2026-05-01T22:00:00Z --end 2026-05-02T00:00:00Z --description -',
  ])
    .requiredOption('--start <time>', 'start (ISO 8601; not in the past)')
    .option('--duration <duration>', 'length, e.g. 2h')
    .option('--end <time>', 'end instead of --duration (ISO 8601)')
    .option('--components <list>', 'affected component names or ids of the page (comma-separated)')
    .option('--matchers <matchers>', 'alerts to silence while it runs, Alertmanager syntax')
    .option('--services <list>', 'services whose alerts are held while it runs (comma-separated)')
    .option('--remind <minutes>', 'reminder announcement this many minutes before the start, or `none`', '60')
    .option('--description <markdown>', 'public description (Markdown); `-` reads stdin')
    .action(async (page: string, name: string, opts: CommonOptions & { start: string; duration?: string; end?: string; components?: string; matchers?: string; services?: string; remind: string; description?: string }) => {
      const start = parseTime(opts.start, 'start');
      const end = endTime({ duration: opts.duration, until: opts.end }, start, null, 'end');
      const description = opts.description === '-' ? await textArgument('-', 'description') : opts.description;
      const { client, out } = connect(opts);
      const v = await client.post<MaintenanceView>(base(page), {
        name, description, scheduledFor: new Date(start).toISOString(), scheduledUntil: new Date(end).toISOString(),
        components: listOption(opts.components) ?? [], services: listOption(opts.services) ?? [], ...(opts.matchers ? { matchers: opts.matchers } : {}),
        remindMinutes: opts.remind === 'none' ? null : Number(opts.remind),
      });
      out.emit(v, () => `Scheduled ${line(v)}  ${out.style.dim(v.id)}`);
    });

  cmd('list [page]', "A page's scheduled maintenances, latest first (without a page: the alert maintenance windows).", ['firebreak maintenance list acme', 'firebreak maintenance list acme --status scheduled'])
    .option('--status <status>', 'scheduled, in_progress, verifying, completed or cancelled')
    .action(async (page: string | undefined, opts: CommonOptions & { status?: string }) => {
      if (page === undefined) return listMaintenanceWindows(opts);
      const { client, out } = connect(opts);
      const { items } = await client.get<{ items: MaintenanceView[] }>(`${base(page)}${opts.status ? `?status=${encodeURIComponent(opts.status)}` : ''}`);
      out.emit(items, () => (items.length === 0 ? `No scheduled maintenance on ${page}.` : table(['ID', 'NAME', 'STATUS', 'FROM', 'UNTIL', 'COMPONENTS'], items.map((v) => [v.id, v.name, v.status, localTime(v.scheduledFor), localTime(v.scheduledUntil), v.components.map((c) => c.name).join(', ')]), out.style)));
    });

  cmd('show <page> <id>', 'One maintenance: schedule, what it silences, its public updates and announcements.', ['firebreak maintenance show acme maint_01jq…']).action(async (page: string, id: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const v = await client.get<MaintenanceView>(`${base(page)}/${encodeURIComponent(id)}`);
    out.emit(v, () => [
      line(v),
      `Components: ${v.components.map((c) => c.name).join(', ') || 'none'}`,
      `Silences: ${v.matchers.map((x) => `${x.name}${x.isEqual ? '' : '!'}${x.isRegex ? '=~' : '='}"${x.value}"`).join(', ') || 'no matchers'}${v.services.length ? `; services ${v.services.join(', ')}` : ''}${v.silenceId ? ` (silence ${v.silenceId})` : ''}`,
      `Announced: ${v.announcements.map((a) => a.kind).join(', ')}`,
      ...v.updates.map((u) => `${localTime(u.createdAt)}  ${u.status}: ${u.body}`),
    ].join('\n'));
  });

  for (const [action, text] of [
    ['start', 'Start it now, before its time.'], ['verify', 'Move it to verifying (still under maintenance).'],
    ['complete', 'Complete it now: components back, silence ended, alerts still firing page.'], ['cancel', 'Cancel it (scheduled or running).'],
  ] as const) {
    cmd(`${action} <page> <id> [markdown...]`, `${text} An optional public update; \`-\` reads stdin.`, [`firebreak maintenance ${action} acme maint_01jq…`])
      .action(async (page: string, id: string, words: string[], opts: CommonOptions) => {
        const { client, out } = connect(opts);
        const body = await bodyOf(words);
        const v = await client.post<MaintenanceView>(`${base(page)}/${encodeURIComponent(id)}/${action}`, body ? { body } : {});
        out.emit(v, () => line(v));
      });
  }

  addCommonOptions(m);
}
