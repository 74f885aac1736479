import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { postmortemMarkdown } from '../../domain/postmortems/get-postmortem.js';
import type { TemplateView } from '../../domain/postmortems/find-template.js';
import type { PostmortemView } from '../../domain/postmortems/postmortem-view.js';
import type { StarView } from '../../domain/postmortems/star-timeline-event.js';
import type { FirebreakClient } from '../client.js';
import { addCommonOptions, connect, incidentPath, listOption, textArgument, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

const fileOrStdin = async (path: string, field: string): Promise<string> => (path === '-' ? textArgument('-', field) : readFileSync(path, 'utf8'));

/** `--due`: `5d`, `12h`, an ISO time, or `none`. */
export function dueOption(value: string | undefined, now: number): string | null | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'none') return null;
  const m = /^(\d+)\s*(h|d)$/.exec(v);
  if (m) return new Date(now + Number(m[1]) * (m[2] === 'h' ? 3_600_000 : 86_400_000)).toISOString();
  if (!Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  throw new AppError('VALIDATION', `dueAt: '${value}' is not a duration (5d, 12h), an ISO time or none`, { issues: [{ field: 'dueAt', message: 'give 5d, 12h, an ISO time or none' }] });
}

/** A post-mortem named by its id (pm_…) or by an incident it covers (42, #42, inc_…). */
async function findPostmortem(client: FirebreakClient, ref: string): Promise<PostmortemView> {
  return ref.startsWith('pm_') ? client.get<PostmortemView>(`/api/v1/postmortems/${encodeURIComponent(ref)}`) : client.get<PostmortemView>(`${incidentPath(ref)}/postmortem`);
}

const summary = (p: PostmortemView) =>
  `${p.title} [${p.status}] incidents ${p.incidents.map((i) => `#${i.number}`).join(', ')}; owner ${p.owner?.name ?? 'none'}${p.dueAt ? `; due ${p.dueAt}${p.overdue ? ' (overdue)' : ''}` : ''}  ${p.id}`;

