import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, formatUtc, renderIcal, renderScheduleIcal, renderUserIcal } from './ical.js';
import { parseSchedule } from './schedule.js';
import { shiftsBetween } from './who-is-on-call.js';
import type { Shift } from './who-is-on-call.js';

const now = Date.parse('2026-01-01T00:00:00Z');
const shift = (start: string, end: string, userId: string, extra: Partial<Shift> = {}): Shift => ({
  start: Date.parse(start),
  end: Date.parse(end),
  userId,
  layerId: 'primary',
  reason: 'layer "Primary"',
  ...extra,
});

/** Unfolds per RFC 5545 §3.1 and checks the structural rules a client relies on. */
function unfold(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(line).not.toMatch(/[\r\n]/);
  }
  return text.slice(0, -2).replace(/\r\n /g, '').split('\r\n');
}

describe('iCalendar helpers', () => {
  it('escapes TEXT values', () => {
    expect(escapeText('a,b;c\\d\ne\r\nf')).toBe('a\\,b\\;c\\\\d\\ne\\nf');
  });

  it('formats UTC DATE-TIME', () => {
    expect(formatUtc(Date.parse('2026-01-05T09:00:00.750Z'))).toBe('20260105T090000Z');
  });

  it('folds at 75 octets without splitting UTF-8 sequences', () => {
    const line = `SUMMARY:${'ü'.repeat(60)}${'😀'.repeat(10)}`;
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
      expect(part).not.toContain('\uFFFD');
    }
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(foldLine('SHORT:1')).toBe('SHORT:1');
    const exact = `X:${'a'.repeat(73)}`;
    expect(foldLine(exact)).toBe(exact);
    expect(foldLine(`${exact}b`)).toBe(`${exact}\r\n b`);
  });
});

describe('renderIcal', () => {
  const items = [
    { shift: shift('2026-01-12T08:00:00Z', '2026-01-19T08:00:00Z', 'bob'), scheduleId: 'sch_1', scheduleName: 'Payments, primary; EU' },
    { shift: shift('2026-01-05T08:00:00Z', '2026-01-12T08:00:00Z', 'alice'), scheduleId: 'sch_1', scheduleName: 'Payments, primary; EU', userName: 'Alice Ng' },
  ];
  const text = renderIcal(items, { calendarName: 'Payments on-call', now, uidDomain: 'ir.example.com', timeZone: 'Europe/Berlin', urlFor: (id) => `https://ir.example.com/schedules/${id}` });
  const lines = unfold(text);

  it('is a well-formed VCALENDAR with required properties', () => {
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines.some((l) => l.startsWith('PRODID:'))).toBe(true);
    expect(lines).toContain('METHOD:PUBLISH');
    expect(lines).toContain('X-WR-CALNAME:Payments on-call');
    expect(lines).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT60M');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
    expect(lines.filter((l) => l === 'END:VEVENT')).toHaveLength(2);
    // Every event carries UID and DTSTAMP (from `now`), times in UTC.
    expect(lines.filter((l) => l === 'DTSTAMP:20260101T000000Z')).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('UID:'))).toHaveLength(2);
    expect(lines.filter((l) => /^DT(START|END):\d{8}T\d{6}Z$/.test(l))).toHaveLength(4);
    expect(lines).toContain('TRANSP:TRANSPARENT');
  });

  it('orders events by start and escapes summaries', () => {
    const starts = lines.filter((l) => l.startsWith('DTSTART:'));
    expect(starts).toEqual(['DTSTART:20260105T080000Z', 'DTSTART:20260112T080000Z']);
    expect(lines).toContain('SUMMARY:On call: Alice Ng (Payments\\, primary\\; EU)');
    expect(lines).toContain('URL:https://ir.example.com/schedules/sch_1');
  });

  it('keeps UIDs stable across refreshes and distinct per shift', () => {
    const again = unfold(renderIcal(items, { calendarName: 'x', now: now + 3_600_000, uidDomain: 'ir.example.com' }));
    const uids = (l: string[]) => l.filter((x) => x.startsWith('UID:'));
    expect(uids(again)).toEqual(uids(lines));
    expect(new Set(uids(lines)).size).toBe(2);
    expect(uids(lines)[0]).toBe('UID:shift-sch_1-lyr-primary-alice-20260105T080000Z@ir.example.com');
  });
});

describe('schedule and user feeds', () => {
  const schedule = parseSchedule({
    id: 'sch_1',
    name: 'Payments',
    timeZone: 'Europe/Berlin',
    layers: [{ id: 'l1', name: 'Primary', rotation: { type: 'daily', handoffTime: '09:00', startDate: '2026-03-27', members: ['alice', 'bob'] } }],
    overrides: [{ id: 'o1', userId: 'carol', start: Date.parse('2026-03-29T10:00:00Z'), end: Date.parse('2026-03-29T12:00:00Z') }],
  });
  const shifts = shiftsBetween(schedule, Date.parse('2026-03-28T00:00:00Z'), Date.parse('2026-03-31T00:00:00Z'));

  it('renders the resolved timeline, DST-length shifts and overrides included', () => {
    const lines = unfold(renderScheduleIcal({ id: 'sch_1', name: 'Payments', timeZone: 'Europe/Berlin' }, shifts, { now, uidDomain: 'fb.local', userNames: { alice: 'Alice' } }));
    expect(lines).toContain('X-WR-TIMEZONE:Europe/Berlin');
    expect(lines).toContain('DTSTART:20260328T080000Z');
    expect(lines).toContain('DTEND:20260329T070000Z'); // 23 h shift across the spring change
    expect(lines.some((l) => l.startsWith('UID:shift-sch_1-ovr-o1-carol-20260329T100000Z@'))).toBe(true);
    expect(lines).toContain('SUMMARY:On call: Alice (Payments)');
  });

  it('a user feed holds only that user’s shifts', () => {
    const lines = unfold(renderUserIcal({ id: 'carol', name: 'Carol' }, [{ schedule: { id: 'sch_1', name: 'Payments' }, shifts }], { now, uidDomain: 'fb.local' }));
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines).toContain('X-WR-CALNAME:On-call shifts of Carol');
  });
});
