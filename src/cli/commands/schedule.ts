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
  overrides: { id: string; userId: string; replacesUserId: string | null; start: string; end: string }[];
  warnings: string[];
  usedBy?: string[];
}

interface TimelineView {
  name: string;
  timeZone: string;
  from: string;
  to: string;
  final: { start: number; end: number; userId: string; layerId?: string; overrideId?: string }[];
  gaps: { start: number; end: number }[];
  layers: { id: string; name: string }[];
}

/** User id → "Name <email>" for output that would otherwise show raw ids. */
async function userNames(client: ReturnType<typeof connect>['client']): Promise<(id: string) => string> {
  const users = await client.get<{ items: { id: string; name: string; email: string }[] }>('/api/v1/users').then((r) => r.items, () => []);
  const byId = new Map(users.map((u) => [u.id, u.name || u.email]));
  return (id) => byId.get(id) ?? id;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');

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
      ...(s.usedBy?.length ? [`Paged by: ${s.usedBy.join(', ')}`] : []),
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
      // Override ids are time-ordered: the newest is the one just added.
      const added = [...s.overrides].sort((a, b) => (a.id < b.id ? -1 : 1)).pop();
      out.emit(s, () => `Override ${added?.id ?? ''} added to ${s.name}\n  undo: firebreak schedule override-remove ${s.id} ${added?.id ?? '<override>'}`);
    });
  cmd('overrides <schedule>', 'List the overrides of a schedule (who covers, for whom, when).', ['firebreak schedule overrides "Payments primary"']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const s = await client.get<ScheduleView>(`/api/v1/schedules/${encodeURIComponent(ref)}`);
    const name = await userNames(client);
    const items = s.overrides;
    out.emit({ items }, () => (items.length
      ? table(['ID', 'WHO COVERS', 'FOR', 'START', 'END'], items.map((o) => [o.id, name(o.userId), o.replacesUserId ? name(o.replacesUserId) : 'anyone on call', o.start, o.end]), out.style)
      : `No overrides on ${s.name}.`));
  });
  cmd('override-remove <schedule> <override>', 'Remove an override.', ['firebreak schedule override-remove "Payments primary" ovr_…']).action(async (ref: string, override: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/schedules/${encodeURIComponent(ref)}/overrides/${encodeURIComponent(override)}`);
    out.emit({ removed: override }, () => `Removed override ${override}`);
  });
  cmd('timeline <schedule>', 'Who is on call when over the next days (the final result, with gaps).', ['firebreak schedule timeline "Payments primary" --days 7'])
    .option('--days <n>', 'how many days (1–62)', '14')
    .option('--from <time>', 'ISO 8601 start (default now)')
    .action(async (ref: string, opts: CommonOptions & { days: string; from?: string }) => {
      const { client, out } = connect(opts);
      const q = new URLSearchParams({ days: opts.days, ...(opts.from ? { from: opts.from } : {}) });
      const t = await client.get<TimelineView>(`/api/v1/schedules/${encodeURIComponent(ref)}/timeline?${q}`);
      const name = await userNames(client);
      const layer = new Map(t.layers.map((l) => [l.id, l.name]));
      const rows = [
        ...t.final.map((b) => ({ start: b.start, cells: [iso(b.start), iso(b.end), name(b.userId), b.overrideId ? `override ${b.overrideId}` : `layer ${layer.get(b.layerId ?? '') ?? b.layerId ?? ''}`] })),
        ...t.gaps.map((g) => ({ start: g.start, cells: [iso(g.start), iso(g.end), out.style.yellow('nobody'), 'gap'] })),
      ].sort((a, b) => a.start - b.start);
      out.emit(t, () => [`${out.style.bold(t.name)}  ${t.timeZone}  ${t.from} → ${t.to}`, table(['START', 'END', 'ON CALL', 'DECIDED BY'], rows.map((r) => r.cells), out.style)].join('\n'));
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
