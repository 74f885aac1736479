import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { IncidentView, TaskView, TimelineEventView } from '../../domain/incidents/incident-view.js';
import type { FirebreakClient } from '../client.js';
import { addCommonOptions, connect, incidentPath, listOption, textArgument, withExamples, type CommonOptions } from '../command-kit.js';
import { indent, localTime, relativeTime, severityWord, statusWord, table, truncate, type Output } from '../output.js';

type Incident = IncidentView;
type IncidentDetail = IncidentView & { tasks: TaskView[] };
interface IncidentPage {
  items: Incident[];
  nextCursor: string | null;
}

const STATUSES = 'triggered, acknowledged, investigating, identified, monitoring, resolved';

/** `#12  SEV1  triggered  Title`: the one-line form every change prints. */
function headline(inc: Incident, out: Output): string {
  const s = out.style;
  return `${s.bold(`#${inc.number}`)}  ${severityWord(inc.severity, s)}  ${statusWord(inc.status, s)}  ${inc.title}`;
}

function commanderOf(inc: Incident): string {
  return inc.roles.find((r) => r.role === 'commander')?.userName ?? '-';
}

function renderList(items: Incident[], out: Output): string {
  if (items.length === 0) return 'No incidents match.';
  const s = out.style;
  return table(
    ['#', 'SEV', 'STATUS', 'TITLE', 'SERVICE', 'COMMANDER', 'DECLARED'],
    items.map((i) => [
      `#${i.number}`,
      severityWord(i.severity, s),
      statusWord(i.status, s),
      truncate(i.title, 60) + (i.isDrill ? s.dim(' (drill)') : ''),
      i.service?.slug ?? '-',
      commanderOf(i),
      relativeTime(i.declaredAt, out.now),
    ]),
    s,
  );
}

function renderDetail(inc: IncidentDetail, timeline: TimelineEventView[], out: Output): string {
  const s = out.style;
  const when = (label: string, at: string | null) => (at ? `${label} ${relativeTime(at, out.now)}` : null);
  const lines = [
    `${s.bold(`#${inc.number}`)}  ${s.bold(inc.title)}${inc.isDrill ? s.dim('  (drill)') : ''}`,
    `  ${severityWord(inc.severity, s)}  ${statusWord(inc.status, s)}  service ${inc.service ? `${inc.service.slug} (${inc.service.name})` : '-'}`,
    `  ${s.dim(inc.id)}  declared ${localTime(inc.declaredAt)} (${relativeTime(inc.declaredAt, out.now)})`,
  ];
  const moments = [when('acknowledged', inc.acknowledgedAt), when('mitigated', inc.mitigatedAt), when('resolved', inc.resolvedAt)].filter(Boolean);
  if (moments.length) lines.push(`  ${moments.join(', ')}`);
  if (inc.summary.trim()) lines.push('', s.bold('Summary'), indent(inc.summary.trim()));
  lines.push('', s.bold('Roles'));
  lines.push(inc.roles.length ? indent(table(['ROLE', 'WHO', 'SINCE'], inc.roles.map((r) => [r.role, r.userName, relativeTime(r.assignedAt, out.now)]), s)) : '  none assigned');
  const done = inc.tasks.filter((t) => t.done).length;
  lines.push('', s.bold(`Tasks ${done}/${inc.tasks.length} done`));
  if (inc.tasks.length) lines.push(...inc.tasks.map((t) => `  ${t.done ? s.green('[x]') : '[ ]'} ${t.title}  ${s.dim(t.id)}`));
  lines.push('', s.bold('Timeline'));
  lines.push(
    timeline.length
      ? indent(table(['AT', 'WHAT', 'WHO', 'DETAIL'], timeline.map((e) => [localTime(e.at), e.kind, e.actor.name, truncate(e.body, 80)]), s))
      : '  (empty)',
  );
  return lines.join('\n');
}

async function fetchAll(client: FirebreakClient, query: Record<string, string | string[] | undefined>, pageSize: number): Promise<IncidentPage> {
  const items: Incident[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await client.get<IncidentPage>('/api/v1/incidents', { ...query, limit: pageSize, cursor });
    items.push(...page.items);
    if (!page.nextCursor || seen.has(page.nextCursor)) return { items, nextCursor: null };
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 200) {
    throw new AppError('VALIDATION', `limit: '${value}' must be a whole number from 1 to 200`, { issues: [{ field: 'limit', message: 'must be a whole number from 1 to 200' }] });
  }
  return Number(value);
}

