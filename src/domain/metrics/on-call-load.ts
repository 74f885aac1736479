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

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at `at` (whole seconds), in ms. */
function offsetAt(at: number, timeZone: string): number {
  const whole = Math.floor(at / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(whole)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - whole;
}

/**
 * Why a cache: Intl costs ~10 µs a call and a year's report classifies a page for most
 * incidents (hundreds of thousands). A zone's offset changes at most a few times a year, so it
 * is looked up at both ends of each UTC day; when they agree (every day but a transition's) the
 * local hour and weekday are arithmetic, otherwise Intl answers for that instant.
 */
const dayOffsets = new Map<string, Map<number, number | null>>();
let cachedDays = 0;
/** The local hour and weekday (0: Sunday) of `at` in the zone, as hour × 8 + weekday: no object per page. */
function localHourAndWeekday(at: number, timeZone: string): number {
  const day = Math.floor(at / DAY_MS) * DAY_MS;
  let zone = dayOffsets.get(timeZone);
  if (!zone) dayOffsets.set(timeZone, (zone = new Map()));
  let offset = zone.get(day);
  if (offset === undefined) {
    if (cachedDays++ > 200_000) {
      dayOffsets.clear();
      cachedDays = 0;
    }
    const first = offsetAt(day, timeZone);
    offset = first === offsetAt(day + DAY_MS - 1000, timeZone) ? first : null;
    zone.set(day, offset);
  }
  const local = at + (offset ?? offsetAt(at, timeZone));
  const days = Math.floor(local / DAY_MS);
  const hour = Math.floor((local - days * DAY_MS) / 3_600_000);
  const weekday = (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return hour * 8 + weekday;
}

const validZones = new Map<string, boolean>();
export function validTimeZone(zone: string): boolean {
  let valid = validZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    if (validZones.size > 10_000) validZones.clear();
    validZones.set(zone, valid);
  }
  return valid;
}

export function classifyPageTime(at: number, timeZone: string): { outOfHours: boolean; night: boolean } {
  const when = pageTime(at, timeZone);
  return { outOfHours: (when & OUT_OF_HOURS) !== 0, night: (when & NIGHT) !== 0 };
}

const OUT_OF_HOURS = 1;
const NIGHT = 2;
/** {@link classifyPageTime} as bits (OUT_OF_HOURS, NIGHT), for the tally's hundreds of thousands of pages. */
function pageTime(at: number, timeZone: string): number {
  const packed = localHourAndWeekday(at, timeZone);
  const hour = packed >> 3;
  const weekday = packed & 7;
  const weekend = weekday === 0 || weekday === 6;
  return (weekend || hour < WORK_START || hour >= WORK_END ? OUT_OF_HOURS : 0) | (hour >= NIGHT_START || hour < NIGHT_END ? NIGHT : 0);
}

export function onCallLoad(pages: readonly PageRow[]): OnCallLoad[] {
  const tally = new OnCallTally();
  for (const page of pages) tally.page(tally.person(page.userId, page.userName, page.timeZone), page.incidentId, page.isDrill, page.at);
  return tally.rows();
}

/**
 * {@link onCallLoad} one page at a time, without a row object per page: a year's report folds
 * hundreds of thousands of pages straight from its columns. `person` once per person, then
 * `page` with what it returned.
 */
export class OnCallTally {
  private readonly byUser = new Map<string, OnCallLoad & { seen: Set<string | number> }>();

  person(userId: string, userName: string, timeZone: string): OnCallLoad & { seen: Set<string | number> } {
    let row = this.byUser.get(userId);
    if (!row) {
      row = { userId, name: userName, timeZone: validTimeZone(timeZone) ? timeZone : 'UTC', pages: 0, outOfHours: 0, night: 0, drillPages: 0, incidents: 0, seen: new Set() };
      this.byUser.set(userId, row);
    }
    return row;
  }

  /** A page to the person (in their first row's zone): out-of-hours and night by its time there. */
  page(row: OnCallLoad & { seen: Set<string | number> }, incident: string | number, isDrill: boolean, at: number): void {
    if (isDrill) {
      row.drillPages += 1;
      return;
    }
    row.pages += 1;
    const when = pageTime(at, row.timeZone);
    if (when & OUT_OF_HOURS) row.outOfHours += 1;
    if (when & NIGHT) row.night += 1;
    row.seen.add(incident);
  }

  rows(): OnCallLoad[] {
    return [...this.byUser.values()]
      .map(({ seen, ...row }) => ({ ...row, incidents: seen.size }))
      .sort((a, b) => b.pages - a.pages || a.name.localeCompare(b.name));
  }
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
