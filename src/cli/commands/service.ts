import type { Command } from 'commander';
import { addCommonOptions, connect, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

interface ServiceView {
  id: string;
  slug: string;
  name: string;
  description: string;
  team: { slug: string } | null;
  managedBy: string | null;
  escalationPolicy: { id: string; name: string } | null;
}

/** `--escalation-policy none` clears it (the severity default pages again). */
const policyOption = (value: string | undefined): string | null | undefined => (value === undefined ? undefined : value.trim().toLowerCase() === 'none' ? null : value);

/** `firebreak service …`: what is monitored, who owns it, and which policy pages for it. */
export function registerServiceCommands(program: Command): void {
  const service = program.command('service').alias('services').description('Services: what incidents are about, their team, and the escalation policy that pages for them.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(service.command(spec).description(description), examples);
  const line = (s: ServiceView) => `${s.slug}  ${s.name}  team ${s.team?.slug ?? '-'}  pages with ${s.escalationPolicy ? s.escalationPolicy.name : 'the severity default'}  ${s.id}`;

  cmd('list', 'List services.', ['firebreak service list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: ServiceView[] }>('/api/v1/services');
    out.emit(page, () => (page.items.length === 0 ? 'No services yet.' : table(['SLUG', 'NAME', 'TEAM', 'ESCALATION POLICY', 'MANAGED'], page.items.map((s) => [
      s.slug, s.name, s.team?.slug ?? '-', s.escalationPolicy?.name ?? out.style.dim('severity default'), s.managedBy ?? '-',
    ]), out.style)));
  });

  cmd('create <slug> <name...>', 'Create a service.', [
    'firebreak service create checkout Checkout API --team payments',
    'firebreak service create db Database --escalation-policy "Database on-call"',
  ])
    .option('--team <team>', 'owning team (id or slug)')
    .option('--description <text>', 'what it is')
    .option('--escalation-policy <policy>', 'policy (id or name) that pages for its incidents instead of the severity default')
    .action(async (slug: string, words: string[], opts: CommonOptions & { team?: string; description?: string; escalationPolicy?: string }) => {
      const { client, out } = connect(opts);
      const s = await client.post<ServiceView>('/api/v1/services', { slug, name: words.join(' '), team: opts.team, description: opts.description, escalationPolicy: policyOption(opts.escalationPolicy) });
      out.emit(s, () => `Created ${line(s)}`);
    });

  cmd('update <service>', 'Change a service (id or slug); `--escalation-policy none` goes back to the severity default.', [
    'firebreak service update checkout --escalation-policy "Payments primary"',
    'firebreak service update checkout --escalation-policy none',
  ])
    .option('--name <name>', 'display name')
    .option('--team <team>', 'owning team (id or slug)')
    .option('--description <text>', 'what it is')
    .option('--escalation-policy <policy>', 'policy id or name, or none')
    .action(async (ref: string, opts: CommonOptions & { name?: string; team?: string; description?: string; escalationPolicy?: string }) => {
      const { client, out } = connect(opts);
      const s = await client.patch<ServiceView>(`/api/v1/services/${encodeURIComponent(ref.trim())}`, { name: opts.name, team: opts.team, description: opts.description, escalationPolicy: policyOption(opts.escalationPolicy) });
      out.emit(s, () => `Updated ${line(s)}`);
    });

  cmd('delete <service>', 'Delete a service; its incidents keep their history.', ['firebreak service delete checkout']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/services/${encodeURIComponent(ref.trim())}`);
    out.emit({ deleted: ref }, () => `Deleted service ${ref}`);
  });

  addCommonOptions(service);
}