/** `firebreak postmortem …`: post-mortems drafted from the record, their lifecycle and templates. */
export function registerPostmortemCommands(program: Command): void {
  const pm = program.command('postmortem').alias('postmortems').description('Post-mortems: create from the record, edit, review, publish, export; templates; starred timeline moments.');
  const cmd = (parent: Command, spec: string, description: string, examples: string[]) => withExamples(parent.command(spec).description(description), examples);

  cmd(pm, 'create <incident>', 'Start the post-mortem of an incident, drafted from its record with a template.', [
    'firebreak postmortem create 42',
    'firebreak postmortem create 42 --related 43,44 --template google-sre --owner alice@example.com --due 5d',
  ])
    .option('--related <refs>', 'other incidents it also covers (comma-separated)')
    .option('--template <slug>', 'blameless (default), google-sre or a team template')
    .option('--owner <user>', 'user id or e-mail (default: you)')
    .option('--reviewers <users>', 'comma-separated user ids or e-mails')
    .option('--due <when>', "5d, 12h or an ISO time (default: the severity's due date after resolution)")
    .action(async (ref: string, opts: CommonOptions & { related?: string; template?: string; owner?: string; reviewers?: string; due?: string }) => {
      const { client, out } = connect(opts);
      const p = await client.post<PostmortemView>(`${incidentPath(ref)}/postmortem`, {
        related: listOption(opts.related), template: opts.template, owner: opts.owner, reviewers: listOption(opts.reviewers), dueAt: dueOption(opts.due, Date.now()) ?? undefined,
      });
      out.emit(p, () => `Created ${summary(p)}`);
    });

  cmd(pm, 'show <ref>', 'A post-mortem (by incident or pm_ id): its state and Markdown text.', ['firebreak postmortem show 42']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const p = await findPostmortem(client, ref);
    out.emit(p, () => `${summary(p)}\n\n${p.body}`);
  });

  cmd(pm, 'edit <ref>', 'Replace the text (--file, - reads stdin), the public text, owner, reviewers or due date.', [
    'firebreak postmortem edit 42 --file postmortem.md',
    'firebreak postmortem edit 42 --public-file public.md --due 3d',
  ])
    .option('--file <path>', 'Markdown text of the post-mortem')
    .option('--public-file <path>', 'Markdown shown on the status page once published')
    .option('--title <title>')
    .option('--owner <user>', 'user id or e-mail, or none')
    .option('--reviewers <users>', 'comma-separated user ids or e-mails')
    .option('--due <when>', '5d, 12h, an ISO time, or none')
    .action(async (ref: string, opts: CommonOptions & { file?: string; publicFile?: string; title?: string; owner?: string; reviewers?: string; due?: string }) => {
      const { client, out } = connect(opts);
      const current = await findPostmortem(client, ref);
      const p = await client.patch<PostmortemView>(`/api/v1/postmortems/${current.id}`, {
        version: current.version,
        title: opts.title,
        body: opts.file ? await fileOrStdin(opts.file, 'body') : undefined,
        publicBody: opts.publicFile ? await fileOrStdin(opts.publicFile, 'publicBody') : undefined,
        owner: opts.owner === undefined ? undefined : opts.owner === 'none' ? null : opts.owner,
        reviewers: listOption(opts.reviewers),
        dueAt: dueOption(opts.due, Date.now()),
      });
      out.emit(p, () => `Saved ${summary(p)}`);
    });

  for (const [move, text] of [['submit', 'Submit a draft for review.'], ['publish', 'Publish a reviewed post-mortem (covered incidents must be resolved).'], ['return', 'Return it to draft.']] as const) {
    cmd(pm, `${move} <ref>`, text, [`firebreak postmortem ${move} 42`]).action(async (ref: string, opts: CommonOptions) => {
      const { client, out } = connect(opts);
      const current = await findPostmortem(client, ref);
      const p = await client.post<PostmortemView>(`/api/v1/postmortems/${current.id}/${move}`);
      out.emit(p, () => `${summary(p)}`);
    });
  }

  cmd(pm, 'export <ref>', 'Export as Markdown (to stdout, or --output file).', ['firebreak postmortem export 42 --output pm-42.md'])
    .option('-o, --output <path>', 'write to this file')
    .action(async (ref: string, opts: CommonOptions & { output?: string }) => {
      const { client, out } = connect(opts);
      const md = postmortemMarkdown(await findPostmortem(client, ref));
      if (opts.output) {
        writeFileSync(opts.output, md);
        out.emit({ written: opts.output }, () => `Wrote ${opts.output}`);
      } else process.stdout.write(md);
    });

  cmd(pm, 'list', 'Post-mortems, newest first.', ['firebreak postmortem list --status in_review'])
    .option('--status <status>', 'draft, in_review or published')
    .action(async (opts: CommonOptions & { status?: string }) => {
      const { client, out } = connect(opts);
      const page = await client.get<{ items: PostmortemView[] }>('/api/v1/postmortems', { status: opts.status });
      out.emit(page, () => (page.items.length
        ? table(['ID', 'STATUS', 'INCIDENTS', 'OWNER', 'DUE', 'TITLE'], page.items.map((p) => [p.id, p.status, p.incidents.map((i) => `#${i.number}`).join(','), p.owner?.name ?? '', `${p.dueAt ?? ''}${p.overdue ? ' overdue' : ''}`, p.title]), out.style)
        : 'No post-mortems.'));
    });

  cmd(pm, 'star <incident> <event>', 'Star a timeline event (evt_…) as a key moment.', ['firebreak postmortem star 42 evt_01… --tag detection'])
    .option('--tag <tag>', 'detection, diagnosis, mitigation, repair or other', 'other')
    .action(async (ref: string, event: string, opts: CommonOptions & { tag: string }) => {
      const { client, out } = connect(opts);
      const s = await client.put<StarView>(`${incidentPath(ref)}/timeline/${encodeURIComponent(event)}/star`, { tag: opts.tag });
      out.emit(s, () => `Starred ${s.eventId} as ${s.tag}`);
    });
  cmd(pm, 'unstar <incident> <event>', 'Unstar a timeline event.', ['firebreak postmortem unstar 42 evt_01…']).action(async (ref: string, event: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`${incidentPath(ref)}/timeline/${encodeURIComponent(event)}/star`);
    out.emit({ eventId: event, starred: false }, () => `Unstarred ${event}`);
  });
  cmd(pm, 'close <incident>', 'Close a resolved incident (refused while its severity requires a published post-mortem).', ['firebreak postmortem close 42']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const r = await client.post<{ incident: number; closedAt: string }>(`${incidentPath(ref)}/close`);
    out.emit(r, () => `Closed incident #${r.incident} at ${r.closedAt}`);
  });

  const template = pm.command('template').alias('templates').description('Post-mortem templates (Liquid): built-in and teams\' own.');
  cmd(template, 'list', 'Built-in and team templates.', ['firebreak postmortem template list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: TemplateView[] }>('/api/v1/postmortem-templates');
    out.emit(page, () => table(['SLUG', 'NAME', 'SOURCE'], page.items.map((t) => [t.slug, t.name, t.builtIn ? 'built-in' : (t.managedBy ?? 'api')]), out.style));
  });
  cmd(template, 'show <slug>', 'Print a template.', ['firebreak postmortem template show blameless']).action(async (slug: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: TemplateView[] }>('/api/v1/postmortem-templates');
    const t = page.items.find((x) => x.slug === slug);
    if (!t) throw new AppError('NOT_FOUND', `post-mortem template ${slug} was not found`);
    out.emit(t, () => t.body);
  });
  cmd(template, 'set <slug> <file>', 'Create or replace a team template from a file (- reads stdin); checked before saving.', ['firebreak postmortem template set lightweight lightweight.liquid --name "Lightweight"'])
    .requiredOption('--name <name>', 'display name')
    .action(async (slug: string, file: string, opts: CommonOptions & { name: string }) => {
      const { client, out } = connect(opts);
      const t = await client.put<TemplateView>(`/api/v1/postmortem-templates/${encodeURIComponent(slug)}`, { name: opts.name, body: await fileOrStdin(file, 'body') });
      out.emit(t, () => `Saved template ${t.slug}`);
    });
  cmd(template, 'delete <slug>', 'Delete a team template.', ['firebreak postmortem template delete lightweight']).action(async (slug: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/postmortem-templates/${encodeURIComponent(slug)}`);
    out.emit({ deleted: true }, () => `Deleted template ${slug}`);
  });

  addCommonOptions(pm);
}
