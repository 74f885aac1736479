import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { MaintenanceView } from '../../domain/alerts/maintenance-windows.js';
import type { SilencePreview } from '../../domain/alerts/preview-silence.js';
import type { RoutingRuleView, SilenceView } from '../../domain/alerts/noise.js';
import type { ApiMatcher } from '../../domain/alerts/matchers.js';
import { addCommonOptions, connect, withConnection, withExamples, type CommonOptions } from '../command-kit.js';
import { loadNames } from '../names.js';
import { localTime, relativeTime, table, truncate, type Output } from '../output.js';

/**
 * Noise control from the shell: silences (amtool's syntax and semantics), routing rules and
 * maintenance windows. Matchers are parsed here with the same parser the server uses, so a typo
 * fails before anything is sent, with exit code 2.
 */

const bad = (field: string, message: string): AppError => new AppError('VALIDATION', `${field}: ${message}`, { issues: [{ field, message }] });

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Prometheus/amtool durations: `90m`, `2h`, `1h30m`, `1d`, `1w`. Milliseconds, or null. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(trimmed)) return null;
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * DURATION_UNITS[unit!]!;
  return total > 0 ? total : null;
}

/** ISO 8601 (`2026-05-01T22:00:00Z`) or epoch milliseconds. */
export function parseTime(text: string, field: string): number {
  const trimmed = text.trim();
  const at = /^\d{10,}$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
  if (Number.isNaN(at)) throw bad(field, `'${text}' is not a time; write ISO 8601 like 2026-05-01T22:00:00Z`);
  return at;
}

/** End time from `--duration` or `--until` (exactly one; `fallback` when neither is given). */
export function endTime(opts: { duration?: string; until?: string }, start: number, fallback: string | null, untilFlag = 'until'): number {
  if (opts.duration !== undefined && opts.until !== undefined) throw bad('duration', `give --duration or --${untilFlag}, not both`);
  if (opts.until !== undefined) return parseTime(opts.until, untilFlag);
  const text = opts.duration ?? fallback;
  if (text === null) throw bad('duration', `give --duration (e.g. 2h) or --${untilFlag}`);
  const ms = parseDuration(text);
  if (ms === null) throw bad('duration', `'${text}' is not a duration; write e.g. 30m, 2h, 1h30m or 1d`);
  return start + ms;
}

/** Each argument may hold one matcher or several (`a=1,b=~"x|y"` or `{…}`). */
async function parseMatcherArgs(args: string[]): Promise<ApiMatcher[]> {
  // The parser module brings zod; load it only for the commands that parse matchers.
  const { matcherToApi, parseMatchers } = await import('../../domain/alerts/matchers.js');
  const matchers = args.flatMap((arg, i) => parseMatchers(arg, `matchers.${i}`));
  if (matchers.length === 0) throw bad('matchers', 'give at least one matcher, e.g. alertname=DiskFull');
  return matchers.map(matcherToApi);
}

const OPS: Record<string, string> = { 'false,false': '!=', 'false,true': '=', 'true,false': '!~', 'true,true': '=~' };
export const formatApiMatcher = (m: ApiMatcher): string => `${m.name}${OPS[`${m.isRegex},${m.isEqual}`] ?? '='}${JSON.stringify(m.value)}`;
const formatMatchers = (ms: ApiMatcher[]): string => ms.map(formatApiMatcher).join(', ');

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function silenceState(state: string, out: Output): string {
  if (state === 'active') return out.style.yellow(state);
  if (state === 'pending') return out.style.cyan(state);
  return out.style.dim(state);
}

function renderSilences(items: SilenceView[], out: Output, expired: boolean): string {
  if (items.length === 0) return expired ? 'No expired silences.' : 'No active or pending silences.';
  return table(
    ['ID', 'MATCHERS', 'STATE', 'STARTS', 'ENDS', 'CREATED BY', 'COMMENT'],
    items.map((s) => [s.id, truncate(formatMatchers(s.matchers), 60), silenceState(s.status.state, out), localTime(s.startsAt), `${localTime(s.endsAt)} (${relativeTime(s.endsAt, out.now)})`, s.createdBy, truncate(s.comment, 40)]),
    out.style,
  );
}

