import type { ComponentStatus } from './status.js';

/**
 * What the admin view flags, pure: the page says one thing and its incidents another.
 * - `status_without_incident`: a component shown degraded or down (derived or set by hand)
 *   while no published, unresolved public incident names it (a draft does not count: the
 *   public does not see it);
 * - `incident_without_status`: a published, unresolved public incident whose components are all
 *   shown operational (an incident naming no component is not flagged: nothing to compare).
 * Groups are judged through their members; an incident naming a group counts for its members.
 */
export interface Mismatch {
  kind: 'status_without_incident' | 'incident_without_status';
  componentId: string | null;
  publicIncidentId: string | null;
  message: string;
}

export interface MismatchComponent {
  id: string;
  name: string;
  group: boolean;
  groupId: string | null;
  status: ComponentStatus;
}

export interface MismatchIncident {
  id: string;
  name: string;
  status: string;
  draft: boolean;
  components: readonly string[];
}

const TROUBLE: ReadonlySet<ComponentStatus> = new Set(['degraded_performance', 'partial_outage', 'major_outage']);

export function findMismatches(components: readonly MismatchComponent[], incidents: readonly MismatchIncident[]): Mismatch[] {
  const live = incidents.filter((i) => !i.draft && i.status !== 'resolved');
  const byId = new Map(components.map((c) => [c.id, c]));
  const covered = new Set<string>();
  for (const i of live) {
    for (const id of i.components) {
      covered.add(id);
      for (const m of components) if (m.groupId === id) covered.add(m.id);
    }
  }
  const out: Mismatch[] = [];
  for (const c of components) {
    if (c.group || !TROUBLE.has(c.status) || covered.has(c.id) || (c.groupId !== null && covered.has(c.groupId))) continue;
    const waiting = incidents.some((i) => i.draft && i.status !== 'resolved' && i.components.includes(c.id));
    out.push({
      kind: 'status_without_incident', componentId: c.id, publicIncidentId: null,
      message: `${c.name} is shown as ${c.status.replace(/_/g, ' ')} but no public incident says why${waiting ? ' (a draft is waiting to be published)' : ''}`,
    });
  }
  for (const i of live) {
    const shown = i.components.map((id) => byId.get(id)).filter((c): c is MismatchComponent => c !== undefined);
    if (shown.length === 0 || shown.some((c) => c.status !== 'operational')) continue;
    out.push({
      kind: 'incident_without_status', componentId: null, publicIncidentId: i.id,
      message: `public incident "${i.name}" is open but ${shown.map((c) => c.name).join(', ')} ${shown.length === 1 ? 'is' : 'are'} shown operational`,
    });
  }
  return out;
}
