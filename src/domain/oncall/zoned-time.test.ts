import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  epochToWallClock,
  formatWallClock,
  fromZonedDateTime,
  isValidTimeZone,
  parseClockTime,
  parseLocalDate,
  toZonedDateTime,
  wallClockToEpoch,
  weekdayOfDay,
  zoneOffsetMs,
} from './zoned-time.js';

const utc = (iso: string): number => Date.parse(iso);
const wall = (iso: string): number => Date.parse(`${iso}:00Z`);
const H = 3_600_000;

describe('zoneOffsetMs', () => {
  it.each([
    ['Europe/Berlin', '2026-01-15T12:00:00Z', 1 * H],
    ['Europe/Berlin', '2026-07-15T12:00:00Z', 2 * H],
    ['America/New_York', '2026-01-15T12:00:00Z', -5 * H],
    ['America/New_York', '2026-07-15T12:00:00Z', -4 * H],
    ['Australia/Sydney', '2026-01-15T12:00:00Z', 11 * H],
    ['Australia/Sydney', '2026-07-15T12:00:00Z', 10 * H],
    ['Asia/Kolkata', '2026-01-15T12:00:00Z', 5.5 * H],
    ['Asia/Kolkata', '2026-07-15T12:00:00Z', 5.5 * H],
    ['America/St_Johns', '2026-01-15T12:00:00Z', -3.5 * H],
    ['America/St_Johns', '2026-07-15T12:00:00Z', -2.5 * H],
    ['UTC', '2026-07-15T12:00:00Z', 0],
  ])('%s at %s', (zone, at, offset) => {
    expect(zoneOffsetMs(zone, utc(at))).toBe(offset);
  });
});

describe('wallClockToEpoch', () => {
  it.each([
    // Ordinary times.
    ['Europe/Berlin', '2026-01-05T09:00', '2026-01-05T08:00:00.000Z'],
    ['Asia/Kolkata', '2026-03-29T09:00', '2026-03-29T03:30:00.000Z'],
    ['America/St_Johns', '2026-01-05T09:00', '2026-01-05T12:30:00.000Z'],
    // Spring-forward gap: resolved forward to the instant the clocks jump.
    ['Europe/Berlin', '2026-03-29T02:00', '2026-03-29T01:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29T02:30', '2026-03-29T01:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29T02:59', '2026-03-29T01:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29T03:00', '2026-03-29T01:00:00.000Z'],
    ['America/New_York', '2026-03-08T02:30', '2026-03-08T07:00:00.000Z'],
    ['Australia/Sydney', '2026-10-04T02:30', '2026-10-03T16:00:00.000Z'],
    ['America/St_Johns', '2026-03-08T02:30', '2026-03-08T05:30:00.000Z'],
    // Fall-back: the repeated hour resolves to its first occurrence.
    ['Europe/Berlin', '2026-10-25T02:30', '2026-10-25T00:30:00.000Z'],
    ['America/New_York', '2026-11-01T01:30', '2026-11-01T05:30:00.000Z'],
    ['Australia/Sydney', '2026-04-05T02:30', '2026-04-04T15:30:00.000Z'],
    ['America/St_Johns', '2026-11-01T01:30', '2026-11-01T04:00:00.000Z'],
    // Just outside the repeated hour.
    ['Europe/Berlin', '2026-10-25T03:00', '2026-10-25T02:00:00.000Z'],
    ['America/New_York', '2026-11-01T00:59', '2026-11-01T04:59:00.000Z'],
  ])('%s %s → %s', (zone, local, expected) => {
    expect(new Date(wallClockToEpoch(wall(local), zone)).toISOString()).toBe(expected);
  });

  it('round-trips fromZonedDateTime / toZonedDateTime', () => {
    const at = fromZonedDateTime({ year: 2026, month: 7, day: 1, hour: 18, minute: 45, second: 0 }, 'Australia/Sydney');
    expect(toZonedDateTime(at, 'Australia/Sydney')).toEqual({ year: 2026, month: 7, day: 1, hour: 18, minute: 45, second: 0 });
    expect(formatWallClock(at, 'Australia/Sydney')).toBe('2026-07-01 18:45');
  });

  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/St_Johns', 'Australia/Lord_Howe'];
  const base = Date.UTC(2025, 0, 1);
  const span = 2 * 365 * 24 * H;

  it('is monotonic in the wall clock (hand-offs never cross)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: span }), fc.integer({ min: 0, max: 6 * H }), (zone, a, delta) => {
        const w1 = base + Math.floor(a / 60_000) * 60_000;
        const w2 = w1 + Math.floor(delta / 60_000) * 60_000;
        expect(wallClockToEpoch(w2, zone)).toBeGreaterThanOrEqual(wallClockToEpoch(w1, zone));
      }),
      { numRuns: 300 },
    );
  });

  it('returns the earliest instant showing the wall clock, or the jump for a skipped time', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: span }), (zone, a) => {
        const w = base + Math.floor(a / 60_000) * 60_000;
        const t = wallClockToEpoch(w, zone);
        const shown = epochToWallClock(t, zone);
        expect(shown).toBeGreaterThanOrEqual(w);
        // Nothing one second earlier shows the wall clock already (earliest such instant)...
        expect(epochToWallClock(t - 1000, zone)).toBeLessThan(w);
        // A skipped time lands on the jump, which is never more than a DST shift away.
        expect(shown - w).toBeLessThan(2 * H);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parsers', () => {
  it.each([
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2024-02-29', true],
    ['2026-13-01', false],
    ['26-01-01', false],
  ])('parseLocalDate(%s) valid=%s', (text, ok) => {
    expect(parseLocalDate(text) !== null).toBe(ok);
  });

  it.each([
    ['00:00', 0],
    ['09:30', 9.5 * H],
    ['23:59', 23 * H + 59 * 60_000],
    ['24:00', null],
    ['9:00', null],
  ])('parseClockTime(%s)', (text, ms) => {
    expect(parseClockTime(text)).toBe(ms);
  });

  it('knows weekdays and zones', () => {
    expect(weekdayOfDay(0)).toBe('thu');
    expect(weekdayOfDay(Math.floor(Date.UTC(2026, 2, 29) / 86_400_000))).toBe('sun');
    expect(weekdayOfDay(-1)).toBe('wed');
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
