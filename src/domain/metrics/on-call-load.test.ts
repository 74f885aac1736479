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