function registerSilences(program: Command): void {
  const silence = program.command('silence').alias('silences').description('Silences: alerts matching them are recorded but page nobody (Alertmanager semantics).');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(silence.command(spec).description(description), examples);

  cmd('add <matcher...>', 'Silence alerts matching every matcher (amtool syntax: = != =~ !~; regexes are anchored).', [
    'firebreak silence add alertname=DiskFull instance=db-1 --duration 2h --comment "disk swap"',
    'firebreak silence add \'severity=~"warn.*"\' service=checkout --until 2026-05-01T22:00:00Z --comment "migration"',
    'firebreak silence add \'{team="db", env!="prod"}\' --duration 1d --comment "load test" --author ana',
  ])
    .option('--duration <duration>', 'how long from the start, e.g. 30m, 2h, 1d (default 1h)')
    .option('--until <time>', 'end time instead of --duration (ISO 8601)')
    .option('--start <time>', 'start later instead of now (ISO 8601)')
    .requiredOption('--comment <text>', 'why; shown to whoever wonders why nothing paged')
    .option('--author <name>', 'who is responsible (default: the API key’s name)')
    .action(async (args: string[], opts: CommonOptions & { duration?: string; until?: string; start?: string; comment: string; author?: string }) => {
      const matchers = await parseMatcherArgs(args);
      const start = opts.start === undefined ? Date.now() : parseTime(opts.start, 'start');
      const end = endTime(opts, start, '1h');
      const { client, out } = connect(opts);
      const body = { matchers, startsAt: opts.start === undefined ? undefined : new Date(start).toISOString(), endsAt: new Date(end).toISOString(), comment: opts.comment, createdBy: opts.author };
      const created = await client.post<{ silenceID: string }>('/api/v1/silences', body);
      out.emit(created, () => `Silenced ${formatMatchers(matchers)} until ${localTime(new Date(end).toISOString())} (${relativeTime(new Date(end).toISOString(), out.now)})\n  ${out.style.dim(created.silenceID)}`);
    });

  cmd('preview <matcher...>', 'Show the open alerts a silence with these matchers would hold if added now (nothing is saved).', [
    'firebreak silence preview alertname=DiskFull',
    'firebreak silence preview \'instance=~"db-.*"\' env!=dev --json | jq .total',
  ]).action(async (args: string[], opts: CommonOptions) => {
    const matchers = await parseMatcherArgs(args);
    const { client, out } = connect(opts);
    const preview = await client.post<SilencePreview>('/api/v1/silences/preview', { matchers });
    out.emit(preview, () => {
      if (preview.total === 0) return `No open alert matches ${formatMatchers(matchers)}.`;
      const head = `${preview.total}${preview.truncated ? '+' : ''} open ${preview.total === 1 ? 'alert matches' : 'alerts match'} ${formatMatchers(matchers)}:`;
      const rows = preview.alerts.map((a) => [a.id, a.state === 'suppressed' ? out.style.dim(`held by ${a.suppressedBy ?? '?'}`) : a.status, truncate(a.summary, 50), truncate(Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(' '), 60)]);
      const more = preview.alerts.length < preview.total ? out.style.dim(`\n(${preview.total - preview.alerts.length} more not shown)`) : '';
      return `${head}\n${table(['ID', 'STATE', 'SUMMARY', 'LABELS'], rows, out.style)}${more}`;
    });
  });

  cmd('list [matcher...]', 'List active and pending silences (or only expired ones); matchers filter like amtool silence query.', [
    'firebreak silence list',
    'firebreak silence list alertname=DiskFull',
    'firebreak silence list --expired --json | jq length',
  ])
    .option('--expired', 'show expired silences instead')
    .action(async (args: string[], opts: CommonOptions & { expired?: boolean }) => {
      const filters = args.length ? await parseMatcherArgs(args) : [];
      const { client, out } = connect(opts);
      const all = await client.get<SilenceView[]>('/api/v1/silences');
      // As the server's `filter`: a silence is listed when it has a matcher equal to each one given.
      const same = (a: ApiMatcher, b: ApiMatcher) => a.name === b.name && a.value === b.value && a.isRegex === b.isRegex && a.isEqual === b.isEqual;
      const items = all
        .filter((s) => (s.status.state === 'expired') === (opts.expired === true))
        .filter((s) => filters.every((f) => s.matchers.some((m) => same(m, f))));
      out.emit(items, () => renderSilences(items, out, opts.expired === true));
    });

  cmd('show <silence-id>', 'Show one silence.', ['firebreak silence show sil_01JQ…']).action(async (id: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const s = await client.get<SilenceView>(`/api/v2/silence/${encodeURIComponent(id.trim())}`);
    out.emit(s, () => [
      `${out.style.bold(s.id)}  ${silenceState(s.status.state, out)}`,
      `  matchers  ${formatMatchers(s.matchers)}`,
      `  from ${localTime(s.startsAt)} until ${localTime(s.endsAt)} (${relativeTime(s.endsAt, out.now)})`,
      `  by ${s.createdBy}: ${s.comment || '-'}`,
    ].join('\n'));
  });

  cmd('expire <silence-id...>', 'End silences now; alerts they held back page on their next repeat.', ['firebreak silence expire sil_01JQ…', 'firebreak silence list --json | jq -r \'.[].id\' | xargs firebreak silence expire'])
    .action(async (ids: string[], opts: CommonOptions) => {
      const { client, out } = connect(opts);
      for (const id of ids) await client.delete(`/api/v1/silences/${encodeURIComponent(id.trim())}`);
      out.emit({ expired: ids }, () => ids.map((id) => `Expired silence ${id}`).join('\n'));
    });

  addCommonOptions(silence);
}

