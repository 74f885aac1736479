import type { Command } from 'commander';
import type { StatusPageView } from '../../domain/statuspages/page-view.js';
import type { PublicIncidentView } from '../../domain/statuspages/public-incident-view.js';
import type { SubscriberView } from '../../domain/subscribers/subscriber-view.js';
import { addCommonOptions, connect, listOption, textArgument, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

const pagePath = (page: string) => `/api/v1/status-pages/${encodeURIComponent(page)}`;
const bodyOf = async (words: string[]) => (words.length === 1 && words[0] === '-' ? textArgument('-', 'body') : words.join(' '));

/** `firebreak statuspage …`: public status pages, their components and public incidents. */
export function registerStatusPageCommands(program: Command): void {
  const sp = program.command('statuspage').alias('statuspages').description('Public status pages: pages, components, published incidents and public updates.');
  const cmd = (parent: Command, spec: string, description: string, examples: string[]) => withExamples(parent.command(spec).description(description), examples);

  cmd(sp, 'list', 'Status pages with their top-level status.', ['firebreak statuspage list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const { items } = await client.get<{ items: StatusPageView[] }>('/api/v1/status-pages');
    out.emit(items, () => (items.length ? table(['SLUG', 'NAME', 'STATUS', 'COMPONENTS', 'HOST'], items.map((p) => [p.slug, p.name, p.status.description, String(p.components.length), p.hostName ?? '']), out.style) : 'No status pages yet.'));
  });

  cmd(sp, 'show <page>', "A page's components and their current statuses.", ['firebreak statuspage show acme']).action(async (page: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const p = await client.get<StatusPageView>(pagePath(page));
    out.emit(p, () => `${p.name}: ${p.status.description}\n${table(['COMPONENT', 'STATUS', 'OVERRIDE'], p.components.map((c) => [`${c.groupId ? '  ' : ''}${c.name}`, c.status, c.statusOverride ?? '']), out.style)}`);
  });

  cmd(sp, 'create <slug> <name>', 'Create a page, public at /status/<slug>.', ['firebreak statuspage create acme "Acme Cloud" --host status.acme.com'])
    .option('--host <name>', 'custom host name served at its root (behind your reverse proxy)')
    .action(async (slug: string, name: string, opts: CommonOptions & { host?: string }) => {
      const { client, out } = connect(opts);
      const p = await client.post<StatusPageView>('/api/v1/status-pages', { slug, name, hostName: opts.host ?? null });
      out.emit(p, () => `Created status page ${p.slug} (${p.name})  ${out.style.dim(p.id)}`);
    });

  const component = sp.command('component').description('Components of a page.');
  cmd(component, 'add <page> <name>', 'Add a component (or --group) whose status follows open incidents on its services.', [
    'firebreak statuspage component add acme Core --group',
    'firebreak statuspage component add acme Payments --in Core --services payments,billing',
  ])
    .option('--services <list>', 'service slugs or ids (comma-separated)')
    .option('--in <group>', 'the group it belongs to')
    .option('--group', 'add a group instead of a component')
    .option('--description <text>', 'shown under its name')
    .action(async (page: string, name: string, opts: CommonOptions & { services?: string; in?: string; group?: boolean; description?: string }) => {
      const { client, out } = connect(opts);
      const p = await client.post<StatusPageView>(`${pagePath(page)}/components`, { name, services: listOption(opts.services) ?? [], group: opts.in ?? null, isGroup: opts.group === true, description: opts.description });
      out.emit(p, () => `Added ${opts.group ? 'group' : 'component'} ${name} to ${p.slug}; page is ${p.status.description}`);
    });
  cmd(component, 'status <page> <component> <status>', "Override a component's status (operational, degraded_performance, partial_outage, major_outage, under_maintenance), or `auto` to derive it again.", [
    'firebreak statuspage component status acme Payments under_maintenance',
    'firebreak statuspage component status acme Payments auto',
  ]).action(async (page: string, name: string, status: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const p = await client.put<StatusPageView>(`${pagePath(page)}/components/${encodeURIComponent(name)}/status`, { status: status === 'auto' ? null : status });
    out.emit(p, () => `${name} is now ${p.components.find((c) => c.name === name || c.id === name)?.status ?? status}; page is ${p.status.description}`);
  });

  const publish = sp.command('publish').description('Publish to a page.');
  cmd(publish, 'incident <page> <ref> <title> [markdown...]', 'Publish an incident under a public title with a first public update; `-` reads stdin.', [
    'firebreak statuspage publish incident acme 42 "Card payments failing" "We are investigating failed card payments."',
  ])
    .option('--impact <impact>', 'none, minor, major or critical (default: from the affected components)')
    .option('--status <status>', 'investigating, identified, monitoring or resolved', 'investigating')
    .option('--components <list>', 'component names or ids (default: those mapped to the incident\'s service)')
    .action(async (page: string, ref: string, title: string, words: string[], opts: CommonOptions & { impact?: string; status: string; components?: string }) => {
      const { client, out } = connect(opts);
      const i = await client.post<PublicIncidentView>(`${pagePath(page)}/incidents`, { incident: ref, name: title, body: await bodyOf(words), impact: opts.impact, status: opts.status, components: listOption(opts.components) });
      out.emit(i, () => `Published incident ${ref} on ${i.page} as "${i.name}" (${i.status}, impact ${i.impact})  ${out.style.dim(i.id)}`);
    });

  cmd(sp, 'post <page> <ref> <status> [markdown...]', 'Post a public update on a published incident; `-` reads stdin.', [
    'firebreak statuspage post acme 42 monitoring "A fix is out; we are watching error rates."',
    'firebreak statuspage post acme 42 resolved "Payments work again."',
  ]).action(async (page: string, ref: string, status: string, words: string[], opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const i = await client.post<PublicIncidentView>(`${pagePath(page)}/incidents/${encodeURIComponent(ref)}/updates`, { status, body: await bodyOf(words) });
    out.emit(i, () => `Posted ${status} update on ${i.page} for "${i.name}"`);
  });

  const subscriber = sp.command('subscriber').alias('subscribers').description("A page's subscribers (admin; addresses are private).");
  cmd(subscriber, 'list <page>', 'Subscribers of a page with their addresses and whether they confirmed.', ['firebreak statuspage subscriber list acme'])
    .action(async (page: string, opts: CommonOptions) => {
      const { client, out } = connect(opts);
      const { items } = await client.get<{ items: SubscriberView[] }>(`${pagePath(page)}/subscribers`);
      out.emit(items, () => (items.length
        ? table(['ID', 'KIND', 'ADDRESS', 'CONFIRMED', 'COMPONENTS'], items.map((s) => [s.id, s.kind, s.address, s.confirmed ? 'yes' : 'no', s.components.length ? String(s.components.length) : 'all']), out.style)
        : 'No subscribers yet.'));
    });
  cmd(subscriber, 'add <page> <kind> <address>', 'Add an e-mail (gets a confirmation mail unless --confirmed) or webhook subscriber (prints its signing secret once).', [
    'firebreak statuspage subscriber add acme email ops@example.com',
    'firebreak statuspage subscriber add acme webhook https://hooks.example.com/status --components Payments',
  ])
    .option('--components <list>', 'only incidents touching these components (names or ids)')
    .option('--confirmed', 'e-mail only: already agreed elsewhere (an import); no confirmation mail')
    .action(async (page: string, kind: string, address: string, opts: CommonOptions & { components?: string; confirmed?: boolean }) => {
      const { client, out } = connect(opts);
      const s = await client.post<SubscriberView & { secret?: string }>(`${pagePath(page)}/subscribers`, { kind, address, components: listOption(opts.components) ?? [], confirmed: opts.confirmed === true });
      out.emit(s, () => `Added ${s.kind} subscriber ${s.address} to ${s.page}${s.confirmed ? '' : ' (confirmation mail sent)'}  ${out.style.dim(s.id)}`
        + (s.secret ? `\nSigning secret (shown once; Standard Webhooks, header webhook-signature): ${s.secret}` : ''));
    });
  cmd(subscriber, 'remove <page> <subscriber>', 'Remove a subscriber by id or address.', ['firebreak statuspage subscriber remove acme ops@example.com'])
    .action(async (page: string, ref: string, opts: CommonOptions) => {
      const { client, out } = connect(opts);
      await client.delete(`${pagePath(page)}/subscribers/${encodeURIComponent(ref)}`);
      out.emit({ removed: ref }, () => `Removed subscriber ${ref} from ${page}`);
    });

  addCommonOptions(sp);
}
