import type { Schedule } from './schedule.js';
import { shiftsBetween, type Shift } from './who-is-on-call.js';

/**
 * What a schedule's timeline view draws for [from, to): each layer on its own (its rotation
 * inside its restriction windows, as if it were the only layer), the overrides, and the final
 * result with its gaps. Bars are clipped to the window; `final` keeps each shift's reason so the
 * view can say why a bar is who it is.
 */

export interface TimelineBar {
  /** Epoch ms, inclusive, clipped to the window. */
  start: number;
  /** Epoch ms, exclusive, clipped to the window. */
  end: number;
  userId: string;
}

export interface FinalBar extends TimelineBar {
  layerId?: string;
  overrideId?: string;
  reason: string;
}

export interface ScheduleTimeline {
  from: number;
  to: number;
  layers: { id: string; name: string; bars: TimelineBar[] }[];
  overrides: (TimelineBar & { id: string; replacesUserId?: string })[];
  final: FinalBar[];
  gaps: { start: number; end: number }[];
}

const clip = (from: number, to: number) => (s: { start: number; end: number }) => ({ start: Math.max(s.start, from), end: Math.min(s.end, to) });

export function scheduleTimeline(schedule: Schedule, from: number, to: number): ScheduleTimeline {
  const window = clip(from, to);
  const layers = schedule.layers.map((layer) => ({
    id: layer.id,
    name: layer.name,
    bars: shiftsBetween({ timeZone: schedule.timeZone, layers: [layer], overrides: [] }, from, to).map((s) => ({ ...window(s), userId: s.userId })),
  }));
  const overrides = schedule.overrides
    .filter((o) => o.end > from && o.start < to)
    .map((o) => ({ id: o.id, ...window(o), userId: o.userId, ...(o.replacesUserId !== undefined ? { replacesUserId: o.replacesUserId } : {}) }));
  const final: FinalBar[] = shiftsBetween(schedule, from, to).map((s: Shift) => ({
    ...window(s),
    userId: s.userId,
    ...(s.layerId !== undefined ? { layerId: s.layerId } : {}),
    ...(s.overrideId !== undefined ? { overrideId: s.overrideId } : {}),
    reason: s.reason,
  }));
  const gaps: { start: number; end: number }[] = [];
  let cursor = from;
  for (const bar of final) {
    if (bar.start > cursor) gaps.push({ start: cursor, end: bar.start });
    cursor = Math.max(cursor, bar.end);
  }
  if (cursor < to) gaps.push({ start: cursor, end: to });
  return { from, to, layers, overrides, final, gaps };
}
