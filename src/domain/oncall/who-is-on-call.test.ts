import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import type { Layer, Override, Schedule } from './schedule.js';
import { parseSchedule } from './schedule.js';
import { findCoverageProblems, shiftsBetween, whoIsOnCall } from './who-is-on-call.js';
import type { Shift } from './who-is-on-call.js';
import { DAY_MS, formatWallClock, parseClockTime, parseLocalDate, wallClockToEpoch } from './zoned-time.js';

const H = 3_600_000;
const utc = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function layer(id: string, rotation: Partial<Layer['rotation']> & { members: string[] }, restrictions?: Layer['restrictions']): Layer {
  return {
    id,
    name: id,
    rotation: { type: 'daily', handoffTime: '09:00', startDate: '2026-01-01', ...rotation },
    ...(restrictions ? { restrictions } : {}),
  };
}

function schedule(timeZone: string, layers: Layer[], overrides: Override[] = []): Schedule {
  return parseSchedule({ timeZone, layers, overrides });
}

function span(s: Shift): [string, string, string] {
  return [iso(s.start), iso(s.end), s.userId];
}

function containing(shifts: Shift[], at: number): Shift | undefined {
  return shifts.find((s) => s.start <= at && at < s.end);
}

describe('daily hand-off across DST keeps local time: 23 h in spring, 25 h in autumn', () => {
  // [zone, spring shift start, spring shift end, autumn shift start, autumn shift end] (UTC)
  const cases: [string, string, string, string, string][] = [
    ['Europe/Berlin', '2026-03-28T08:00Z', '2026-03-29T07:00Z', '2026-10-24T07:00Z', '2026-10-25T08:00Z'],
    ['America/New_York', '2026-03-07T14:00Z', '2026-03-08T13:00Z', '2026-10-31T13:00Z', '2026-11-01T14:00Z'],
    // Southern hemisphere: clocks go forward in October and back in April.
    ['Australia/Sydney', '2026-10-02T23:00Z', '2026-10-03T22:00Z', '2026-04-03T22:00Z', '2026-04-04T23:00Z'],
    ['America/St_Johns', '2026-03-07T12:30Z', '2026-03-08T11:30Z', '2026-10-31T11:30Z', '2026-11-01T12:30Z'],
  ];

  it.each(cases)('%s', (zone, springStart, springEnd, fallStart, fallEnd) => {
    const s = schedule(zone, [layer('primary', { members: ['ana', 'ben', 'cy'] })]);
    for (const [start, end, hours] of [
      [springStart, springEnd, 23],
      [fallStart, fallEnd, 25],
    ] as const) {
      const shifts = shiftsBetween(s, utc(start) - 2 * DAY_MS, utc(end) + 2 * DAY_MS);
      const across = containing(shifts, utc(start));
      expect(across && [iso(across.start), iso(across.end)]).toEqual([start.replace('Z', ':00Z'), end.replace('Z', ':00Z')]);
      expect(across && (across.end - across.start) / H).toBe(hours);
      // Every hand-off in the window is at 09:00 local, shifts are contiguous, the rest are 24 h.
      for (let i = 0; i < shifts.length; i += 1) {
        const shift = shifts[i] as Shift;
        expect(formatWallClock(shift.start, zone).slice(11)).toBe('09:00');
        if (i > 0) expect(shift.start).toBe((shifts[i - 1] as Shift).end);
        if (shift !== across) expect((shift.end - shift.start) / H).toBe(24);
      }
    }
  });

  it('Asia/Kolkata (+05:30, no DST) keeps 24 h shifts all year', () => {
    const s = schedule('Asia/Kolkata', [layer('primary', { members: ['ana', 'ben'] })]);
    const shifts = shiftsBetween(s, utc('2026-03-01T00:00Z'), utc('2026-11-30T00:00Z'));
    expect(shifts.every((x) => x.end - x.start === 24 * H)).toBe(true);
    expect(iso((shifts[0] as Shift).start)).toBe('2026-02-28T03:30:00Z');
  });

  it('whoIsOnCall flips exactly at 09:00 local on the spring-forward day (Berlin)', () => {
    const s = schedule('Europe/Berlin', [layer('primary', { members: ['ana', 'ben'], startDate: '2026-03-28' })]);
    expect(whoIsOnCall(s, utc('2026-03-29T06:59:59Z')).userIds).toEqual(['ana']); // 08:59:59 CEST
    expect(whoIsOnCall(s, utc('2026-03-29T07:00:00Z')).userIds).toEqual(['ben']); // 09:00 CEST
    const result = whoIsOnCall(s, utc('2026-03-29T01:30:00Z'));
    expect(result.explanation[0]).toMatchObject({
      layerId: 'primary',
      layerName: 'primary',
      shiftStart: utc('2026-03-28T08:00:00Z'),
      shiftEnd: utc('2026-03-29T07:00:00Z'),
    });
    expect(result.reason).toContain('ana is on call');
  });

  it('a hand-off inside the spring gap moves to the jump, one inside the repeated hour to its first occurrence', () => {
    const ny = schedule('America/New_York', [layer('night', { members: ['ana', 'ben'], handoffTime: '02:30', startDate: '2026-03-06' })]);
    const spring = shiftsBetween(ny, utc('2026-03-07T12:00Z'), utc('2026-03-09T12:00Z')).map(span);
    expect(spring).toEqual([
      ['2026-03-07T07:30:00Z', '2026-03-08T07:00:00Z', 'ben'], // 02:30 EST → 03:00 EDT (the jump)
      ['2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z', 'ana'],
      ['2026-03-09T06:30:00Z', '2026-03-10T06:30:00Z', 'ben'],
    ]);
    const fall = schedule('America/New_York', [layer('night', { members: ['ana', 'ben'], handoffTime: '01:30', startDate: '2026-10-30' })]);
    expect(shiftsBetween(fall, utc('2026-10-31T12:00Z'), utc('2026-11-01T12:00Z')).map(span)).toEqual([
      ['2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z', 'ben'], // 01:30 EDT, first occurrence
      ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z', 'ana'], // 25 h
    ]);
  });
});

