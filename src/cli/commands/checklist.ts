import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { isAppError } from '../../core/errors.js';
import type { ChecklistTemplateView } from '../../domain/tasks/checklist-template-view.js';
import { addCommonOptions, connect, textArgument, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

const offset = (s: number) => (s % 86_400 === 0 ? `${s / 86_400}d` : s % 3600 === 0 ? `${s / 3600}h` : `${Math.round(s / 60)}m`);

/** `firebreak checklist …`: checklist templates, including post-incident ones with time windows. */
export function registerChecklistCommands(program: Command): void {
  const checklist = program.command('checklist').alias('checklists').description('Checklist templates: tasks added when an incident opens (on_open) or resolves (on_resolve, with time windows).');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(checklist.command(spec).description(description), examples);

  cmd('list', 'Checklist templates with their trigger, severities and time windows.', ['firebreak checklist list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: ChecklistTemplateView[] }>('/api/v1/checklist-templates');
    out.emit(page, () =>
      table(
        ['SLUG', 'NAME', 'TRIGGER', 'SEVERITIES', 'TASKS'],
        page.items.map((t) => [
          t.slug, t.name, t.trigger, t.severities.join(','),
          [...(t.items.length ? [`${t.items.length} items`] : []), ...t.groups.map((g) => `${g.name} (+${offset(g.dueOffsetSeconds)}): ${g.items.length}`)].join('; '),
        ]),
        out.style,
      ),
    );
  });

  cmd('set <file>', 'Create or replace a template from a YAML or JSON file (- reads stdin); the same shape as a firebreak.yaml checklists: entry.', [
    'firebreak checklist set post-incident.yaml',
  ]).action(async (file: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const body = parse(file === '-' ? await textArgument('-', 'file') : readFileSync(file, 'utf8')) as { slug?: string };
    let t: ChecklistTemplateView;
    try {
      t = await client.patch<ChecklistTemplateView>(`/api/v1/checklist-templates/${encodeURIComponent(String(body.slug ?? ''))}`, body);
    } catch (e) {
      if (!isAppError(e) || e.code !== 'NOT_FOUND') throw e;
      t = await client.post<ChecklistTemplateView>('/api/v1/checklist-templates', body);
    }
    out.emit(t, () => `Saved checklist ${t.slug} (${t.trigger}, ${t.items.length + t.groups.reduce((n, g) => n + g.items.length, 0)} tasks)`);
  });

  cmd('delete <slug>', 'Delete a template; tasks already added stay.', ['firebreak checklist delete post-incident']).action(async (slug: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/checklist-templates/${encodeURIComponent(slug)}`);
    out.emit({ deleted: true }, () => `Deleted checklist ${slug}`);
  });

  addCommonOptions(checklist);
}
