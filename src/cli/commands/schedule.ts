import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { addCommonOptions, connect, withExamples, type CommonOptions } from '../command-kit.js';
import { loadNames } from '../names.js';
import { table } from '../output.js';

interface ScheduleView {
  id: string;
  name: string;
  timeZone: string;
  layers: { id: string; name: string }[];
  overrides: { id: string; userId: string; start: string; end: string }[];
  warnings: string[];
}

const readJson = async (file: string): Promise<unknown> => JSON.parse(file === '-' ? await new Response(process.stdin as unknown as ReadableStream).text() : await readFile(file, 'utf8'));

/** `firebreak schedule …`: list, show, create/update from a JSON file, overrides, feed URL. */
export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').alias('schedules').description('On-call schedules: layers, overrides, coverage warnings, calendar feeds.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(schedule.command(spec).description(description), examples);

  cmd('list', 'List schedules with coverage warnings for the next two weeks.', ['firebreak schedule list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: ScheduleView[] }>('/api/v1/schedules');
    out.emit(page, () => (page.items.length ? table(['ID', 'NAME', 'ZONE', 'LAYERS', 'WARNINGS'], page.items.map((s) => [s.id, s.name, s.timeZone, String(s.layers.length), String(s.warnings.length)]), out.style) : 'No schedules yet.'));
  });
  cmd('show <schedule>', 'One schedule, its overrides and warnings.', ['firebreak schedule show "Payments primary"']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const s = await client.get<ScheduleView>(`/api/v1/schedules/${encodeURIComponent(ref)}`);
    const name = await loadNames(client, out.json || s.overrides.length === 0 ? [] : ['user']);
    out.emit(s, () => [
      `${out.style.bold(s.name)}  ${s.timeZone}  ${out.style.dim(s.id)}`,
      `Layers: ${s.layers.map((l) => l.name).join(', ') || 'none'}`,
      ...s.overrides.map((o) => `Override ${o.id}: ${name('user', o.userId)} ${o.start} → ${o.end}`),
      ...s.warnings.map((w) => out.style.yellow(`warning: ${w}`)),
    ].join('\n'));
  });
  cmd('create <file>', 'Create a schedule from JSON ({name, timeZone, layers}; - reads stdin).', ['firebreak schedule create payments.json']).action(async (file: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const s = await client.post<ScheduleView>('/api/v1/schedules', await readJson(file));
    out.emit(s, () => `Created ${s.name} (${s.id})${s.warnings.length ? `\n${s.warnings.map((w) => `warning: ${w}`).join('\n')}` : ''}`);
  });
  cmd('update <schedule> <file>', 'Replace name, zone or layers from JSON.', ['firebreak schedule update sch_… payments.json']).action(async (ref: string, file: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const s = await client.put<ScheduleView>(`/api/v1/schedules/${encodeURIComponent(ref)}`, await readJson(file));
    out.emit(s, () => `Updated ${s.name} (${s.id})`);
  });
  cmd('override <schedule>', 'Someone covers part of a shift.', ['firebreak schedule override sch_… --user frank@example.com --start 2026-03-08T18:00:00Z --end 2026-03-09T08:00:00Z'])
    .requiredOption('--user <user>', 'who covers (id or email)')
    .option('--replaces <user>', 'only cover for this person')
    .requiredOption('--start <time>', 'ISO 8601')
    .requiredOption('--end <time>', 'ISO 8601')
    .action(async (ref: string, opts: CommonOptions & { user: string; replaces?: string; start: string; end: string }) => {
      const { client, out } = connect(opts);
      const s = await client.post<ScheduleView>(`/api/v1/schedules/${encodeURIComponent(ref)}/overrides`, { user: opts.user, replacesUser: opts.replaces, start: opts.start, end: opts.end });
      out.emit(s, () => `Override added to ${s.name}`);
    });
  cmd('feed [schedule]', "The iCalendar URL to subscribe to: a schedule's, or with --user one person's shifts across every schedule.", [
    'firebreak schedule feed sch_…',
    'firebreak schedule feed --user dana@example.com',
  ])
    .option('--user <user>', 'user id or email: the feed of their own shifts')
    .action(async (ref: string | undefined, opts: CommonOptions & { user?: string }) => {
      if ((ref === undefined) === (opts.user === undefined)) {
        throw new AppError('VALIDATION', 'schedule: name a schedule, or pass --user for a person\'s shifts (not both)', { issues: [{ field: 'schedule', message: 'name a schedule or pass --user, not both' }] });
      }
      const { client, out } = connect(opts);
      const path = opts.user !== undefined ? `/api/v1/users/${encodeURIComponent(opts.user)}/feed` : `/api/v1/schedules/${encodeURIComponent(ref!)}/feed`;
      const feed = await client.get<{ url: string }>(path);
      out.emit(feed, () => feed.url);
    });
  cmd('delete <schedule>', 'Delete a schedule.', ['firebreak schedule delete sch_…']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/schedules/${encodeURIComponent(ref)}`);
    out.emit({ deleted: ref }, () => `Deleted ${ref}`);
  });
  addCommonOptions(schedule);
}