describe('weekly rotations across DST', () => {
  it.each([
    // [zone, startDate (a Monday), spring week start, its length, autumn week start, its length]
    ['Europe/Berlin', '2026-03-23', '2026-03-23T08:00Z', 167, '2026-10-19T07:00Z', 169],
    ['America/New_York', '2026-03-02', '2026-03-02T14:00Z', 167, '2026-10-26T13:00Z', 169],
    ['Australia/Sydney', '2026-03-30', '2026-09-27T23:00Z', 167, '2026-03-29T22:00Z', 169],
    ['America/St_Johns', '2026-03-02', '2026-03-02T12:30Z', 167, '2026-10-26T11:30Z', 169],
    ['Asia/Kolkata', '2026-03-23', '2026-03-23T03:30Z', 168, '2026-10-19T03:30Z', 168],
  ])('%s', (zone, startDate, springStart, springHours, fallStart, fallHours) => {
    const s = schedule(zone, [layer('week', { type: 'weekly', startDate, members: ['ana', 'ben', 'cy', 'di'] })]);
    for (const [start, hours] of [
      [springStart, springHours],
      [fallStart, fallHours],
    ] as const) {
      const at = utc(start) + H;
      const shift = whoIsOnCall(s, at).explanation[0];
      expect(shift?.shiftStart).toBe(utc(start));
      expect(((shift?.shiftEnd ?? 0) - (shift?.shiftStart ?? 0)) / H).toBe(hours);
      expect(formatWallClock(shift?.shiftEnd ?? 0, zone).slice(11)).toBe('09:00');
    }
  });

  it('rotates members in order, one per week', () => {
    const s = schedule('Europe/Berlin', [layer('week', { type: 'weekly', startDate: '2026-03-23', members: ['ana', 'ben', 'cy'] })]);
    const users = shiftsBetween(s, utc('2026-03-23T08:00Z'), utc('2026-05-04T07:00Z')).map((x) => x.userId);
    expect(users).toEqual(['ana', 'ben', 'cy', 'ana', 'ben', 'cy']);
  });
});

