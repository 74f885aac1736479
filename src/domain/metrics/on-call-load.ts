/**
 * Pages per person, and how many of them came out of hours or at night in the person's own time
 * zone. Pure: the page rows are passed in. Times of day come from Intl, so daylight saving is
 * the zone's own; an unknown zone falls back to UTC (and the row says so).
 */
export interface PageRow {
  userId: string;
  userName: string;
  timeZone: string;
  incidentId: string;
  isDrill: boolean;
  /** When the page was queued, epoch ms. */
  at: number;
}

export interface OnCallLoad {
  userId: string;
  name: string;
  timeZone: string;
  pages: number;
  outOfHours: number;
  night: number;
  /** Pages from drill incidents: counted apart, not in `pages`. */
  drillPages: number;
  incidents: number;
}

const WORK_START = 9;
const WORK_END = 18;
const NIGHT_START = 22;
const NIGHT_END = 7;

const formatters = new Map<string, Intl.DateTimeFormat>();
function localParts(at: number, timeZone: string): { hour: number; weekday: string } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  return { hour: Number(parts.find((p) => p.type === 'hour')!.value), weekday: parts.find((p) => p.type === 'weekday')!.value };
}

export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function classifyPageTime(at: number, timeZone: string): { outOfHours: boolean; night: boolean } {
  const { hour, weekday } = localParts(at, timeZone);
  const weekend = weekday === 'Sat' || weekday === 'Sun';
  return { outOfHours: weekend || hour < WORK_START || hour >= WORK_END, night: hour >= NIGHT_START || hour < NIGHT_END };
}

export function onCallLoad(pages: readonly PageRow[]): OnCallLoad[] {
  const byUser = new Map<string, OnCallLoad & { seen: Set<string> }>();
  for (const page of pages) {
    const zone = validTimeZone(page.timeZone) ? page.timeZone : 'UTC';
    let row = byUser.get(page.userId);
    if (!row) {
      row = { userId: page.userId, name: page.userName, timeZone: zone, pages: 0, outOfHours: 0, night: 0, drillPages: 0, incidents: 0, seen: new Set() };
      byUser.set(page.userId, row);
    }
    if (page.isDrill) {
      row.drillPages += 1;
      continue;
    }
    row.pages += 1;
    const when = classifyPageTime(page.at, zone);
    if (when.outOfHours) row.outOfHours += 1;
    if (when.night) row.night += 1;
    row.seen.add(page.incidentId);
    row.incidents = row.seen.size;
  }
  return [...byUser.values()]
    .map(({ seen: _seen, ...row }) => row)
    .sort((a, b) => b.pages - a.pages || a.name.localeCompare(b.name));
}

/** Acknowledgements by one person in the range and the time from each to its end (SQL sums it). */
export interface AcknowledgedTimeRow {
  userId: string;
  userName: string;
  timeZone: string;
  acknowledgements: number;
  acknowledgedMs: number;
}

export type OnCallLoadWithAck = OnCallLoad & { acknowledgements: number; acknowledgedSeconds: number };

/** Adds time spent acknowledged to the page counts; someone who acknowledged without being paged still appears. */
export function withTimeAcknowledged(people: readonly OnCallLoad[], acks: readonly AcknowledgedTimeRow[]): OnCallLoadWithAck[] {
  const byUser = new Map(acks.map((a) => [a.userId, a]));
  const rows: OnCallLoadWithAck[] = people.map((p) => {
    const a = byUser.get(p.userId);
    byUser.delete(p.userId);
    return { ...p, acknowledgements: a?.acknowledgements ?? 0, acknowledgedSeconds: a ? Math.round(a.acknowledgedMs / 1000) : 0 };
  });
  for (const a of byUser.values()) {
    rows.push({
      userId: a.userId, name: a.userName, timeZone: validTimeZone(a.timeZone) ? a.timeZone : 'UTC', pages: 0, outOfHours: 0, night: 0, drillPages: 0, incidents: 0,
      acknowledgements: a.acknowledgements, acknowledgedSeconds: Math.round(a.acknowledgedMs / 1000),
    });
  }
  return rows.sort((a, b) => b.pages - a.pages || b.acknowledgedSeconds - a.acknowledgedSeconds || a.name.localeCompare(b.name));
}
