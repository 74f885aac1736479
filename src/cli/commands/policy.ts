import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { addCommonOptions, connect, withExamples, type CommonOptions } from '../command-kit.js';
import { loadNames, type NamedKind } from '../names.js';
import { table } from '../output.js';

interface PolicyView {
  id: string;
  name: string;
  levels: { delaySeconds: number; targets: { type: string; id: string }[] }[];
  repeat: number;
  severities: string[];
  usedBy?: string[];
}

interface PreviewPerson { name: string; email: string; disabled: boolean; reachable: boolean }
interface PolicyPreview {
  policy: { name: string };
  severity: string | null;
  startsAt: string;
  steps: { at: string; offsetSeconds: number; kind: string; level: number | null; round: number | null; targets: { type: string; name: string; people: PreviewPerson[] }[]; paged: PreviewPerson[]; reason: string }[];
  end: string;
}

const after = (s: number): string => (s === 0 ? 'at once' : s % 60 === 0 ? `+${s / 60} min` : `+${s} s`);
const who = (p: PreviewPerson): string => `${p.name}${p.reachable ? '' : ' (no contact method)'}`;

function renderPreview(p: PolicyPreview): string {
  const lines = [`${p.policy.name}${p.severity ? ` for ${p.severity}` : ''}, opening ${p.startsAt}, nobody acknowledging:`];
  for (const s of p.steps) {
    const what = s.kind === 'if-unresolved' ? 'if unresolved' : `level ${s.level}${s.round && s.round > 1 ? `, round ${s.round}` : ''}`;
    const skipped = s.targets.flatMap((t) => t.people.filter((x) => x.disabled)).map((x) => `${x.name} (disabled)`);
    const body = s.paged.length ? `pages ${s.paged.map(who).join(', ')}` : `pages nobody: ${s.reason.replace(/^.*?: /, '')}`;
    lines.push(`  ${after(s.offsetSeconds).padEnd(9)} ${what}: ${body}${skipped.length ? `; skips ${skipped.join(', ')}` : ''}`);
  }
  lines.push(`  then: ${p.end}`);
  return lines.join('\n');
}

const readJson = async (file: string): Promise<unknown> => JSON.parse(file === '-' ? await new Response(process.stdin as unknown as ReadableStream).text() : await readFile(file, 'utf8'));

/** `firebreak policy …`: escalation policies. */
export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').alias('policies').description('Escalation policies: who is paged, in which order, after how long.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(policy.command(spec).description(description), examples);
  type Name = Awaited<ReturnType<typeof loadNames>>;
  // Targets by name (`user Ana Silva`), not by id.
  const names = (client: Parameters<typeof loadNames>[0]) => loadNames(client, ['user', 'schedule', 'team']);
  const render = (p: PolicyView, name: Name) => [
    `${p.name}  ${p.id}  repeat ${p.repeat}  default for ${p.severities.join(', ') || '-'}`,
    `  used by ${p.usedBy?.length ? p.usedBy.join(', ') : 'nothing (an incident only pages with it if a severity, service or routing rule names it)'}`,
    ...p.levels.map((l, i) => `  level ${i + 1} after ${l.delaySeconds}s: ${l.targets.map((t) => `${t.type} ${['user', 'schedule', 'team'].includes(t.type) ? name(t.type as NamedKind, t.id) : t.id}`).join(', ')}`),
  ].join('\n');

  cmd('list', 'List escalation policies.', ['firebreak policy list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: PolicyView[] }>('/api/v1/escalation-policies');
    out.emit(page, () => (page.items.length ? table(['ID', 'NAME', 'LEVELS', 'SEVERITIES'], page.items.map((p) => [p.id, p.name, String(p.levels.length), p.severities.join(',') || '-']), out.style) : 'No policies yet.'));
  });
  cmd('show <policy>', 'One policy.', ['firebreak policy show pol_…']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const p = await client.get<PolicyView>(`/api/v1/escalation-policies/${encodeURIComponent(ref)}`);
    const name = out.json ? null : await names(client);
    out.emit(p, () => render(p, name!));
  });
  cmd('create <file>', 'Create a policy from JSON ({name, levels, repeat, ackTimeoutSeconds, catchUp, severities}).', ['firebreak policy create sev1.json']).action(async (file: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const p = await client.post<PolicyView>('/api/v1/escalation-policies', await readJson(file));
    const name = out.json ? null : await names(client);
    out.emit(p, () => `Created\n${render(p, name!)}`);
  });
  cmd('update <policy> <file>', 'Replace a policy (running incidents keep their snapshot).', ['firebreak policy update pol_… sev1.json']).action(async (ref: string, file: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const p = await client.put<PolicyView>(`/api/v1/escalation-policies/${encodeURIComponent(ref)}`, await readJson(file));
    const name = out.json ? null : await names(client);
    out.emit(p, () => `Updated\n${render(p, name!)}`);
  });
  cmd('preview <policy>', 'Dry-run: who would be paged, and when, if an incident opened now and nobody acknowledged. Pages nobody.', [
    'firebreak policy preview "Payments SEV1" --severity SEV1',
    'firebreak policy preview pol_… --severity SEV2 --label service=checkout --firing 3',
  ])
    .option('--severity <key>', 'the incident\'s severity (level conditions may depend on it)')
    .option('--label <name=value...>', 'labels of the alert(s), for label conditions')
    .option('--firing <n>', 'how many alerts with those labels are firing (firingAlerts conditions)', '1')
    .option('--at <time>', 'when the incident opens (ISO 8601); default now')
    .action(async (ref: string, opts: CommonOptions & { severity?: string; label?: string[]; firing: string; at?: string }) => {
      const { client, out } = connect(opts);
      const labels: Record<string, string> = {};
      for (const pair of opts.label ?? []) {
        const eq = pair.indexOf('=');
        if (eq < 1) throw new AppError('VALIDATION', `--label ${pair}: expected name=value`);
        labels[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      const firing = Number(opts.firing);
      if (!Number.isInteger(firing) || firing < 0) throw new AppError('VALIDATION', `--firing ${opts.firing}: expected a whole number`);
      const preview = await client.post<PolicyPreview>(`/api/v1/escalation-policies/${encodeURIComponent(ref)}/preview`, {
        ...(opts.severity ? { severity: opts.severity } : {}), labels, firingAlerts: firing, ...(opts.at ? { at: opts.at } : {}),
      });
      out.emit(preview, () => renderPreview(preview));
    });
  cmd('delete <policy>', 'Delete a policy.', ['firebreak policy delete pol_…']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/escalation-policies/${encodeURIComponent(ref)}`);
    out.emit({ deleted: ref }, () => `Deleted ${ref}`);
  });
  addCommonOptions(policy);
}
