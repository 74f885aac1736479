import { alertLinks, readAlertContext } from '../domain/alerts/alert-context.js';
import type { AlertFacts } from '../notify/message.js';
import type { Store } from '../store/index.js';

/**
 * What a page says about the alerts behind its incident: the first alert's summary,
 * description, key labels and links, and the number of alerts. One query for a batch of
 * deliveries (the first alert of each incident, with the count, by a grouped subquery).
 */

/** Read first: what the alert is, how bad, where. Then the rest, alphabetically. */
const KEY_LABELS = ['alertname', 'severity', 'service', 'env', 'environment', 'cluster', 'namespace', 'region', 'instance', 'job', 'host', 'pod', 'component'];
const MAX_LABELS = 8;
const MAX_LINKS = 6;
const LINK_WORDS = { dashboard: 'Dashboard', panel: 'Panel', silence: 'Silence', runbook: 'Runbook', generator: 'Source' } as const;

export function keyLabels(labels: Record<string, string>): [string, string][] {
  const out: [string, string][] = [];
  for (const name of KEY_LABELS) if (labels[name]) out.push([name, labels[name]!]);
  for (const name of Object.keys(labels).sort()) {
    if (out.length >= MAX_LABELS) break;
    if (!KEY_LABELS.includes(name) && !name.startsWith('__') && labels[name]) out.push([name, labels[name]!]);
  }
  return out.slice(0, MAX_LABELS).map(([k, v]) => [k.slice(0, 100), v.length > 200 ? `${v.slice(0, 199)}…` : v]);
}

export async function loadAlertFacts(store: Store, incidentIds: readonly string[]): Promise<Map<string, AlertFacts>> {
  const out = new Map<string, AlertFacts>();
  if (incidentIds.length === 0) return out;
  const rows = await store.db
    .selectFrom('alerts as a')
    .innerJoin(
      (eb) => eb.selectFrom('alerts').select((s) => ['incident_id', s.fn.min('id').as('first_id'), s.fn.countAll().as('n')]).where('incident_id', 'in', [...incidentIds]).groupBy('incident_id').as('c'),
      (join) => join.onRef('c.first_id', '=', 'a.id'),
    )
    .select(['a.incident_id', 'a.summary', 'a.description', 'a.labels', 'a.annotations', 'a.generator_url', 'a.runbook_url', 'a.context', 'c.n'])
    .execute();
  for (const row of rows) {
    if (!row.incident_id) continue;
    const labels = JSON.parse(row.labels) as Record<string, string>;
    const links = alertLinks({ generatorUrl: row.generator_url, runbookUrl: row.runbook_url, annotations: JSON.parse(row.annotations) as Record<string, string>, context: readAlertContext(row.context) });
    out.set(row.incident_id, {
      summary: row.summary,
      description: row.description,
      count: Number(row.n),
      labels: keyLabels(labels),
      links: links.slice(0, MAX_LINKS).map((l) => ({ text: l.kind === 'link' ? (l.text ?? 'Link') : LINK_WORDS[l.kind], href: l.href })),
    });
  }
  return out;
}
