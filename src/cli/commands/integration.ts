import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { IntegrationView } from '../../domain/alerts/integrations.js';
import { addCommonOptions, connect, withExamples, type CommonOptions } from '../command-kit.js';
import { indent, localTime, relativeTime, table, type Output } from '../output.js';

type Integration = IntegrationView & { sender: { url: string; snippet: string } };
type CreatedIntegration = Integration & { key: string };

// Kept here as a list rather than imported: the domain module pulls in zod and every ingest parser.
const FORMATS = ['alertmanager-webhook', 'pagerduty-events-v2', 'opsgenie', 'grafana-webhook', 'alertmanager-api', 'generic-webhook', 'heartbeat'];

export const integrationPath = (ref: string): string => `/api/v1/integrations/${encodeURIComponent(ref.trim())}`;

/**
 * `--setting k=v`, repeatable. The key may be dotted (`heartbeat.intervalSeconds=300`) and the
 * value is JSON when it parses as JSON (numbers, booleans, null, objects), else a plain string.
 */
export function parseSettings(pairs: string[], base: Record<string, unknown> = {}): Record<string, unknown> {
  const settings: Record<string, unknown> = structuredClone(base);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const path = eq > 0 ? pair.slice(0, eq).trim().split('.') : [];
    if (path.length === 0 || path.some((p) => p === '')) {
      throw new AppError('VALIDATION', `setting: '${pair}' is not key=value (e.g. grouping=labels, flap=null, heartbeat.intervalSeconds=300)`, { issues: [{ field: 'setting', message: 'expected key=value' }] });
    }
    const text = pair.slice(eq + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON: a plain string such as `labels`.
    }
    let target = settings;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path.at(-1)!] = value;
  }
  return settings;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function state(i: IntegrationView, out: Output): string {
  const words = [i.disabled ? out.style.yellow('disabled') : out.style.green('enabled')];
  if (i.managedBy) words.push(out.style.dim(`managed by ${i.managedBy === 'config' ? 'firebreak.yaml' : i.managedBy}`));
  return words.join(' ');
}

function renderList(items: Integration[], out: Output): string {
  if (items.length === 0) return 'No integrations yet. Create one with `firebreak integration create --name … --format …`.';
  return table(
    ['NAME', 'ID', 'FORMAT', 'SERVICE', 'KEY', 'STATE', 'CREATED'],
    items.map((i) => [i.name, i.id, i.format, i.service?.slug ?? '-', i.keyHint, state(i, out), relativeTime(i.createdAt, out.now)]),
    out.style,
  );
}

function renderDetail(i: Integration, out: Output): string {
  const s = out.style;
  const lines = [
    `${s.bold(i.name)}  ${s.dim(i.id)}`,
    `  format ${i.format}  service ${i.service ? `${i.service.slug} (${i.service.name})` : '-'}  key ${i.keyHint}  ${state(i, out)}`,
    `  created ${localTime(i.createdAt)}  updated ${relativeTime(i.updatedAt, out.now)}${i.lastHeartbeatAt ? `  last ping ${relativeTime(i.lastHeartbeatAt, out.now)}` : ''}`,
    '',
    s.bold('Send to'),
    `  ${i.sender.url}`,
    '',
    s.bold('Sender configuration'),
    indent(i.sender.snippet.trimEnd()),
    '',
    s.bold('Settings'),
    indent(JSON.stringify(i.settings, null, 2)),
  ];
  return lines.join('\n');
}

/** The key is printed once, with the URL and the snippet that already contain it. */
function renderWithKey(i: CreatedIntegration, verb: string, out: Output): string {
  const s = out.style;
  return [
    `${verb} integration ${s.bold(i.name)} (${i.id}), format ${i.format}${i.service ? `, service ${i.service.slug}` : ''}`,
    '',
    `  key  ${s.bold(i.key)}`,
    `  URL  ${i.sender.url}`,
    '',
    s.bold('Paste into the sender:'),
    indent(i.sender.snippet.trimEnd()),
    '',
    s.yellow('The key is shown only once; Firebreak keeps only its hash. `firebreak integration rotate` makes a new one.'),
  ].join('\n');
}

