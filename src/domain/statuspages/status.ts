/**
 * Pure status arithmetic of a status page, with Statuspage's names: a component's status derived
 * from the open incidents on its services, the page's roll-up, an incident's impact, and the
 * 90-day uptime bars. No I/O; the clock comes in as `now`.
 */
export const COMPONENT_STATUSES = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];
/** Statuspage's status.json indicators; `maintenance` when the worst is a component under maintenance. */
export const INDICATORS = ['none', 'minor', 'major', 'critical', 'maintenance'] as const;
export type Indicator = (typeof INDICATORS)[number];
export const PUBLIC_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];

/** Worse is higher; maintenance ranks above operational and below any trouble. */
const RANK: Record<ComponentStatus, number> = { operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4 };

export const DEFAULT_SEVERITY_MAP: Readonly<Record<string, ComponentStatus>> = { SEV1: 'major_outage', SEV2: 'partial_outage' };
/** A severity the map does not name still means something is wrong. */
export const UNMAPPED_SEVERITY_STATUS: ComponentStatus = 'degraded_performance';

export function worst(statuses: readonly ComponentStatus[]): ComponentStatus {
  return statuses.reduce<ComponentStatus>((w, s) => (RANK[s] > RANK[w] ? s : w), 'operational');
}

export interface OpenIncidentOnService {
  serviceId: string;
  severity: string;
}

/**
 * A component's status: its override when set, else the worst of what its services' open
 * incidents map to (the page's map over the default) and `under_maintenance` while a scheduled
 * maintenance affecting it runs (an incident during maintenance shows as the incident), else
 * operational.
 */
export function deriveComponentStatus(input: {
  services: readonly string[];
  openIncidents: readonly OpenIncidentOnService[];
  severityMap?: Readonly<Record<string, ComponentStatus>>;
  override?: ComponentStatus | null;
  inMaintenance?: boolean;
}): ComponentStatus {
  if (input.override) return input.override;
  const map = { ...DEFAULT_SEVERITY_MAP, ...input.severityMap };
  const mine = new Set(input.services);
  const fromIncidents = input.openIncidents.filter((i) => mine.has(i.serviceId)).map((i) => map[i.severity] ?? UNMAPPED_SEVERITY_STATUS);
  return worst(input.inMaintenance ? [...fromIncidents, 'under_maintenance'] : fromIncidents);
}

export interface PageStatus {
  indicator: Indicator;
  description: string;
}

/**
 * The page's top-level status from its (non-group) components, after Statuspage's published
 * texts: one component maps directly; with several, the worst status decides, and whether
 * every component shares it picks the stronger text ("Major System Outage" only when all are
 * down). Maintenance as the worst gives Statuspage's `maintenance` indicator.
 */
export function rollUp(statuses: readonly ComponentStatus[]): PageStatus {
  const w = worst(statuses);
  const all = statuses.length > 0 && statuses.every((s) => s === w);
  const single = statuses.length === 1;
  switch (w) {
    case 'operational': return { indicator: 'none', description: 'All Systems Operational' };
    case 'under_maintenance': return { indicator: 'maintenance', description: 'Service Under Maintenance' };
    case 'degraded_performance': return { indicator: 'minor', description: all && !single ? 'Degraded System Service' : 'Partially Degraded Service' };
    case 'partial_outage': return single || all ? { indicator: 'major', description: 'Partial System Outage' } : { indicator: 'minor', description: 'Minor Service Outage' };
    case 'major_outage': return single || all ? { indicator: 'critical', description: 'Major System Outage' } : { indicator: 'major', description: 'Partial System Outage' };
  }
}

/** The impact a public incident shows when nobody set one: from the worst affected component. */
export function impactOf(status: ComponentStatus): Impact {
  return ({ operational: 'none', under_maintenance: 'none', degraded_performance: 'minor', partial_outage: 'major', major_outage: 'critical' } as const)[status];
}

export interface Outage {
  startedAt: number;
  /** null: still open. */
  resolvedAt: number | null;
  impact: Impact;
  /** A scheduled maintenance, not an incident: counted as maintenance, never as downtime. */
  maintenance?: boolean;
}

export interface UptimeDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  /** Worst impact of the public incidents that overlapped the day. */
  worst: Impact;
  /** Minutes of the day inside a public incident with impact above none. */
  downMinutes: number;
  /** Minutes of the day inside a running scheduled maintenance (not downtime). */
  maintenanceMinutes: number;
}

const DAY = 86_400_000;

/**
 * `days` UTC days ending with today's, oldest first, from one component's public incidents
 * and maintenances, and the share of those minutes outside any incident (overlaps counted
 * once). Maintenance is its own kind of day, never downtime: it does not lower the uptime.
 */
export function uptimeBars(outages: readonly Outage[], now: number, days = 90): { days: UptimeDay[]; uptimePercent: number } {
  const today = Math.floor(now / DAY) * DAY;
  const first = today - (days - 1) * DAY;
  const result: UptimeDay[] = [];
  let down = 0;
  let total = 0;
  const order: Impact[] = ['none', 'minor', 'major', 'critical'];
  for (let d = first; d <= today; d += DAY) {
    const end = Math.min(d + DAY, now);
    const spans: [number, number][] = [];
    const maintenance: [number, number][] = [];
    let w: Impact = 'none';
    for (const o of outages) {
      const s = Math.max(o.startedAt, d);
      const e = Math.min(o.resolvedAt ?? now, end);
      if (e <= s) continue;
      if (o.maintenance) {
        maintenance.push([s, e]);
        continue;
      }
      if (order.indexOf(o.impact) > order.indexOf(w)) w = o.impact;
      if (o.impact !== 'none') spans.push([s, e]);
    }
    const covered = union(spans);
    down += covered;
    total += Math.max(0, end - d);
    result.push({ date: new Date(d).toISOString().slice(0, 10), worst: w, downMinutes: Math.round(covered / 60_000), maintenanceMinutes: Math.round(union(maintenance) / 60_000) });
  }
  const uptimePercent = total === 0 ? 100 : Math.floor(((total - down) / total) * 10_000) / 100;
  return { days: result, uptimePercent };
}

/** Milliseconds covered by these spans, overlaps counted once. */
function union(spans: [number, number][]): number {
  spans.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reach = -Infinity;
  for (const [s, e] of spans) {
    if (e <= reach) continue;
    covered += e - Math.max(s, reach);
    reach = e;
  }
  return covered;
}
