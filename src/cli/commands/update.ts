import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { UpdatePreview } from '../../domain/updates/preview-update.js';
import type { UpdateList } from '../../domain/updates/list-updates.js';
import type { UpdateTemplateView, UpdateView } from '../../domain/updates/update-view.js';
import { addCommonOptions, connect, incidentPath, listOption, textArgument, withExamples, type CommonOptions } from '../command-kit.js';
import { relativeTime, table } from '../output.js';

/**
 * `--next-update-by`: `30m`, `2h`, an ISO time, or `none`; absent: the severity's cadence
 * (decided by the server).
 */
export function nextUpdateByOption(value: string | undefined, now: number): string | null | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'none') return null;
  const m = /^(\d+)\s*(m|min|h|d)$/.exec(v);
  if (m) return new Date(now + Number(m[1]) * { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'min' | 'h' | 'd']).toISOString();
  if (!Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  throw new AppError('VALIDATION', `nextUpdateBy: '${value}' is not a duration (30m, 2h), an ISO time or none`, { issues: [{ field: 'nextUpdateBy', message: 'give 30m, 2h, an ISO time or none' }] });
}

const fileOrStdin = async (path: string, field: string): Promise<string> => (path === '-' ? textArgument('-', field) : readFileSync(path, 'utf8'));
const audienceQuery = (audience: string | undefined) => (audience ? `?audience=${encodeURIComponent(audience)}` : '');