describe('custom rotations', () => {
  it('12-hour shifts keep their 09:00 / 21:00 local hand-offs across DST', () => {
    const s = schedule('Europe/Berlin', [
      layer('halves', { type: 'custom', shiftLengthSeconds: 12 * 3600, startDate: '2026-03-27', members: ['day', 'night'] }),
    ]);
    const shifts = shiftsBetween(s, utc('2026-03-28T08:00Z'), utc('2026-03-29T19:00Z'));
    expect(shifts.map((x) => [formatWallClock(x.start, 'Europe/Berlin').slice(11), (x.end - x.start) / H, x.userId])).toEqual([
      ['09:00', 12, 'day'],
      ['21:00', 11, 'night'], // the night across the jump is an hour shorter
      ['09:00', 12, 'day'],
    ]);
  });

  it('a multiple of 24 h behaves as whole local days', () => {
    const s = schedule('America/New_York', [
      layer('3d', { type: 'custom', shiftLengthSeconds: 3 * 86_400, startDate: '2026-03-06', members: ['ana', 'ben'] }),
    ]);
    const shift = whoIsOnCall(s, utc('2026-03-08T12:00Z')).explanation[0];
    expect(shift && (shift.shiftEnd - shift.shiftStart) / H).toBe(71);
  });
});