function registerRoutes(program: Command): void {
  const route = program.command('route').alias('routes').description('Routing rules: label matchers → service, severity, or drop. First match in position order wins.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(route.command(spec).description(description), examples);

  cmd('list', 'List routing rules in evaluation order.', ['firebreak route list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: RoutingRuleView[] }>('/api/v1/routing-rules');
    // Services, policies and integrations by name, not id.
    const name = await loadNames(client, out.json || page.items.length === 0 ? [] : ['service', 'policy', 'integration']);
    const action = (r: RoutingRuleView) => (r.drop ? out.style.yellow('drop') : [r.setService ? `service ${name('service', r.setService)}` : '', r.setSeverity ? `severity ${r.setSeverity}` : '', r.escalationPolicy ? `policy ${name('policy', r.escalationPolicy)}` : ''].filter(Boolean).join(', '));
    out.emit(page, () => page.items.length === 0
      ? 'No routing rules: alerts go to their integration’s service, with the sender’s severity mapped.'
      : table(['POS', 'ID', 'NAME', 'MATCHERS', 'INTEGRATION', 'THEN'], page.items.map((r) => [String(r.position), r.id, r.name, truncate(formatMatchers(r.matchers), 60), r.integrationId ? name('integration', r.integrationId) : 'any', action(r)]), out.style));
  });

  cmd('add <matcher...>', 'Add a rule: alerts matching every matcher go to a service, severity and/or escalation policy, or are dropped.', [
    'firebreak route add severity=critical --name critical-is-sev1 --severity SEV1',
    'firebreak route add team=db --name db-team --service postgres-main',
    'firebreak route add component=coordinator --name coordinators --escalation-policy "Database"',
    'firebreak route add \'alertname=~"Watchdog|InfoInhibitor"\' --name noise --drop',
  ])
    .requiredOption('--name <name>', 'what the rule is for')
    .option('--service <service>', 'service id or slug to route to')
    .option('--severity <severity>', 'severity key to set')
    .option('--escalation-policy <policy>', 'escalation policy id or name that pages for incidents these alerts open (beats the service’s and the severity’s)')
    .option('--drop', 'drop matching alerts (kept only in the raw payload log)')
    .option('--integration <integration>', 'only for alerts from this integration (id or name)')
    .option('--position <n>', 'evaluation order (default: after the last rule)')
    .action(async (args: string[], opts: CommonOptions & { name: string; service?: string; severity?: string; escalationPolicy?: string; drop?: boolean; integration?: string; position?: string }) => {
      const matchers = await parseMatcherArgs(args);
      if (opts.position !== undefined && !/^\d+$/.test(opts.position)) throw bad('position', `'${opts.position}' must be a whole number`);
      const { client, out } = connect(opts);
      const rule = await client.post<RoutingRuleView>('/api/v1/routing-rules', {
        name: opts.name, matchers, service: opts.service, severity: opts.severity, escalationPolicy: opts.escalationPolicy, drop: opts.drop === true, integration: opts.integration,
        position: opts.position === undefined ? undefined : Number(opts.position),
      });
      out.emit(rule, () => `Added routing rule ${out.style.bold(rule.name)} at position ${rule.position}  ${out.style.dim(rule.id)}`);
    });

  cmd('delete <rule-id>', 'Delete a routing rule.', ['firebreak route delete rr_01JQ…']).action(async (id: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/routing-rules/${encodeURIComponent(id.trim())}`);
    out.emit({ deleted: id }, () => `Deleted routing rule ${id}`);
  });

  addCommonOptions(route);
}

/** The alert maintenance windows behind `firebreak maintenance list` without a page (see maintenance.ts). */
export async function listMaintenanceWindows(opts: CommonOptions): Promise<void> {
  const { client, out } = connect(opts);
  const page = await client.get<{ items: MaintenanceView[] }>('/api/v1/maintenance-windows');
  out.emit(page, () => page.items.length === 0
    ? 'No maintenance windows.'
    : table(['ID', 'SERVICES', 'STARTS', 'ENDS', 'ACTIVE', 'REASON'], page.items.map((w) => [w.id, w.services.join(', ') || 'all', localTime(w.startsAt), localTime(w.endsAt), w.active ? out.style.yellow('yes') : w.state === 'ended' ? 'ended' : 'no', truncate(w.reason, 50)]), out.style));
}

/**
 * `maintenance add|delete`: alert maintenance windows. The `maintenance` command itself (and
 * its `list`) belongs to scheduled maintenance (commands/maintenance.ts), registered first.
 */
function registerMaintenance(program: Command): void {
  const maintenance = program.commands.find((c) => c.name() === 'maintenance') ?? program.command('maintenance').description('Maintenance windows: alerts for their services are recorded but page nobody.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(maintenance.command(spec).description(description), examples);

  cmd('add', 'Schedule a maintenance window for some services (announce it in advance; it starts on its own).', [
    'firebreak maintenance add --service checkout --start 2026-05-01T22:00:00Z --duration 2h --reason "DB upgrade"',
    'firebreak maintenance add --service api --service web --end 2026-05-02T01:00:00Z --reason "network work"',
  ])
    .requiredOption('--reason <text>', 'what is being done')
    .option('--service <service>', 'service id or slug (repeatable; none means every service)', collect, [])
    .option('--start <time>', 'start (ISO 8601; default now)')
    .option('--duration <duration>', 'length, e.g. 2h')
    .option('--end <time>', 'end time instead of --duration (ISO 8601)')
    .action(async (opts: CommonOptions & { reason: string; service: string[]; start?: string; duration?: string; end?: string }) => {
      const start = opts.start === undefined ? Date.now() : parseTime(opts.start, 'start');
      const end = endTime({ duration: opts.duration, until: opts.end }, start, null, 'end');
      const { client, out } = connect(opts);
      const w = await client.post<MaintenanceView>('/api/v1/maintenance-windows', { services: opts.service, startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString(), reason: opts.reason });
      out.emit(w, () => `Scheduled maintenance ${localTime(w.startsAt)} – ${localTime(w.endsAt)}${w.active ? ' (active now)' : ''}  ${out.style.dim(w.id)}`);
    });

  cmd('delete <window-id>', 'Delete a maintenance window (ends it if active).', ['firebreak maintenance delete mw_01JQ…']).action(async (id: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/maintenance-windows/${encodeURIComponent(id.trim())}`);
    out.emit({ deleted: id }, () => `Deleted maintenance window ${id}`);
  });
  cmd('edit <window-id>', 'Change a maintenance window: reason, services, start (not once started) or end.', [
    'firebreak maintenance edit mw_01JQ… --end 2026-05-02T02:00:00Z',
    'firebreak maintenance edit mw_01JQ… --service checkout --service api --reason "DB and API upgrade"',
  ])
    .option('--reason <text>', 'what is being done')
    .option('--service <service>', 'service id or slug (repeatable; replaces the list)', collect, [])
    .option('--all-services', 'hold alerts of every service (clears the list)')
    .option('--start <time>', 'new start (ISO 8601)')
    .option('--end <time>', 'new end (ISO 8601)')
    .action(async (id: string, opts: CommonOptions & { reason?: string; service: string[]; allServices?: boolean; start?: string; end?: string }) => {
      if (opts.allServices && opts.service.length > 0) throw bad('service', 'give --service or --all-services, not both');
      const patch: Record<string, unknown> = {};
      if (opts.reason !== undefined) patch.reason = opts.reason;
      if (opts.service.length > 0) patch.services = opts.service;
      if (opts.allServices) patch.services = [];
      if (opts.start !== undefined) patch.startsAt = new Date(parseTime(opts.start, 'start')).toISOString();
      if (opts.end !== undefined) patch.endsAt = new Date(parseTime(opts.end, 'end')).toISOString();
      if (Object.keys(patch).length === 0) throw bad('reason', 'nothing to change: give --reason, --service, --all-services, --start or --end');
      const { client, out } = connect(opts);
      const w = await client.patch<MaintenanceView>(`/api/v1/maintenance-windows/${encodeURIComponent(id.trim())}`, patch);
      out.emit(w, () => `Maintenance window ${w.id} (${w.state}): ${localTime(w.startsAt)} – ${localTime(w.endsAt)}, ${w.services.length ? w.services.join(', ') : 'every service'}: ${w.reason}`);
    });

  cmd('end <window-id>', 'End a maintenance window now (a pending one never starts); alerts it held page now.', ['firebreak maintenance end mw_01JQ…']).action(async (id: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const w = await client.post<MaintenanceView>(`/api/v1/maintenance-windows/${encodeURIComponent(id.trim())}/end`, {});
    out.emit(w, () => `Ended maintenance window ${w.id} at ${localTime(w.endsAt)}`);
  });
  // Only these: the scheduled-maintenance leaves got their common options already.
  for (const c of maintenance.commands) if (['add', 'delete', 'edit', 'end'].includes(c.name())) withConnection(c);
}

/** `silence`, `route` and `maintenance`: everything that decides whether an alert pages. */
export function registerSilenceCommands(program: Command): void {
  registerSilences(program);
  registerRoutes(program);
  registerMaintenance(program);
}
