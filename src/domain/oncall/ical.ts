import type { Shift } from './who-is-on-call.js';

/**
 * iCalendar (RFC 5545) feed of on-call shifts. Shifts are exported already expanded and in UTC
 * (`…Z`), overrides applied: no VTIMEZONE to generate and no RRULE/EXDATE edge cases for clients
 * to get wrong. The feed's time zone is only a display hint (X-WR-TIMEZONE).
 */

export interface IcalShift {
  shift: Shift;
  scheduleId: string;
  scheduleName: string;
  /** Display name for the user; defaults to the user id. */
  userName?: string;
}

export interface IcalFeedOptions {
  /** Calendar name shown by clients (NAME / X-WR-CALNAME). */
  calendarName: string;
  /** DTSTAMP of every event: when the feed was generated (epoch ms). */
  now: number;
  /** Domain part of every UID, e.g. the host name of this Firebreak. */
  uidDomain: string;
  /** Display hint for clients; times are always written in UTC. */
  timeZone?: string;
  /** Link back to the schedule page, per event. */
  urlFor?: (scheduleId: string) => string;
  /** Suggested client refresh interval in minutes (default 60). */
  refreshMinutes?: number;
}

const CRLF = '\r\n';
const PRODID = '-//Firebreak//On-call//EN';

/** Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * Folds one content line at 75 octets (RFC 5545 §3.1): continuation lines start with a space,
 * which counts toward their 75, and a multi-byte UTF-8 character is never split.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = utf8Length(ch.codePointAt(0) as number);
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join(CRLF);
}

/** `20260105T090000Z` (DATE-TIME in UTC, RFC 5545 §3.3.5). */
export function formatUtc(at: number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function uidPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/**
 * Stable UID of a shift: schedule + deciding layer/override + user + UTC start. The same shift
 * keeps its UID across refreshes (clients update instead of duplicating); a shift shortened by a
 * later override keeps its UID and just gets a new DTEND.
 */
export function shiftUid(item: IcalShift, uidDomain: string): string {
  const source = item.shift.overrideId !== undefined ? `ovr-${item.shift.overrideId}` : `lyr-${item.shift.layerId ?? 'none'}`;
  return `shift-${uidPart(item.scheduleId)}-${uidPart(source)}-${uidPart(item.shift.userId)}-${formatUtc(item.shift.start)}@${uidPart(uidDomain)}`;
}

/** Renders a complete VCALENDAR with one VEVENT per shift, CRLF line endings, folded lines. */
export function renderIcal(items: IcalShift[], options: IcalFeedOptions): string {
  const refresh = Math.max(1, Math.round(options.refreshMinutes ?? 60));
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `NAME:${escapeText(options.calendarName)}`,
    `X-WR-CALNAME:${escapeText(options.calendarName)}`,
    `REFRESH-INTERVAL;VALUE=DURATION:PT${refresh}M`,
    `X-PUBLISHED-TTL:PT${refresh}M`,
  ];
  if (options.timeZone !== undefined) lines.push(`X-WR-TIMEZONE:${escapeText(options.timeZone)}`);
  const dtstamp = formatUtc(options.now);
  const sorted = [...items].sort((a, b) => a.shift.start - b.shift.start || a.shift.userId.localeCompare(b.shift.userId));
  for (const item of sorted) {
    const name = item.userName ?? item.shift.userId;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${shiftUid(item, options.uidDomain)}`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART:${formatUtc(item.shift.start)}`,
      `DTEND:${formatUtc(item.shift.end)}`,
      `SUMMARY:${escapeText(`On call: ${name} (${item.scheduleName})`)}`,
      `DESCRIPTION:${escapeText(item.shift.reason)}`,
    );
    if (options.urlFor) lines.push(`URL:${options.urlFor(item.scheduleId).replace(/[\u0000-\u001f\u007f]/g, '')}`);
    lines.push('STATUS:CONFIRMED', 'TRANSP:TRANSPARENT', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/** Feed for one schedule: every shift of it. */
export function renderScheduleIcal(
  schedule: { id: string; name: string; timeZone: string },
  shifts: Shift[],
  options: Omit<IcalFeedOptions, 'calendarName' | 'timeZone'> & { userNames?: Record<string, string> },
): string {
  const items = shifts.map((shift): IcalShift => {
    const userName = options.userNames?.[shift.userId];
    return { shift, scheduleId: schedule.id, scheduleName: schedule.name, ...(userName !== undefined ? { userName } : {}) };
  });
  return renderIcal(items, { ...options, calendarName: `${schedule.name} on-call`, timeZone: schedule.timeZone });
}

/** Feed for one user across schedules: only that user's shifts. */
export function renderUserIcal(
  user: { id: string; name: string },
  perSchedule: { schedule: { id: string; name: string }; shifts: Shift[] }[],
  options: Omit<IcalFeedOptions, 'calendarName'>,
): string {
  const items: IcalShift[] = [];
  for (const { schedule, shifts } of perSchedule) {
    for (const shift of shifts) {
      if (shift.userId === user.id) items.push({ shift, scheduleId: schedule.id, scheduleName: schedule.name, userName: user.name });
    }
  }
  return renderIcal(items, { ...options, calendarName: `On-call shifts of ${user.name}` });
}