export function registerIntegrationCommands(program: Command): void {
  const integration = program
    .command('integration')
    .alias('integrations')
    .description('Ingest endpoints: one per alert sender (Alertmanager, Grafana, PagerDuty/Opsgenie clients, …), each with its own key.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(integration.command(spec).description(description), examples);

  cmd('create', 'Create an integration; prints its key (once), the URL to paste into the sender and a config snippet.', [
    'firebreak integration create --name prod-am --format alertmanager-webhook --service checkout',
    'firebreak integration create --name grafana --format grafana-webhook --setting grouping=labels --setting \'groupBy=["alertname","cluster"]\'',
    'firebreak integration create --name cron-backup --format heartbeat --setting heartbeat.intervalSeconds=3600',
    'firebreak integration create --name prom --format alertmanager-api --json | jq -r .key',
  ])
    .requiredOption('--name <name>', 'a name, unique enough to recognise (also accepted where an id is)')
    .requiredOption('--format <format>', FORMATS.join(' | '))
    .option('--service <service>', 'service id or slug alerts go to when no routing rule says otherwise')
    .option('--setting <key=value>', 'a setting (repeatable; dotted keys, JSON values), see docs/alerts.md', collect, [])
    .action(async (opts: CommonOptions & { name: string; format: string; service?: string; setting: string[] }) => {
      const settings = parseSettings(opts.setting);
      const { client, out } = connect(opts);
      const created = await client.post<CreatedIntegration>('/api/v1/integrations', { name: opts.name, format: opts.format.trim(), service: opts.service, settings });
      out.emit(created, () => renderWithKey(created, 'Created', out));
    });

  cmd('list', 'List integrations (keys show only their last 4 characters).', ['firebreak integration list', 'firebreak integration list --json | jq -r \'.items[] | select(.disabled) | .name\''])
    .action(async (opts: CommonOptions) => {
      const { client, out } = connect(opts);
      const page = await client.get<{ items: Integration[] }>('/api/v1/integrations');
      out.emit(page, () => renderList(page.items, out));
    });

  cmd('show <integration>', 'Show one integration (id or name) with the URL and sender snippet (the key is not shown again).', ['firebreak integration show prod-am'])
    .action(async (ref: string, opts: CommonOptions) => {
      const { client, out } = connect(opts);
      const i = await client.get<Integration>(integrationPath(ref));
      out.emit(i, () => renderDetail(i, out));
    });

  cmd('update <integration>', 'Rename, retarget or change settings; --setting merges into the current settings.', [
    'firebreak integration update prod-am --service payments',
    'firebreak integration update prod-am --setting openAfter=\'{"count":3,"withinMinutes":10}\'',
    'firebreak integration update prod-am --no-service',
  ])
    .option('--name <name>', 'new name')
    .option('--service <service>', 'service id or slug')
    .option('--no-service', 'no default service (routing rules decide)')
    .option('--setting <key=value>', 'a setting to change (repeatable; dotted keys, JSON values)', collect, [])
    .action(async (ref: string, opts: CommonOptions & { name?: string; service?: string | false; setting: string[] }) => {
      const { client, out } = connect(opts);
      const body: Record<string, unknown> = {};
      if (opts.name !== undefined) body.name = opts.name;
      if (opts.service === false) body.service = null;
      else if (opts.service !== undefined) body.service = opts.service;
      if (opts.setting.length > 0) {
        const current = await client.get<Integration>(integrationPath(ref));
        body.settings = parseSettings(opts.setting, current.settings as Record<string, unknown>);
      }
      if (Object.keys(body).length === 0) {
        throw new AppError('VALIDATION', 'nothing to change: give --name, --service, --no-service or --setting', { issues: [{ field: 'integration', message: 'nothing to change' }] });
      }
      const i = await client.patch<Integration>(integrationPath(ref), body);
      out.emit(i, () => `Updated integration ${out.style.bold(i.name)} (${i.id})`);
    });

  cmd('rotate <integration>', 'Replace the key; the old one stops working at once. Prints the new key, URL and snippet.', ['firebreak integration rotate prod-am'])
    .action(async (ref: string, opts: CommonOptions) => {
      const { client, out } = connect(opts);
      const rotated = await client.post<CreatedIntegration>(`${integrationPath(ref)}/rotate-key`);
      out.emit(rotated, () => renderWithKey(rotated, 'Rotated the key of', out));
    });

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    cmd(`${verb} <integration>`, disabled ? 'Stop accepting alerts on this integration (its key answers 401) without deleting it.' : 'Accept alerts on a disabled integration again.', [
      `firebreak integration ${verb} prod-am`,
    ]).action(async (ref: string, opts: CommonOptions) => {
      const { client, out } = connect(opts);
      const i = await client.patch<Integration>(integrationPath(ref), { disabled });
      out.emit(i, () => `${disabled ? 'Disabled' : 'Enabled'} integration ${out.style.bold(i.name)} (${i.id})`);
    });
  }

  cmd('delete <integration>', 'Delete an integration: its key stops working; its alerts stay.', ['firebreak integration delete prod-am'])
    .action(async (ref: string, opts: CommonOptions) => {
      const { client, out } = connect(opts);
      await client.delete(integrationPath(ref));
      out.emit({ deleted: ref }, () => `Deleted integration ${ref}`);
    });

  addCommonOptions(integration);
}
