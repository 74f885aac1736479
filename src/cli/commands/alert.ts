import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { AlertView } from '../../domain/alerts/alert-queries.js';
import type { IncidentView } from '../../domain/incidents/incident-view.js';
import type { FirebreakClient } from '../client.js';
import { addCommonOptions, connect, incidentPath, withExamples, type CommonOptions } from '../command-kit.js';
import { loadNames } from '../names.js';
import { indent, localTime, relativeTime, severityWord, table, truncate, type Output, type Style } from '../output.js';
import { integrationPath } from './integration.js';
import { parseTime } from './silence.js';

interface RawPayload {
  id: string;
  receivedAt: string;
  format: string;
  body: string;
  outcome: unknown;
}
type AlertDetail = AlertView & { rawPayload: RawPayload | null };
interface AlertPage {
  alerts: AlertView[];
  next: string | null;
  scanLimited?: boolean;
}

const STATUSES = ['open', 'firing', 'acknowledged', 'resolved', 'suppressed'];

function alertStatus(status: string, style: Style): string {
  if (status === 'firing') return style.bold(style.red(status));
  if (status === 'acknowledged') return style.yellow(status);
  if (status === 'resolved') return style.green(status);
  return status;
}

/** Why it did or did not page, in the words an operator scans for. */
function decisionWord(a: AlertView, style: Style): string {
  const kind = a.decision?.kind ?? '-';
  const quiet = ['silenced', 'maintenance', 'flapping', 'dropped', 'pending-threshold'];
  return quiet.includes(kind) ? style.yellow(kind) : kind;
}

function renderList(page: AlertPage, incidents: Map<string, number>, out: Output): string {
  const s = out.style;
  if (page.alerts.length === 0 && !page.next) return 'No alerts match.';
  const rows = page.alerts.map((a) => [
    a.id,
    alertStatus(a.status, s),
    a.severity ? severityWord(a.severity, s) : '-',
    truncate(a.summary, 50),
    String(a.count),
    a.incidentId ? (incidents.has(a.incidentId) ? `#${incidents.get(a.incidentId)}` : a.incidentId) : '-',
    decisionWord(a, s),
    relativeTime(a.lastSeenAt, out.now),
  ]);
  const more = !page.next ? '' : page.scanLimited
    ? s.dim(`\n(the search stopped at its bound of alerts read; older ones: --before ${page.next})`)
    : s.dim(`\n(more alerts: --before ${page.next}, or raise --limit)`);
  if (page.alerts.length === 0) return `No alerts match among the newest alerts searched.${more}`;
  return table(['ID', 'STATUS', 'SEV', 'SUMMARY', 'COUNT', 'INCIDENT', 'DECISION', 'LAST SEEN'], rows, s) + more;
}

function pairs(record: Record<string, string>): string {
  const entries = Object.entries(record);
  return entries.length ? entries.map(([k, v]) => `  ${k}=${JSON.stringify(v)}`).join('\n') : '  (none)';
}

function renderDetail(a: AlertDetail, incident: IncidentView | null, out: Output, name: Awaited<ReturnType<typeof loadNames>>): string {
  const s = out.style;
  const lines = [
    `${s.bold(a.summary)}`,
    `  ${alertStatus(a.status, s)}  severity ${a.severity ? severityWord(a.severity, s) : '-'}${a.severityRaw ? s.dim(` (sent ${a.severityRaw})`) : ''}  count ${a.count}${a.flapping ? `  ${s.yellow('flapping')}` : ''}`,
    `  ${s.dim(a.id)}  integration ${name('integration', a.integrationId)}  dedup key ${a.dedupKey}`,
    `  first seen ${localTime(a.firstSeenAt)} (${relativeTime(a.firstSeenAt, out.now)}), last seen ${relativeTime(a.lastSeenAt, out.now)}`,
  ];
  const moments = [a.acknowledgedAt ? `acknowledged ${relativeTime(a.acknowledgedAt, out.now)}` : '', a.resolvedAt ? `resolved ${relativeTime(a.resolvedAt, out.now)}` : ''].filter(Boolean);
  if (moments.length) lines.push(`  ${moments.join(', ')}`);
  lines.push(`  incident ${incident ? `#${incident.number} ${incident.title} (${incident.status})` : (a.incidentId ?? '-')}  service ${name('service', a.serviceId)}${a.groupKey ? `  group ${truncate(a.groupKey, 60)}` : ''}`);
  lines.push('', s.bold('Why'), `  ${decisionWord(a, s)}: ${a.decision?.message ?? '-'}`);
  if (a.suppressedBy) lines.push(`  suppressed by ${a.suppressedBy}`);
  if (a.decision?.ruleId) lines.push(`  routing rule ${name('routingRule', a.decision.ruleId)}`);
  if (a.description?.trim()) lines.push('', s.bold('Description'), indent(a.description.trim()));
  lines.push('', s.bold('Labels'), pairs(a.labels), '', s.bold('Annotations'), pairs(a.annotations));
  const links = [a.runbookUrl ? `runbook ${a.runbookUrl}` : '', a.generatorUrl ? `source ${a.generatorUrl}` : ''].filter(Boolean);
  if (links.length) lines.push('', s.bold('Links'), ...links.map((l) => `  ${l}`));
  lines.push('', s.bold('Raw payload'));
  lines.push(a.rawPayload ? `  ${a.rawPayload.format}, received ${localTime(a.rawPayload.receivedAt)}, ${a.rawPayload.body.length} bytes  ${s.dim(a.rawPayload.id)}  (--raw prints it)` : '  pruned (older than the retention period)');
  return lines.join('\n');
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1000) {
    throw new AppError('VALIDATION', `limit: '${value}' must be a whole number from 1 to 1000`, { issues: [{ field: 'limit', message: 'must be a whole number from 1 to 1000' }] });
  }
  return Number(value);
}