/** `firebreak update …`: stakeholder updates on an incident, their templates and cadence. */
export function registerUpdateCommands(program: Command): void {
  const update = program.command('update').alias('updates').description('Stakeholder updates: post, list and preview them; manage their templates.');
  const cmd = (parent: Command, spec: string, description: string, examples: string[]) => withExamples(parent.command(spec).description(description), examples);

  cmd(update, 'post <ref> [markdown...]', 'Post an update; without text, the template for the kind is rendered and posted; `-` reads stdin.', [
    'firebreak update post 42 "Rolled back 1.4.2; error rate falling." --audience internal,public',
    'firebreak update post 42 --kind initial --next-update-by 15m',
    'firebreak update post 42 --kind resolution "Fixed by rolling back."',
  ])
    .option('--kind <kind>', 'initial, update or resolution', 'update')
    .option('--audience <list>', 'responders, internal, public (comma-separated)', 'responders')
    .option('--next-update-by <when>', '30m, 2h, an ISO time, or none (default: the severity cadence)')
    .action(async (ref: string, words: string[], opts: CommonOptions & { kind: string; audience: string; nextUpdateBy?: string }) => {
      const { client, out } = connect(opts);
      const nextUpdateBy = nextUpdateByOption(opts.nextUpdateBy, Date.now());
      const audiences = listOption(opts.audience);
      let body = words.length === 1 && words[0] === '-' ? await textArgument('-', 'body') : words.join(' ');
      const bodies: Record<string, string> = {};
      if (!body.trim()) {
        // No text: each audience gets its own template, rendered for this incident.
        for (const audience of audiences ?? ['responders']) {
          bodies[audience] = (await client.post<UpdatePreview>(`${incidentPath(ref)}/updates/preview`, { kind: opts.kind, audience, nextUpdateBy })).body;
        }
        body = Object.values(bodies)[0]!;
      }
      const u = await client.post<UpdateView>(`${incidentPath(ref)}/updates`, { kind: opts.kind, body, bodies, audiences, nextUpdateBy });
      out.emit(u, () => `Posted ${u.kind} update to ${u.audiences.join(', ')} on incident ${ref}${u.nextUpdateBy ? `; next update by ${u.nextUpdateBy}` : ''}  ${out.style.dim(u.id)}`);
    });

  cmd(update, 'list <ref>', "An incident's updates, oldest first, and when the next one is due.", ['firebreak update list 42']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const list = await client.get<UpdateList>(`${incidentPath(ref)}/updates`);
    out.emit(list, () => {
      const sent = (u: UpdateView) => Object.entries(u.deliveries).map(([a, d]) => `${a} ${d.sent}/${d.total}${d.failed ? ` (${d.failed} failed)` : ''}`).join(', ') || '-';
      const rows = list.items.map((u) => [u.postedAt, u.kind, u.audiences.join(','), u.author.name, sent(u), u.body.split('\n')[0]!.slice(0, 60)]);
      const due = list.nextUpdateBy ? `Next update due ${relativeTime(list.nextUpdateBy, Date.now())} (${list.nextUpdateBy})` : 'No next update due.';
      return `${list.items.length ? table(['POSTED', 'KIND', 'AUDIENCES', 'AUTHOR', 'SENT', 'BODY'], rows, out.style) : 'No updates yet.'}\n${due}`;
    });
  });

  cmd(update, 'preview <ref>', 'Render the template for an incident without posting (--template-file tries a template).', [
    'firebreak update preview 42 --kind initial',
    'firebreak update preview 42 --audience public --template-file public.liquid',
  ])
    .option('--kind <kind>', 'initial, update or resolution', 'update')
    .option('--audience <audience>', 'responders, internal or public')
    .option('--template-file <path>', 'a Liquid template to try; - reads stdin')
    .option('--next-update-by <when>', '30m, 2h, an ISO time, or none')
    .action(async (ref: string, opts: CommonOptions & { kind: string; audience?: string; templateFile?: string; nextUpdateBy?: string }) => {
      const { client, out } = connect(opts);
      const template = opts.templateFile ? await fileOrStdin(opts.templateFile, 'template') : undefined;
      const p = await client.post<UpdatePreview>(`${incidentPath(ref)}/updates/preview`, { kind: opts.kind, audience: opts.audience, template, nextUpdateBy: nextUpdateByOption(opts.nextUpdateBy, Date.now()) });
      out.emit(p, () => p.body);
    });

  const template = update.command('template').alias('templates').description('Update templates (Liquid), per kind and optional audience.');
  cmd(template, 'list', 'Stored templates and the built-in default of each kind without one.', ['firebreak update template list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: UpdateTemplateView[] }>('/api/v1/update-templates');
    out.emit(page, () => table(['KIND', 'AUDIENCE', 'SOURCE', 'FIRST LINE'], page.items.map((t) => [t.kind, t.audience ?? 'any', t.source, t.body.split('\n')[0]!.slice(0, 60)]), out.style));
  });
  cmd(template, 'set <kind> <file>', 'Create or replace the template of a kind from a file (- reads stdin); checked before saving.', [
    'firebreak update template set update update.liquid',
    'firebreak update template set initial public-initial.liquid --audience public',
  ])
    .option('--audience <audience>', 'responders, internal or public (default: any audience)')
    .action(async (kind: string, file: string, opts: CommonOptions & { audience?: string }) => {
      const { client, out } = connect(opts);
      const body = await fileOrStdin(file, 'body');
      const t = await client.put<UpdateTemplateView>(`/api/v1/update-templates/${encodeURIComponent(kind)}${audienceQuery(opts.audience)}`, { body });
      out.emit(t, () => `Saved the ${t.kind} template for ${t.audience ?? 'any audience'}`);
    });
  cmd(template, 'delete <kind>', 'Delete a stored template; the built-in default applies again.', ['firebreak update template delete update --audience public'])
    .option('--audience <audience>', 'responders, internal or public (default: the any-audience template)')
    .action(async (kind: string, opts: CommonOptions & { audience?: string }) => {
      const { client, out } = connect(opts);
      await client.delete(`/api/v1/update-templates/${encodeURIComponent(kind)}${audienceQuery(opts.audience)}`);
      out.emit({ deleted: true }, () => `Deleted the ${kind} template for ${opts.audience ?? 'any audience'}`);
    });

  addCommonOptions(update);
}
