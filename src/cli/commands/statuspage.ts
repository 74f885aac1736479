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
    out.emit(p, () => [
      `${p.name}: ${p.status.description}`,
      table(['COMPONENT', 'STATUS', 'OVERRIDE'], p.components.map((c) => [`${c.groupId ? '  ' : ''}${c.name}`, c.status, c.statusOverride ?? '']), out.style),
      ...p.openPublicIncidents.map((i) => `${i.draft ? 'DRAFT  ' : 'public '} #${i.incidentNumber} "${i.name}" (${i.status})${i.draft ? `: publish with \`firebreak statuspage publish draft ${p.slug} ${i.incidentNumber}\`` : ''}`),
      ...p.mismatches.map((m) => `mismatch: ${m.message}`),
      Object.keys(p.autoPublish.severities).length ? `auto-publish: ${Object.entries(p.autoPublish.severities).map(([k, v]) => `${k}=${v}`).join(', ')}` : 'auto-publish: off',
    ].join('\n'));
  });

  cmd(sp, 'set <page>', "Change a page's name, host, severity mapping or auto-publish settings.", [
    'firebreak statuspage set acme --auto-publish SEV1=publish,SEV2=draft',
    'firebreak statuspage set acme --severity-map SEV1=major_outage,SEV3=degraded_performance --name "Acme Cloud"',
    'firebreak statuspage set acme --auto-publish none',
  ])
    .option('--name <name>', 'page name')
    .option('--host <name>', 'custom host name (`none` to remove)')
    .option('--severity-map <pairs>', 'SEVERITY=component_status pairs (comma-separated)')
    .option('--auto-publish <pairs>', 'SEVERITY=draft|publish pairs (comma-separated), or `none`')
    .option('--auto-title <liquid>', 'template of the public title (page.name, severity, impact, components)')
    .option('--auto-body <liquid>', 'template of the first public update (Markdown)')
    .action(async (page: string, opts: CommonOptions & { name?: string; host?: string; severityMap?: string; autoPublish?: string; autoTitle?: string; autoBody?: string }) => {
      const { client, out } = connect(opts);
      const pairs = (list: string) => Object.fromEntries((listOption(list) ?? []).map((p) => p.split('=').map((x) => x.trim()) as [string, string]));
      const body: Record<string, unknown> = {};
      if (opts.name !== undefined) body.name = opts.name;
      if (opts.host !== undefined) body.hostName = opts.host === 'none' ? null : opts.host;
      if (opts.severityMap !== undefined) body.severityMap = pairs(opts.severityMap);
      if (opts.autoPublish !== undefined || opts.autoTitle !== undefined || opts.autoBody !== undefined) {
        const current = (await client.get<StatusPageView>(pagePath(page))).autoPublish;
        body.autoPublish = {
          severities: opts.autoPublish === undefined ? current.severities : opts.autoPublish === 'none' ? {} : pairs(opts.autoPublish),
          title: opts.autoTitle ?? current.title, body: opts.autoBody ?? current.body,
        };
      }
      const p = await client.patch<StatusPageView>(pagePath(page), body);
      out.emit(p, () => `Updated ${p.slug}: auto-publish ${Object.entries(p.autoPublish.severities).map(([k, v]) => `${k}=${v}`).join(', ') || 'off'}`);
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

  cmd(component, 'set <page> <component>', 'Rename a component, change its description or services, or move it (--in a group, --top, --position).', [
    'firebreak statuspage component set acme Payments --name "Card payments" --services payments,billing',
    'firebreak statuspage component set acme Search --in Core --position 1',
    'firebreak statuspage component set acme Search --top',
  ])
    .option('--name <name>', 'new name')
    .option('--description <text>', 'shown under its name')
    .option('--services <list>', 'service slugs or ids (comma-separated; `none` for none)')
    .option('--in <group>', 'move it into this group')
    .option('--top', 'move it out of its group, to the top level')
    .option('--position <n>', 'its place among the components beside it, from 1')
    .action(async (page: string, name: string, opts: CommonOptions & { name?: string; description?: string; services?: string; in?: string; top?: boolean; position?: string }) => {
      const { client, out } = connect(opts);
      const body: Record<string, unknown> = {};
      if (opts.name !== undefined) body.name = opts.name;
      if (opts.description !== undefined) body.description = opts.description;
      if (opts.services !== undefined) body.services = opts.services === 'none' ? [] : listOption(opts.services) ?? [];
      if (opts.in !== undefined) body.group = opts.in;
      if (opts.top) body.group = null;
      if (opts.position !== undefined) body.position = Number(opts.position);
      const p = await client.patch<StatusPageView>(`${pagePath(page)}/components/${encodeURIComponent(name)}`, body);
      out.emit(p, () => `Changed ${opts.name ?? name} on ${p.slug}; page is ${p.status.description}`);
    });
  cmd(component, 'remove <page> <component>', "Remove a component; a group's members move to the top level.", ['firebreak statuspage component remove acme "Legacy API"'])
    .action(async (page: string, name: string, opts: CommonOptions) => {
      const { client, out } = connect(opts);
      const p = await client.delete<StatusPageView>(`${pagePath(page)}/components/${encodeURIComponent(name)}`);
      out.emit(p, () => `Removed ${name} from ${p.slug}; page is ${p.status.description}`);
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

  cmd(publish, 'draft <page> <ref>', 'Publish an auto-publish draft with one click (as drafted, or with --title / --body).', [
    'firebreak statuspage publish draft acme 42',
    'firebreak statuspage publish draft acme 42 --title "Card payments failing"',
  ])
    .option('--title <title>', 'replaces the drafted public title')
    .option('--body <markdown>', 'replaces the drafted first update')
    .action(async (page: string, ref: string, opts: CommonOptions & { title?: string; body?: string }) => {
      const { client, out } = connect(opts);
      const i = await client.post<PublicIncidentView>(`${pagePath(page)}/incidents/${encodeURIComponent(ref)}/publish`, { name: opts.title, body: opts.body });
      out.emit(i, () => `Published the draft for incident ${ref} on ${i.page} as "${i.name}"`);
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