export function registerIncidentCommands(program: Command): void {
  const incident = program
    .command('incident')
    .alias('incidents')
    .description('Declare, list, inspect and work incidents on a Firebreak server.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(incident.command(spec).description(description), examples);

  cmd('declare <title...>', 'Declare an incident. It starts triggered; checklists for its severity are added.', [
    'firebreak incident declare "Checkout 5xx spike" --severity SEV1 --service checkout',
    'firebreak incident declare Login slow --severity SEV3 --summary "p99 > 3s since 10:05"',
    'firebreak incident declare "DB failover" --severity SEV2 --json | jq -r .id',
  ])
    .requiredOption('--severity <sev>', 'severity key, e.g. SEV1 (see the server’s severity scheme)')
    .option('--service <service>', 'service id or slug')
    .option('--summary <markdown>', 'what is known so far (Markdown; - reads stdin)')
    .option('--drill', 'mark as a drill (kept out of lists and metrics by default)')
    .action(async (words: string[], opts: CommonOptions & { severity: string; service?: string; summary?: string; drill?: boolean }) => {
      const { client, out } = connect(opts);
      const summary = opts.summary === undefined ? undefined : await textArgument(opts.summary, 'summary');
      const inc = await client.post<Incident>('/api/v1/incidents', { title: words.join(' '), severity: opts.severity, service: opts.service, summary, isDrill: opts.drill === true });
      out.emit(inc, () => `Declared ${headline(inc, out)}\n  ${out.style.dim(inc.id)}${inc.service ? `  service ${inc.service.slug}` : ''}`);
    });

  cmd('list', 'List incidents, newest first.', [
    'firebreak incident list --status open',
    'firebreak incident list --severity SEV1,SEV2 --service checkout --query "timeout"',
    'firebreak incident list --status resolved --all --json | jq length',
  ])
    .option('--status <statuses>', `comma-separated: open (every unresolved one), ${STATUSES}`)
    .option('--severity <severities>', 'comma-separated severity keys')
    .option('--service <service>', 'service id or slug')
    .option('--query <text>', 'text in the title or summary')
    .option('--from <time>', 'declared at or after (ISO 8601 or epoch ms)')
    .option('--to <time>', 'declared before (ISO 8601 or epoch ms)')
    .option('--include-drills', 'include drills')
    .option('--limit <n>', 'page size, 1–200 (default 50)')
    .option('--all', 'follow cursors and print every match')
    .action(async (opts: CommonOptions & { status?: string; severity?: string; service?: string; query?: string; from?: string; to?: string; includeDrills?: boolean; limit?: string; all?: boolean }) => {
      const { client, out } = connect(opts);
      const limit = parseLimit(opts.limit);
      const query = {
        status: listOption(opts.status),
        severity: listOption(opts.severity),
        service: opts.service,
        q: opts.query,
        from: opts.from,
        to: opts.to,
        includeDrills: opts.includeDrills ? 'true' : undefined,
      };
      const page = opts.all ? await fetchAll(client, query, limit ?? 200) : await client.get<IncidentPage>('/api/v1/incidents', { ...query, limit });
      out.emit(page, () => renderList(page.items, out) + (page.nextCursor ? out.style.dim(`\n(more incidents match: add --all, or raise --limit)`) : ''));
    });

  cmd('show <ref>', 'Show one incident with its roles, tasks and timeline. <ref> is 42, #42 or inc_….', [
    'firebreak incident show 42',
    'firebreak incident show inc_01JQ… --json | jq ".timeline[] | .kind"',
  ]).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const [inc, timeline] = await Promise.all([
      client.get<IncidentDetail>(incidentPath(ref)),
      client.get<{ items: TimelineEventView[] }>(`${incidentPath(ref)}/timeline`),
    ]);
    out.emit({ ...inc, timeline: timeline.items }, () => renderDetail(inc, timeline.items, out));
  });

  cmd('ack <ref>', 'Acknowledge a triggered incident: paging stops. Exit 4 if it is not triggered.', [
    'firebreak incident ack 42',
    'firebreak incident ack 42 --note "on it, looking at the DB"',
  ])
    .option('--note <markdown>', 'a note for the timeline')
    .action(async (ref: string, opts: CommonOptions & { note?: string }) => {
      const { client, out } = connect(opts);
      const inc = await client.post<Incident>(`${incidentPath(ref)}/acknowledge`, { note: opts.note });
      out.emit(inc, () => `Acknowledged ${headline(inc, out)}`);
    });

  cmd('status <ref> <status>', `Move an incident to a status: ${STATUSES}. Exit 4 if the move is not allowed.`, [
    'firebreak incident status 42 identified --note "bad deploy 1.4.2"',
    'firebreak incident status 42 monitoring',
  ])
    .option('--note <markdown>', 'a note for the timeline')
    .action(async (ref: string, status: string, opts: CommonOptions & { note?: string }) => {
      const { client, out } = connect(opts);
      const inc = await client.post<Incident>(`${incidentPath(ref)}/status`, { status: status.trim().toLowerCase(), note: opts.note });
      out.emit(inc, () => `Moved ${headline(inc, out)}`);
    });

  cmd('resolve <ref>', 'Resolve an incident.', ['firebreak incident resolve 42 --note "rolled back to 1.4.1"'])
    .option('--note <markdown>', 'a note for the timeline')
    .action(async (ref: string, opts: CommonOptions & { note?: string }) => {
      const { client, out } = connect(opts);
      const inc = await client.post<Incident>(`${incidentPath(ref)}/resolve`, { note: opts.note });
      out.emit(inc, () => `Resolved ${headline(inc, out)}`);
    });

  cmd('note <ref> <markdown...>', 'Add a Markdown note to the timeline; `-` reads the note from stdin.', [
    'firebreak incident note 42 "Rolled back; error rate falling"',
    'kubectl logs deploy/api --tail 20 | firebreak incident note 42 -',
  ]).action(async (ref: string, words: string[], opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const body = words.length === 1 && words[0] === '-' ? await textArgument('-', 'body') : words.join(' ');
    const event = await client.post<TimelineEventView>(`${incidentPath(ref)}/notes`, { body });
    out.emit(event, () => `Note added to incident ${ref}  ${out.style.dim(event.id)}`);
  });

  cmd('assign <ref> <role> [user]', 'Give a role (commander, communications, scribe or your own) to a user by id or email; --clear removes it.', [
    'firebreak incident assign 42 commander alice@example.com',
    'firebreak incident assign 42 scribe --clear',
  ])
    .option('--clear', 'remove whoever holds the role')
    .action(async (ref: string, role: string, user: string | undefined, opts: CommonOptions & { clear?: boolean }) => {
      if ((user === undefined) === (opts.clear !== true)) {
        throw new AppError('VALIDATION', 'user: give a user (id or email) or --clear, not both or neither', { issues: [{ field: 'user', message: 'give a user or --clear' }] });
      }
      const { client, out } = connect(opts);
      const inc = await client.put<Incident>(`${incidentPath(ref)}/roles/${encodeURIComponent(role)}`, { user: opts.clear ? null : user });
      const holder = inc.roles.find((r) => r.role === role.trim().toLowerCase());
      out.emit(inc, () => `#${inc.number} ${role}: ${holder ? holder.userName : 'nobody'}`);
    });

  cmd('handoff <ref>', 'Hand a role (commander by default) to someone else with a structured note.', [
    'firebreak incident handoff 42 --to bob@example.com --state "mitigated, error rate 0.1%" --next "watch p99, write timeline"',
    'firebreak incident handoff 42 --role communications --to carol@example.com --state "status page updated 10:40" --next "next update 11:10" --actions "customers emailed"',
  ])
    .requiredOption('--to <user>', 'user id or email taking over')
    .requiredOption('--state <text>', 'where things stand')
    .requiredOption('--next <text>', 'what the next person should do')
    .option('--actions <text>', 'what has been done so far')
    .option('--role <role>', 'role being handed over', 'commander')
    .action(async (ref: string, opts: CommonOptions & { to: string; state: string; next: string; actions?: string; role: string }) => {
      const { client, out } = connect(opts);
      const inc = await client.post<Incident>(`${incidentPath(ref)}/handoff`, { role: opts.role, to: opts.to, state: opts.state, nextSteps: opts.next, actionsTaken: opts.actions });
      const holder = inc.roles.find((r) => r.role === opts.role.trim().toLowerCase());
      out.emit(inc, () => `#${inc.number} ${opts.role} handed to ${holder?.userName ?? opts.to}`);
    });

  cmd('severity <ref> <severity>', 'Change the severity; recorded on the timeline, and the new level’s checklists are added.', [
    'firebreak incident severity 42 SEV1 --reason "EU customers affected too"',
  ])
    .option('--reason <markdown>', 'why it changed')
    .action(async (ref: string, severity: string, opts: CommonOptions & { reason?: string }) => {
      const { client, out } = connect(opts);
      const inc = await client.post<Incident>(`${incidentPath(ref)}/severity`, { severity, reason: opts.reason });
      out.emit(inc, () => `Severity is now ${severityWord(inc.severity, out.style)}: ${headline(inc, out)}`);
    });

  cmd('reassign <ref> <user>', 'Re-assign to a person (id or email): they are paged at once. While triggered, escalation continues, its pending level re-timed from now.', [
    'firebreak incident reassign 42 carol@example.com',
    'firebreak incident reassign 42 carol@example.com --note "Carol owns the payment gateway"',
  ])
    .option('--note <markdown>', 'a note for the timeline')
    .action(async (ref: string, user: string, opts: CommonOptions & { note?: string }) => {
      const { client, out } = connect(opts);
      const inc = await client.post<Incident & { deliveries: number; escalationDueAt: string | null }>(`${incidentPath(ref)}/reassign`, { user, note: opts.note });
      out.emit(inc, () => [
        `Re-assigned ${headline(inc, out)} to ${inc.assignee?.name ?? user}`,
        `  paged now (${inc.deliveries} notification${inc.deliveries === 1 ? '' : 's'}); ${inc.escalationDueAt ? `escalation continues ${relativeTime(inc.escalationDueAt, out.now)}` : 'escalation stays stopped'}`,
      ].join('\n'));
    });

  cmd('page <ref>', 'Page a person, whoever is on call for a schedule, or the next escalation level, now (exactly one of --user, --schedule, --next).', [
    'firebreak incident page 42 --user bob@example.com --note "need a DBA"',
    'firebreak incident page 42 --schedule "Payments secondary"',
    'firebreak incident page 42 --next',
  ])
    .option('--user <user>', 'user id or email')
    .option('--schedule <schedule>', 'schedule id or name: whoever is on call there now')
    .option('--next', 'the level escalation would page next (while triggered it fires now; once acknowledged it is paged by hand and escalation stays paused)')
    .option('--note <markdown>', 'a note for the timeline')
    .action(async (ref: string, opts: CommonOptions & { user?: string; schedule?: string; next?: boolean; note?: string }) => {
      if ([opts.user, opts.schedule, opts.next].filter((v) => v !== undefined).length !== 1) {
        throw new AppError('VALIDATION', 'user: give exactly one of --user, --schedule or --next', { issues: [{ field: 'user', message: 'give exactly one of --user, --schedule or --next' }] });
      }
      const { client, out } = connect(opts);
      const body = opts.next ? { level: 'next', note: opts.note } : { user: opts.user, schedule: opts.schedule, note: opts.note };
      const result = await client.post<{ userIds: string[]; users?: { id: string; name: string; email: string; reachable: boolean }[]; deliveries: number; level?: number; mode?: 'escalated' | 'paged' }>(`${incidentPath(ref)}/page`, body);
      const people = result.users ?? result.userIds.map((id) => ({ id, name: id, email: '', reachable: true }));
      const unreachable = people.filter((p) => !p.reachable);
      out.emit(result, () => result.mode === 'escalated'
        ? `Level ${result.level! + 1} falls due now; the escalation worker pages it`
        : [
          `Paged ${people.map((p) => p.name).join(', ')}${result.level !== undefined ? ` (level ${result.level + 1})` : ''}: ${result.deliveries} notification${result.deliveries === 1 ? '' : 's'} queued`,
          ...unreachable.map((p) => out.style.yellow(`${p.name}${p.email ? ` <${p.email}>` : ''} has no contact method, so nothing was sent to them: add one with \`firebreak contact add --user ${p.email || p.id} …\` or they can in the web UI under My contacts.`)),
        ].join('\n'));
    });

  const task = incident.command('task').description('Add and tick tasks on an incident checklist.');
  withExamples(task.command('add <ref> <title...>').description('Add a task to the checklist.'), [
    'firebreak incident task add 42 "Page the database on-call"',
  ]).action(async (ref: string, words: string[], opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const t = await client.post<TaskView>(`${incidentPath(ref)}/tasks`, { title: words.join(' ') });
    out.emit(t, () => `Added [ ] ${t.title}  ${out.style.dim(t.id)}`);
  });
  withExamples(task.command('done <ref> <task-id>').description('Tick a task (or untick it with --undo).'), [
    'firebreak incident task done 42 task_01JQ…',
    'firebreak incident task done 42 task_01JQ… --undo',
  ])
    .option('--undo', 'mark it not done')
    .action(async (ref: string, taskId: string, opts: CommonOptions & { undo?: boolean }) => {
      const { client, out } = connect(opts);
      const t = await client.patch<TaskView>(`${incidentPath(ref)}/tasks/${encodeURIComponent(taskId)}`, { done: opts.undo !== true });
      out.emit(t, () => `${t.done ? out.style.green('[x]') : '[ ]'} ${t.title}  ${out.style.dim(t.id)}`);
    });

  addCommonOptions(incident);
}