describe('layers, restrictions and overrides', () => {
  const base = layer('base', { members: ['ana', 'ben'], startDate: '2026-03-03' }); // Tue: ana, Wed: ben, …
  // 2026-03-04 is a Wednesday.
  const business = layer('business', { members: ['lead'], startDate: '2026-03-02' }, [
    { type: 'daily', from: '09:00', to: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
  ]);

  it.each([
    ['Wed 12:00 → business-hours layer on top', '2026-03-04T11:00Z', 'lead', 'business'],
    ['Wed 18:00 → base layer shows through', '2026-03-04T17:00Z', 'ben', 'base'],
    ['Wed 08:59 → before the window', '2026-03-04T07:59Z', 'ana', 'base'],
    ['Sat 12:00 → weekend is not restricted-in', '2026-03-07T11:00Z', 'ana', 'base'],
  ])('%s', (_name, at, user, layerId) => {
    const s = schedule('Europe/Berlin', [base, business]);
    const result = whoIsOnCall(s, utc(at));
    expect(result.userIds).toEqual([user]);
    expect(result.explanation[0]?.layerId).toBe(layerId);
  });

  it('later layers take precedence over earlier ones', () => {
    const top = layer('top', { members: ['zed'], startDate: '2026-03-02' });
    expect(whoIsOnCall(schedule('Europe/Berlin', [base, top]), utc('2026-03-04T11:00Z')).userIds).toEqual(['zed']);
    expect(whoIsOnCall(schedule('Europe/Berlin', [top, base]), utc('2026-03-04T11:00Z')).userIds).toEqual(['ben']);
  });

  it('business hours follow local time across the spring change (New York, Mon 2026-03-09)', () => {
    const s = schedule('America/New_York', [layer('business', { members: ['lead'], startDate: '2026-03-01' }, business.restrictions)]);
    const shifts = shiftsBetween(s, utc('2026-03-06T00:00Z'), utc('2026-03-10T00:00Z')).map(span);
    expect(shifts).toEqual([
      ['2026-03-06T14:00:00Z', '2026-03-06T22:00:00Z', 'lead'], // Fri 09–17 EST
      ['2026-03-09T13:00:00Z', '2026-03-09T21:00:00Z', 'lead'], // Mon 09–17 EDT
    ]);
  });

  it('an overnight daily restriction runs past midnight', () => {
    const s = schedule('Asia/Kolkata', [layer('nights', { members: ['owl'], startDate: '2026-03-01' }, [{ type: 'daily', from: '22:00', to: '06:00' }])]);
    expect(whoIsOnCall(s, utc('2026-03-04T20:00Z')).userIds).toEqual(['owl']); // 01:30 IST
    expect(whoIsOnCall(s, utc('2026-03-04T06:30Z')).userIds).toEqual([]); // 12:00 IST
    expect(whoIsOnCall(s, utc('2026-03-04T06:30Z')).reason).toContain('nobody');
  });

  it('a weekly restriction spans Fri 17:00 → Mon 09:00', () => {
    const weekend = layer('weekend', { members: ['wknd'], startDate: '2026-03-01' }, [
      { type: 'weekly', from: '17:00', to: '09:00', days: ['fri', 'mon'] },
    ]);
    const s = schedule('Europe/Berlin', [base, weekend]);
    expect(whoIsOnCall(s, utc('2026-03-06T15:59Z')).userIds).toEqual(['ben']); // Fri 16:59
    expect(whoIsOnCall(s, utc('2026-03-06T16:00Z')).userIds).toEqual(['wknd']); // Fri 17:00
    expect(whoIsOnCall(s, utc('2026-03-08T12:00Z')).userIds).toEqual(['wknd']); // Sun
    expect(whoIsOnCall(s, utc('2026-03-09T08:00Z')).userIds).toEqual(['ana']); // Mon 09:00
  });

  it('an override covering part of a shift splits it, and explains itself', () => {
    const cover: Override = { id: 'ovr1', userId: 'cy', start: utc('2026-03-04T11:00Z'), end: utc('2026-03-04T14:00Z'), replacesUserId: 'ben' };
    const s = schedule('Europe/Berlin', [base], [cover]);
    // ben's turn: Wed 09:00 → Thu 09:00 CET.
    expect(shiftsBetween(s, utc('2026-03-04T08:00Z'), utc('2026-03-05T08:00Z')).map(span)).toEqual([
      ['2026-03-04T08:00:00Z', '2026-03-04T11:00:00Z', 'ben'],
      ['2026-03-04T11:00:00Z', '2026-03-04T14:00:00Z', 'cy'],
      ['2026-03-04T14:00:00Z', '2026-03-05T08:00:00Z', 'ben'],
    ]);
    const now = whoIsOnCall(s, utc('2026-03-04T12:00Z'));
    expect(now.userIds).toEqual(['cy']);
    expect(now.explanation[0]).toMatchObject({ overrideId: 'ovr1', shiftStart: cover.start, shiftEnd: cover.end });
    expect(now.explanation[0]?.reason).toContain('covers for ben');
  });

  it('an override that replaces a specific user leaves other users’ shifts alone', () => {
    const cover: Override = { id: 'ovr1', userId: 'cy', start: utc('2026-03-03T00:00Z'), end: utc('2026-03-06T00:00Z'), replacesUserId: 'ben' };
    const s = schedule('Europe/Berlin', [base], [cover]);
    expect(whoIsOnCall(s, utc('2026-03-03T12:00Z')).userIds).toEqual(['ana']);
    expect(whoIsOnCall(s, utc('2026-03-04T12:00Z')).userIds).toEqual(['cy']);
  });

  it('overrides beat every layer; the later override wins when two overlap', () => {
    const s = schedule(
      'Europe/Berlin',
      [base, business],
      [
        { id: 'o1', userId: 'x', start: utc('2026-03-04T10:00Z'), end: utc('2026-03-04T13:00Z') },
        { id: 'o2', userId: 'y', start: utc('2026-03-04T12:00Z'), end: utc('2026-03-04T14:00Z') },
      ],
    );
    expect(whoIsOnCall(s, utc('2026-03-04T11:00Z')).userIds).toEqual(['x']);
    expect(whoIsOnCall(s, utc('2026-03-04T12:30Z')).userIds).toEqual(['y']);
    const problems = findCoverageProblems(s, utc('2026-03-04T00:00Z'), utc('2026-03-05T00:00Z'));
    expect(problems.gaps).toEqual([]);
    expect(problems.overlaps).toEqual([
      expect.objectContaining({ kind: 'overrides', ids: ['o1', 'o2'], start: utc('2026-03-04T12:00Z'), end: utc('2026-03-04T13:00Z') }),
    ]);
  });

  it('an override can fill a gap', () => {
    const s = schedule('Europe/Berlin', [business], [{ id: 'o1', userId: 'x', start: utc('2026-03-07T08:00Z'), end: utc('2026-03-07T10:00Z') }]);
    expect(whoIsOnCall(s, utc('2026-03-07T09:00Z')).userIds).toEqual(['x']);
  });

  it('finds gaps: before a rotation starts and outside restriction windows', () => {
    const s = schedule('Europe/Berlin', [business]);
    const { gaps, overlaps } = findCoverageProblems(s, utc('2026-03-06T00:00Z'), utc('2026-03-09T12:00Z'));
    expect(gaps.map((g) => [iso(g.start), iso(g.end)])).toEqual([
      ['2026-03-06T00:00:00Z', '2026-03-06T08:00:00Z'],
      ['2026-03-06T16:00:00Z', '2026-03-09T08:00:00Z'],
    ]);
    expect(overlaps).toEqual([]);
    const late = schedule('Europe/Berlin', [layer('late', { members: ['a'], startDate: '2026-03-10' })]);
    expect(findCoverageProblems(late, utc('2026-03-09T00:00Z'), utc('2026-03-11T00:00Z')).gaps).toEqual([
      { start: utc('2026-03-09T00:00Z'), end: utc('2026-03-10T08:00Z') },
    ]);
  });

  it('shifts keep their true extent at the window edges (stable iCal UIDs)', () => {
    const s = schedule('Europe/Berlin', [base]);
    const [first] = shiftsBetween(s, utc('2026-03-04T12:00Z'), utc('2026-03-04T13:00Z'));
    expect(first && span(first)).toEqual(['2026-03-04T08:00:00Z', '2026-03-05T08:00:00Z', 'ben']);
  });

  it('refuses absurd windows and bad input', () => {
    // One-minute turns are refused at save now, but a schedule stored before that still loads.
    const s: Schedule = { timeZone: 'Europe/Berlin', layers: [layer('tiny', { type: 'custom', shiftLengthSeconds: 60, members: ['a'] })], overrides: [] };
    expect(() => shiftsBetween(s, utc('2026-01-01T00:00Z'), utc('2027-01-01T00:00Z'))).toThrow(AppError);
    expect(() => whoIsOnCall(s, Number.NaN)).toThrow(/from/);
    expect(shiftsBetween(s, 10, 5)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/St_Johns', 'Australia/Lord_Howe', 'UTC'];
const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
// Dates near DST changes in both hemispheres are the interesting ones.
const startDate = fc.constantFrom('2026-03-05', '2026-03-27', '2026-04-02', '2026-09-30', '2026-10-23', '2026-10-30', '2026-06-01');
const members = fc.array(fc.constantFrom('ana', 'ben', 'cy', 'di'), { minLength: 1, maxLength: 4 });
const rotation = fc.oneof(
  fc.record({ type: fc.constant('daily' as const), handoffTime: clock, startDate, members }),
  fc.record({ type: fc.constant('weekly' as const), handoffTime: clock, startDate, members }),
  fc.record({
    type: fc.constant('custom' as const),
    shiftLengthSeconds: fc.constantFrom(1800, 3600, 4 * 3600, 8 * 3600, 12 * 3600, 36 * 3600, 2 * 86_400),
    handoffTime: clock,
    startDate,
    members,
  }),
);
const restriction = fc.oneof(
  fc.record({ type: fc.constant('daily' as const), from: clock, to: clock }),
  fc.record({
    type: fc.constant('weekly' as const),
    from: clock,
    to: clock,
    days: fc.tuple(fc.constantFrom('mon' as const, 'fri' as const, 'sun' as const), fc.constantFrom('tue' as const, 'sat' as const)).map(([a, b]) => [a, b]),
  }),
);

const scheduleArb = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    base: rotation,
    extra: fc.array(fc.record({ rotation, restrictions: fc.option(fc.array(restriction, { minLength: 1, maxLength: 2 }), { nil: undefined }) }), {
      maxLength: 2,
    }),
    overrides: fc.array(
      fc.record({
        startHours: fc.integer({ min: 0, max: 20 * 24 }),
        hours: fc.integer({ min: 1, max: 72 }),
        userId: fc.constantFrom('ovr-a', 'ovr-b'),
        replaces: fc.option(fc.constantFrom('ana', 'ben'), { nil: undefined }),
      }),
      { maxLength: 3 },
    ),
    windowStartHours: fc.integer({ min: 0, max: 10 * 24 }),
    windowHours: fc.integer({ min: 1, max: 14 * 24 }),
  })
  .map((r) => {
    // The window starts after every layer's first hand-off, so the base layer covers all of it.
    const anchors = [r.base, ...r.extra.map((e) => e.rotation)].map((rot) =>
      wallClockToEpoch((parseLocalDate(rot.startDate) ?? 0) + (parseClockTime(rot.handoffTime) ?? 0), r.timeZone),
    );
    const origin = Math.max(...anchors);
    const s: Schedule = parseSchedule({
      timeZone: r.timeZone,
      layers: [
        { id: 'base', name: 'Base', rotation: r.base },
        ...r.extra.map((e, i) => ({ id: `l${i}`, name: `Layer ${i}`, rotation: e.rotation, ...(e.restrictions ? { restrictions: e.restrictions } : {}) })),
      ],
      overrides: r.overrides.map((o, i) => ({
        id: `o${i}`,
        userId: o.userId,
        start: origin + o.startHours * H,
        end: origin + (o.startHours + o.hours) * H,
        ...(o.replaces ? { replacesUserId: o.replaces } : {}),
      })),
    });
    const from = origin + r.windowStartHours * H;
    return { schedule: s, from, to: from + r.windowHours * H };
  });

describe('properties', () => {
  it('(1) a schedule with an unrestricted layer is covered with no gaps and no overlaps', () => {
    fc.assert(
      fc.property(scheduleArb, ({ schedule: s, from, to }) => {
        const shifts = shiftsBetween(s, from, to);
        expect(shifts.length).toBeGreaterThan(0);
        expect((shifts[0] as Shift).start).toBeLessThanOrEqual(from);
        expect((shifts[shifts.length - 1] as Shift).end).toBeGreaterThanOrEqual(to);
        for (let i = 0; i < shifts.length; i += 1) {
          const shift = shifts[i] as Shift;
          expect(shift.end).toBeGreaterThan(shift.start);
          if (i > 0) expect(shift.start).toBe((shifts[i - 1] as Shift).end);
        }
        const problems = findCoverageProblems(s, from, to);
        expect(problems.gaps).toEqual([]);
        expect(problems.overlaps.filter((o) => o.kind === 'shifts')).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('(2) whoIsOnCall(at) agrees with the shift from shiftsBetween that contains at', () => {
    fc.assert(
      fc.property(scheduleArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ schedule: s, from, to }, fraction) => {
        const at = Math.floor(from + (to - from) * Math.min(fraction, 0.999999));
        const shift = containing(shiftsBetween(s, from, to), at);
        const result = whoIsOnCall(s, at);
        expect(result.userIds).toEqual(shift ? [shift.userId] : []);
        expect(result.explanation[0]?.shiftStart).toBe(shift?.start);
        expect(result.explanation[0]?.shiftEnd).toBe(shift?.end);
        expect(result.explanation[0]?.layerId).toBe(shift?.layerId);
        expect(result.explanation[0]?.overrideId).toBe(shift?.overrideId);
      }),
      { numRuns: 150 },
    );
  });

  it('daily and weekly hand-offs land on the local hand-off time, or on the jump when it does not exist', () => {
    fc.assert(
      fc.property(scheduleArb, ({ schedule: s, from, to }) => {
        const base = s.layers[0] as Layer;
        if (base.rotation.type === 'custom') return;
        const only: Schedule = { ...s, layers: [base], overrides: [] };
        for (const shift of shiftsBetween(only, from, to)) {
          const local = formatWallClock(shift.start, s.timeZone).slice(11);
          if (local !== base.rotation.handoffTime) {
            // Only possible when the hand-off fell into a spring-forward gap.
            const before = formatWallClock(shift.start - 1000, s.timeZone).slice(11);
            expect(before < base.rotation.handoffTime && local > base.rotation.handoffTime).toBe(true);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
