/**
 * Timestamp parsing shared by the formats. Senders write RFC 3339 with up to nanosecond
 * precision (Go), PagerDuty's own examples use `+0000` offsets, and Alertmanager marks "not
 * ended" with Go's zero time; `Date.parse` handles none of these reliably, so parse by hand.
 */

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Go's `time.Time{}` as JSON; Alertmanager sends it as `endsAt` of every firing alert. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Epoch ms of an RFC 3339 / ISO 8601 date-time, or `undefined` when the text is not one.
 * Fractions beyond milliseconds are truncated (not rounded) so a time never moves forward.
 */
export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  // 60 is a leap second; RFC 3339 allows it and JS folds it into the next minute.
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  let epoch = date.getTime();
  if (sign !== undefined) {
    const offsetHours = Number(oh);
    const offsetMinutes = Number(om);
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
    epoch += sign === '+' ? -offset : offset;
  }
  return epoch;
}

/** Like {@link parseTimestamp} but Go's zero time (any year-1 instant) means "not set". */
export function parseGoTimestamp(text: string): number | null | undefined {
  const epoch = parseTimestamp(text);
  if (epoch === undefined) return undefined;
  return text.trim().startsWith('0001-') ? null : epoch;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}
