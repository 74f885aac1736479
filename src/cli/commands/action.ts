import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { ActionItemView } from '../../domain/actions/action-item-view.js';
import { addCommonOptions, connect, incidentPath, withExamples, type CommonOptions } from '../command-kit.js';
import { table, truncate } from '../output.js';

/** `--due`: `3d`, `2w`, `12h`, a date (2026-03-10) or an ISO time; the server refuses the past. */
export function dueOption(value: string, now: number): string {
  const v = value.trim().toLowerCase();
  const m = /^(\d+)\s*(h|d|w)$/.exec(v);
  if (m) return new Date(now + Number(m[1]) * { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }[m[2] as 'h' | 'd' | 'w']).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  if (!Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  throw new AppError('VALIDATION', `dueAt: '${value}' is not a duration (3d, 2w), a date (2026-03-10) or an ISO time`, { issues: [{ field: 'dueAt', message: 'give 3d, 2w, a date or an ISO time' }] });
}

const STATUS_WORDS: Record<string, string> = { open: 'open', done: 'done', wont_do: "won't do" };

function itemLine(i: ActionItemView): string {
  return `${i.title} — ${i.owner.name}, due ${i.dueAt.slice(0, 10)}${i.overdue ? ' (OVERDUE)' : ''}, ${STATUS_WORDS[i.status]}  ${i.id}`;
}

/** `firebreak action …`: follow-ups from incidents, with owners and due dates. */
export function registerActionCommands(program: Command): void {
  const action = program.command('action').alias('actions').description('Action items: follow-ups from incidents with an owner, a due date and a priority.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(action.command(spec).description(description), examples);

  cmd('list', 'Action items, soonest due first (filters: --incident, --team, --owner, --service, --status, --overdue).', [
    'firebreak action list --team payments --overdue',
    'firebreak action list --owner alice@example.com --status open',
    'firebreak action list --incident 42',
  ])
    .option('--incident <ref>', 'incident number or id')
    .option('--team <team>', 'team slug: items its members own or on services it owns')
    .option('--owner <user>', 'user e-mail or id')
    .option('--service <service>', 'service slug')
    .option('--status <status>', 'open, done or wont_do')
    .option('--overdue', 'only open items past their due date')
    .action(async (opts: CommonOptions & { incident?: string; team?: string; owner?: string; service?: string; status?: string; overdue?: boolean }) => {
      const { client, out } = connect(opts);
      const q = new URLSearchParams();
      for (const k of ['incident', 'team', 'owner', 'service', 'status'] as const) if (opts[k]) q.set(k, opts[k]!);
      if (opts.overdue) q.set('overdue', 'true');
      const page = await client.get<{ items: ActionItemView[] }>(`/api/v1/action-items${q.size ? `?${q}` : ''}`);
      out.emit(page, () =>
        page.items.length === 0
          ? 'No action items.'
          : table(
              ['DUE', 'STATUS', 'PRIORITY', 'OWNER', 'INCIDENT', 'SERVICE', 'TITLE', 'ID'],
              page.items.map((i) => [
                i.dueAt.slice(0, 10), i.overdue ? out.style.red('overdue') : STATUS_WORDS[i.status]!, i.priority, i.owner.name,
                `#${i.incident.number}`, i.service?.name ?? '—', truncate(i.title, 50), out.style.dim(i.id),
              ]),
              out.style,
            ),
      );
    });

  cmd('add <incident> <title...>', 'Add an action item to an incident; its owner is reminded when it becomes overdue.', [
    'firebreak action add 42 "Add a circuit breaker to the card API" --owner alice@example.com --due 2w --priority high',
    'firebreak action add 42 "Alert on queue depth" --owner bob@example.com --due 2026-03-31 --link https://github.com/acme/shop/issues/881',
  ])
    .requiredOption('--owner <user>', 'user e-mail or id')
    .requiredOption('--due <when>', '3d, 2w, a date (2026-03-10) or an ISO time')
    .option('--priority <priority>', 'high, medium or low', 'medium')
    .option('--link <url>', 'the external issue (http or https)')
    .option('--postmortem <id>', 'the post-mortem the item came from')
    .action(async (ref: string, words: string[], opts: CommonOptions & { owner: string; due: string; priority: string; link?: string; postmortem?: string }) => {
      const { client, out } = connect(opts);
      const i = await client.post<ActionItemView>(`${incidentPath(ref)}/action-items`, {
        title: words.join(' '), owner: opts.owner, dueAt: dueOption(opts.due, Date.now()), priority: opts.priority, externalUrl: opts.link, postmortemId: opts.postmortem,
      });
      out.emit(i, () => `Added to incident #${i.incident.number}: ${itemLine(i)}`);
    });

  cmd('done <id>', 'Mark an action item done (cancels its reminder).', ['firebreak action done act_01j…']).action(async (id: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const i = await client.post<ActionItemView>(`/api/v1/action-items/${encodeURIComponent(id)}/status`, { status: 'done' });
    out.emit(i, () => `Done: ${itemLine(i)}`);
  });

  cmd('wontdo <id> <reason...>', "Close an action item as won't do; the reason is required.", ['firebreak action wontdo act_01j… "Replaced by the new gateway (PAY-99)"']).action(
    async (id: string, words: string[], opts: CommonOptions) => {
      const { client, out } = connect(opts);
      const i = await client.post<ActionItemView>(`/api/v1/action-items/${encodeURIComponent(id)}/status`, { status: 'wont_do', reason: words.join(' ') });
      out.emit(i, () => `Won't do: ${itemLine(i)} (${i.reason})`);
    },
  );

  cmd('edit <id>', 'Change the title, owner, due date, priority or link of an open item.', [
    'firebreak action edit act_01j… --due 2026-04-15 --owner carol@example.com',
    'firebreak action edit act_01j… --link none',
  ])
    .option('--title <title>', 'new title')
    .option('--owner <user>', 'user e-mail or id')
    .option('--due <when>', '3d, 2w, a date or an ISO time (moves the reminder)')
    .option('--priority <priority>', 'high, medium or low')
    .option('--link <url>', 'the external issue; none removes it')
    .option('--reopen', 're-open a closed item first')
    .action(async (id: string, opts: CommonOptions & { title?: string; owner?: string; due?: string; priority?: string; link?: string; reopen?: boolean }) => {
      const { client, out } = connect(opts);
      const path = `/api/v1/action-items/${encodeURIComponent(id)}`;
      if (opts.reopen) await client.post(`${path}/status`, { status: 'open' });
      const i = await client.patch<ActionItemView>(path, {
        title: opts.title, owner: opts.owner, priority: opts.priority,
        dueAt: opts.due === undefined ? undefined : dueOption(opts.due, Date.now()),
        externalUrl: opts.link === undefined ? undefined : opts.link.toLowerCase() === 'none' ? null : opts.link,
      });
      out.emit(i, () => `Changed: ${itemLine(i)}`);
    });

  addCommonOptions(action);
}
