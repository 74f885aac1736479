/**
 * The title of an incident that groups several alerts names the group, not its first alert:
 * `HighLatency (service=api)`. Pure; the grouping key says what the group is
 * (plan-rules.ts `groupKeyFor`): an Alertmanager/Grafana group key's group labels, the
 * integration's `groupBy` labels, or the alert name. A group of one keeps its alert's summary.
 *
 * The title carries no count on purpose: it changes once, when the second alert joins, and never
 * again. A count in it renamed the incident on every joining alert, an UPDATE of the incident row
 * per ingest batch that cut ingest at one alert per request to a third on PostgreSQL (measured,
 * BENCHMARKS.md). The count is on the incident's alerts panel and in its alerts API.
 */

export const MAX_TITLE = 200;

export function cutTitle(title: string): string {
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title;
}

/** `name="value", other="x"` pairs (Alertmanager's label-set syntax), in order. */
function parsePairs(text: string): [string, string][] {
  const out: [string, string][] = [];
  const pattern = /([^\s=,{}"]+)\s*=\s*"((?:[^"\\]|\\.)*)"/g;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    let value = m[2]!;
    try {
      value = JSON.parse(`"${value}"`) as string;
    } catch {
      // Not a JSON escape: shown as sent.
    }
    out.push([m[1]!, value]);
  }
  return out;
}

/** The labels that define a group, from its key; empty when the key does not say (or was hashed). */
export function groupLabelsOf(groupKey: string): [string, string][] {
  if (groupKey.includes('…sha256:')) return [];
  if (groupKey.startsWith('alertname:')) return [['alertname', groupKey.slice('alertname:'.length)]];
  if (groupKey.startsWith('labels:')) return parsePairs(groupKey.slice('labels:'.length)).filter(([, v]) => v !== '');
  if (groupKey.startsWith('sender:')) {
    // Alertmanager: `{route matchers}:{group labels}`; the group labels are the last braces.
    const key = groupKey.slice('sender:'.length);
    const open = key.lastIndexOf(':{');
    return open === -1 ? [] : parsePairs(key.slice(open + 1));
  }
  return [];
}

/** What the group is called: its alert name first, then the other grouping labels. */
export function groupName(groupKey: string): string | null {
  const labels = groupLabelsOf(groupKey);
  if (labels.length === 0) return null;
  const alertname = labels.find(([k]) => k === 'alertname')?.[1];
  const rest = labels.filter(([k]) => k !== 'alertname').map(([k, v]) => `${k}=${v}`);
  if (alertname) return rest.length ? `${alertname} (${rest.join(', ')})` : alertname;
  return rest.join(', ');
}

const MORE = ' (and more alerts)';

/**
 * The incident title for a group of `count` alerts; `firstSummary` when the group has one alert,
 * marked as more than one alert when its key names nothing.
 */
export function groupTitle(groupKey: string, count: number, firstSummary: string): string {
  if (count <= 1 || groupKey.startsWith('alert:')) return cutTitle(firstSummary);
  const name = groupName(groupKey);
  if (name) return cutTitle(name);
  return firstSummary.endsWith(MORE) ? cutTitle(firstSummary) : cutTitle(`${firstSummary}${MORE}`);
}

/** The title after one more alert joined a group whose incident is titled `previous`. */
export function retitle(previous: string, groupKey: string, count: number): string {
  return groupTitle(groupKey, count, previous);
}

/** A rename the batch planner asks for: applied only while the incident still has `from`. */
export interface IncidentRetitle {
  incidentId: string;
  groupId: string;
  from: string;
  to: string;
}

/**
 * After an alert joined `group`'s open incident: its new title for the group's alert count, kept
 * in `titles` (one entry per group, the latest title winning) and on the group.
 */
export function planRetitle(titles: IncidentRetitle[], group: { id: string; incidentId: string; groupKey: string; openAlerts: number; title?: string | null }): void {
  if (typeof group.title !== 'string') return;
  const to = retitle(group.title, group.groupKey, group.openAlerts);
  if (to === group.title) return;
  const pending = titles.find((t) => t.groupId === group.id);
  if (pending) pending.to = to;
  else titles.push({ incidentId: group.incidentId, groupId: group.id, from: group.title, to });
  group.title = to;
}
