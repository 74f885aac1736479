import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
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
  cmd('delete <policy>', 'Delete a policy.', ['firebreak policy delete pol_…']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/escalation-policies/${encodeURIComponent(ref)}`);
    out.emit({ deleted: ref }, () => `Deleted ${ref}`);
  });
  addCommonOptions(policy);
}
