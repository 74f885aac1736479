import { describe, expect, it } from 'vitest';
import { parseSchedule } from './schedule.js';
import { scheduleTimeline } from './timeline.js';

const H = 3_600_000;
const T0 = Date.parse('2026-03-02T00:00:00Z'); // a Monday

describe('scheduleTimeline', () => {
  const schedule = parseSchedule({
    timeZone: 'UTC',
    layers: [
      { id: 'base', name: 'Base', rotation: { type: 'daily', handoffTime: '00:00', startDate: '2026-03-03', members: ['ann', 'bob'] } },
      { id: 'day', name: 'Office', rotation: { type: 'daily', handoffTime: '00:00', startDate: '2026-03-02', members: ['cat'] }, restrictions: [{ type: 'daily', from: '09:00', to: '17:00' }] },
    ],
    overrides: [{ id: 'o1', userId: 'dan', start: T0 + 36 * H, end: T0 + 40 * H, replacesUserId: 'bob' }],
  });
  const t = scheduleTimeline(schedule, T0, T0 + 72 * H);

  it('draws each layer on its own, clipped to the window', () => {
    expect(t.layers.map((l) => l.id)).toEqual(['base', 'day']);
    expect(t.layers[0]!.bars).toEqual([
      { start: T0 + 24 * H, end: T0 + 48 * H, userId: 'ann' },
      { start: T0 + 48 * H, end: T0 + 72 * H, userId: 'bob' },
    ]);
    expect(t.layers[1]!.bars.map((b) => [(b.start - T0) / H, (b.end - T0) / H, b.userId])).toEqual([[9, 17, 'cat'], [33, 41, 'cat'], [57, 65, 'cat']]);
  });

  it('gives the final result with the deciding layer or override, and the gaps', () => {
    const final = t.final.map((b) => [(b.start - T0) / H, (b.end - T0) / H, b.userId, b.layerId ?? b.overrideId]);
    expect(final).toEqual([
      [9, 17, 'cat', 'day'],
      [24, 33, 'ann', 'base'],
      [33, 41, 'cat', 'day'],
      [41, 48, 'ann', 'base'],
      [48, 57, 'bob', 'base'],
      [57, 65, 'cat', 'day'],
      [65, 72, 'bob', 'base'],
    ]);
    // Dan covers for Bob only; Bob is not on call then (Cat and Ann are), so the override changes nothing.
    expect(t.overrides).toEqual([{ id: 'o1', start: T0 + 36 * H, end: T0 + 40 * H, userId: 'dan', replacesUserId: 'bob' }]);
    expect(t.gaps).toEqual([{ start: T0, end: T0 + 9 * H }, { start: T0 + 17 * H, end: T0 + 24 * H }]);
    expect(t.final[0]!.reason).toContain('layer "Office"');
  });

  it('a covering override shows in the final result', () => {
    const covered = parseSchedule({ ...schedule, overrides: [{ id: 'o2', userId: 'dan', start: T0 + 50 * H, end: T0 + 52 * H, replacesUserId: 'bob' }] });
    const final = scheduleTimeline(covered, T0 + 48 * H, T0 + 56 * H).final.map((b) => [(b.start - T0) / H, (b.end - T0) / H, b.userId]);
    expect(final).toEqual([[48, 50, 'bob'], [50, 52, 'dan'], [52, 56, 'bob']]);
  });
});
