/**
 * Wall-clock time in an IANA zone, using only Intl (Node's full ICU data), no date library.
 *
 * A "wall-clock" value is a local date and time encoded as milliseconds as if the zone were UTC
 * (2026-03-29 09:00 local → Date.UTC(2026, 2, 29, 9, 0)). Calendar arithmetic on it is exact
 * (adding a day always moves to the same clock time), and the zone is applied only when a value
 * is turned into an instant with `wallClockToEpoch`.
 *
 * Mapping rule, local → instant (the one choice every schedule boundary depends on):
 * - a local time that exists once maps to that instant;
 * - an ambiguous local time (the repeated hour when clocks go back) maps to its FIRST occurrence;
 * - a nonexistent local time (skipped when clocks go forward) maps FORWARD to the instant the
 *   clocks jump, e.g. 02:30 on Berlin's spring day → 03:00 CEST.
 * Formally the result is the earliest instant whose wall clock is ≥ the requested one. That makes
 * the mapping monotonic, so hand-offs computed from increasing local times never cross each other:
 * shifts can lengthen or shorten across a transition but never overlap or leave a gap.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the zone (IANA names, case-insensitive, and aliases such as `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock ms for a local date-time (years 1–9999; Date.UTC would remap years 0–99). */
export function toWallClock(local: LocalDateTime): number {
  const d = new Date(0);
  d.setUTCFullYear(local.year, local.month - 1, local.day);
  d.setUTCHours(local.hour, local.minute, local.second, 0);
  return d.getTime();
}

/** The local date-time a wall-clock value stands for. */
export function fromWallClock(wall: number): LocalDateTime {
  const d = new Date(wall);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Offset of the zone from UTC at an instant, in ms (Berlin in summer: +7_200_000). */
export function zoneOffsetMs(timeZone: string, at: number): number {
  // Intl resolves whole seconds; zone transitions always fall on whole seconds.
  const second = Math.floor(at / 1000) * 1000;
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let sec = 0;
  for (const part of formatterFor(timeZone).formatToParts(second)) {
    switch (part.type) {
      case 'year': year = Number(part.value); break;
      case 'month': month = Number(part.value); break;
      case 'day': day = Number(part.value); break;
      case 'hour': hour = Number(part.value); break;
      case 'minute': minute = Number(part.value); break;
      case 'second': sec = Number(part.value); break;
      default: break;
    }
  }
  return toWallClock({ year, month, day, hour, minute, second: sec }) - second;
}

/** The wall clock in `timeZone` at instant `at`. */
export function epochToWallClock(at: number, timeZone: string): number {
  return at + zoneOffsetMs(timeZone, at);
}

/** The local date-time in `timeZone` at instant `at`. */
export function toZonedDateTime(at: number, timeZone: string): LocalDateTime {
  return fromWallClock(epochToWallClock(at, timeZone));
}

/**
 * The instant at which the wall clock of `timeZone` reads `wall`, following the mapping rule in
 * the file comment (ambiguous → first occurrence, nonexistent → the moment the clocks jump).
 */
export function wallClockToEpoch(wall: number, timeZone: string): number {
  // Every valid answer lies within [wall − 14 h, wall + 12 h] (the extreme UTC offsets), so the
  // offsets in force just before and just after that window are all the candidates there are.
  const offsets = new Set([
    zoneOffsetMs(timeZone, wall - 15 * HOUR_MS),
    zoneOffsetMs(timeZone, wall),
    zoneOffsetMs(timeZone, wall + 13 * HOUR_MS),
  ]);
  let best: number | undefined;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const offset of offsets) {
    const candidate = wall - offset;
    lo = Math.min(lo, candidate);
    hi = Math.max(hi, candidate);
    if (zoneOffsetMs(timeZone, candidate) === offset && (best === undefined || candidate < best)) {
      best = candidate;
    }
  }
  if (best !== undefined) return best;
  // Nonexistent local time: binary-search the transition, the earliest instant whose wall
  // clock has passed `wall`. Across one forward jump the wall clock is monotonic in [lo, hi].
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (epochToWallClock(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return epochToWallClock(lo, timeZone) >= wall ? lo : hi;
}

/** Instant for a local date-time in a zone (see the mapping rule above). */
export function fromZonedDateTime(local: LocalDateTime, timeZone: string): number {
  return wallClockToEpoch(toWallClock(local), timeZone);
}

/** Parses `YYYY-MM-DD` into the wall-clock value of local midnight, or null when invalid. */
export function parseLocalDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const wall = toWallClock({ year, month, day, hour: 0, minute: 0, second: 0 });
  const back = fromWallClock(wall);
  return back.year === year && back.month === month && back.day === day ? wall : null;
}

/** Parses `HH:MM` (24-hour) into ms after local midnight, or null when invalid. */
export function parseClockTime(text: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * HOUR_MS + Number(match[2]) * MINUTE_MS;
}

/** Day number (days since 1970-01-01) of the local date a wall-clock value falls on. */
export function wallClockDay(wall: number): number {
  return Math.floor(wall / DAY_MS);
}

/** Weekday of a day number; 1970-01-01 was a Thursday. */
export function weekdayOfDay(dayNumber: number): Weekday {
  return WEEKDAYS[(((dayNumber + 3) % 7) + 7) % 7] as Weekday;
}

/** `YYYY-MM-DD HH:MM` in the zone, for human-readable explanations. */
export function formatWallClock(at: number, timeZone: string): string {
  const iso = new Date(epochToWallClock(at, timeZone)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
