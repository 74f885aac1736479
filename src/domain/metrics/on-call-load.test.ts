import { describe, expect, it } from 'vitest';
import { classifyPageTime, onCallLoad } from './on-call-load.js';

describe('classifyPageTime', () => {
  it.each([
    ['Monday 10:00 UTC in UTC is working hours', '2026-03-02T10:00:00Z', 'UTC', { outOfHours: false, night: false }],
    ['Monday 18:00 UTC is out of hours, not night', '2026-03-02T18:00:00Z', 'UTC', { outOfHours: true, night: false }],
    ['Monday 03:00 UTC is night', '2026-03-02T03:00:00Z', 'UTC', { outOfHours: true, night: true }],
    ['Saturday noon is out of hours', '2026-03-07T12:00:00Z', 'UTC', { outOfHours: true, night: false }],
    ['Monday 10:00 UTC is 02:00 in Los Angeles: night', '2026-03-02T10:00:00Z', 'America/Los_Angeles', { outOfHours: true, night: true }],
    ['Monday 01:00 UTC is 10:00 in Tokyo: working hours', '2026-03-02T01:00:00Z', 'Asia/Tokyo', { outOfHours: false, night: false }],
  ])('%s', (_name, at, zone, expected) => {
    expect(classifyPageTime(Date.parse(at), zone)).toEqual(expected);
  });

  it('agrees with Intl every 47 minutes over two years, daylight-saving days and odd offsets included', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC']) {
      const intl = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
      // A 47-minute stride walks through every minute of the hour over the two years.
      for (let at = Date.parse('2025-01-01T00:07:00Z'); at < Date.parse('2027-01-01T00:00:00Z'); at += 47 * 60_000) {
        const parts = intl.formatToParts(at);
        const hour = Number(parts.find((p) => p.type === 'hour')!.value);
        const weekday = parts.find((p) => p.type === 'weekday')!.value;
        const weekend = weekday === 'Sat' || weekday === 'Sun';
        const expected = { outOfHours: weekend || hour < 9 || hour >= 18, night: hour >= 22 || hour < 7 };
        if (JSON.stringify(classifyPageTime(at, zone)) !== JSON.stringify(expected)) expect({ zone, at: new Date(at).toISOString(), got: classifyPageTime(at, zone) }).toEqual({ zone, at: new Date(at).toISOString(), got: expected });
      }
    }
  });
});

describe('onCallLoad', () => {
  const base = { userName: 'Ann', timeZone: 'Europe/Berlin', isDrill: false };
  it('counts pages per person, out of hours and night in their zone; drills apart; unknown zone is UTC', () => {
    const rows = onCallLoad([
      { ...base, userId: 'u1', incidentId: 'i1', at: Date.parse('2026-03-02T10:00:00Z') }, // 11:00 Berlin
      { ...base, userId: 'u1', incidentId: 'i1', at: Date.parse('2026-03-02T22:30:00Z') }, // 23:30 Berlin
      { ...base, userId: 'u1', incidentId: 'i2', at: Date.parse('2026-03-02T17:30:00Z') }, // 18:30 Berlin
      { ...base, userId: 'u1', incidentId: 'i3', at: Date.parse('2026-03-02T03:00:00Z'), isDrill: true },
      { userId: 'u2', userName: 'Bo', timeZone: 'Not/AZone', incidentId: 'i1', isDrill: false, at: Date.parse('2026-03-02T08:00:00Z') },
    ]);
    expect(rows).toEqual([
      { userId: 'u1', name: 'Ann', timeZone: 'Europe/Berlin', pages: 3, outOfHours: 2, night: 1, drillPages: 1, incidents: 2 },
      { userId: 'u2', name: 'Bo', timeZone: 'UTC', pages: 1, outOfHours: 1, night: 0, drillPages: 0, incidents: 1 },
    ]);
  });
});