/** The API filters by ids; people type names and incident numbers. */
async function integrationId(client: FirebreakClient, ref: string | undefined): Promise<string | undefined> {
  if (ref === undefined || ref.startsWith('int_')) return ref;
  return (await client.get<{ id: string }>(integrationPath(ref))).id;
}

async function incidentId(client: FirebreakClient, ref: string | undefined): Promise<string | undefined> {
  if (ref === undefined || ref.startsWith('inc_')) return ref;
  return (await client.get<{ id: string }>(incidentPath(ref))).id;
}

export function registerAlertCommands(program: Command): void {
  const alert = program.command('alert').alias('alerts').description('Alerts received through integrations, and why each did or did not page.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(alert.command(spec).description(description), examples);

  cmd('list', 'List alerts, newest first.', [
    'firebreak alert list --status open',
    'firebreak alert list --integration prod-am --limit 20',
    'firebreak alert list --incident 42 --json | jq -r \'.alerts[].summary\'',
    'firebreak alert list --match \'alertname="DiskFull", env=~"prod|stage"\' --since 2026-05-01T00:00:00Z',
    'firebreak alert list --status suppressed',
  ])
    .option('--status <status>', STATUSES.join(' | ') + ' (open = firing or acknowledged; suppressed = firing, held by a silence or maintenance window)')
    .option('--match <matchers>', 'label matchers, Alertmanager syntax (= != =~ !~), e.g. \'alertname="DiskFull",env!="dev"\'')
    .option('--since <time>', 'first received at or after (ISO 8601)')
    .option('--until <time>', 'first received before (ISO 8601)')
    .option('--integration <integration>', 'integration id or name')
    .option('--incident <ref>', 'incident 42, #42 or inc_…')
    .option('--limit <n>', 'how many, 1–1000 (default 100)')
    .option('--before <alert-id>', 'only alerts older than this one (the next page)')
    .action(async (opts: CommonOptions & { status?: string; integration?: string; incident?: string; limit?: string; before?: string; match?: string; since?: string; until?: string }) => {
      const status = opts.status?.trim().toLowerCase();
      if (status !== undefined && !STATUSES.includes(status)) {
        throw new AppError('VALIDATION', `status: '${opts.status}' must be one of ${STATUSES.join(', ')}`, { issues: [{ field: 'status', message: `must be one of ${STATUSES.join(', ')}` }] });
      }
      const limit = parseLimit(opts.limit);
      if (opts.match !== undefined) {
        // The server's parser: a typo fails here, before anything is sent (exit code 2).
        const { parseMatchers } = await import('../../domain/alerts/matchers.js');
        parseMatchers(opts.match, 'match');
      }
      const since = opts.since === undefined ? undefined : new Date(parseTime(opts.since, 'since')).toISOString();
      const until = opts.until === undefined ? undefined : new Date(parseTime(opts.until, 'until')).toISOString();
      const { client, out } = connect(opts);
      const [integration, incident] = await Promise.all([integrationId(client, opts.integration), incidentId(client, opts.incident)]);
      const page = await client.get<AlertPage>('/api/v1/alerts', { status, integration, incident, limit, before: opts.before, matchers: opts.match, since, until });
      if (out.json) return out.emit(page, () => '');
      // Incident numbers read better than ids; one lookup per distinct incident on the page.
      const ids = [...new Set(page.alerts.map((a) => a.incidentId).filter((id): id is string => id !== null))].slice(0, 50);
      const found = await Promise.all(ids.map((id) => client.get<IncidentView>(incidentPath(id)).then((inc) => [id, inc.number] as const, () => null)));
      out.emit(page, () => renderList(page, new Map(found.filter((f) => f !== null)), out));
    });

  cmd('show <alert-id>', 'Show one alert: labels, annotations, count, first/last seen, its incident and why it did or did not page.', [
    'firebreak alert show alr_01JQ…',
    'firebreak alert show alr_01JQ… --raw | jq .',
  ])
    .option('--raw', 'print only the raw payload as it was received (for jq or a bug report)')
    .action(async (id: string, opts: CommonOptions & { raw?: boolean }) => {
      const { client, out } = connect(opts);
      const a = await client.get<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id.trim())}`);
      if (opts.raw) {
        if (!a.rawPayload) throw new AppError('NOT_FOUND', `the raw payload of alert ${a.id} was pruned (older than the retention period)`);
        process.stdout.write(a.rawPayload.body.endsWith('\n') ? a.rawPayload.body : `${a.rawPayload.body}\n`);
        return;
      }
      const incident = a.incidentId && !out.json ? await client.get<IncidentView>(incidentPath(a.incidentId)).catch(() => null) : null;
      const name = await loadNames(client, out.json ? [] : ['integration', 'service', ...(a.decision?.ruleId ? (['routingRule'] as const) : [])]);
      out.emit(a, () => renderDetail(a, incident, out, name));
    });

  addCommonOptions(alert);
}
