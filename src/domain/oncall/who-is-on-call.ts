import { AppError, validation } from '../../core/errors.js';
import type { Layer, Override, Restriction, Schedule } from './schedule.js';
import {
  DAY_MS,
  epochToWallClock,
  formatWallClock,
  parseClockTime,
  parseLocalDate,
  wallClockDay,
  wallClockToEpoch,
  WEEKDAYS,
  weekdayOfDay,
} from './zoned-time.js';

/**
 * The resolved on-call timeline of a schedule. All hand-offs and restriction windows are local
 * wall-clock times in the schedule's zone, turned into instants by `wallClockToEpoch`; because
 * that mapping is monotonic, consecutive boundaries never cross and a DST change only makes the
 * shift spanning it 23 h or 25 h long (daily) — never a gap, never a double shift.
 */

/** One stretch of the final timeline: a single user, decided by one layer turn or one override. */
export interface Shift {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  userId: string;
  layerId?: string;
  layerName?: string;
  /** 0-based turn of the layer's rotation (members[turn % members.length]). */
  rotationTurn?: number;
  overrideId?: string;
  /** For overrides with `replacesUserId`: whom this stretch covers for. */
  replacedUserId?: string;
  /** Human-readable "why this person". */
  reason: string;
}

export interface OnCallExplanation {
  layerId?: string;
  layerName?: string;
  overrideId?: string;
  shiftStart: number;
  shiftEnd: number;
  reason: string;
}

export interface OnCallResult {
  userIds: string[];
  /** One entry per deciding layer turn or override; empty when nobody is on call. */
  explanation: OnCallExplanation[];
  /** One-line summary, also given when nobody is on call. */
  reason: string;
}

export interface CoverageGap {
  start: number;
  end: number;
}

export interface CoverageOverlap {
  start: number;
  end: number;
  /** `overrides`: two overrides claim the same time (the later one wins). `shifts`: the resolved
   *  timeline overlaps itself — an internal invariant breach, reported rather than hidden. */
  kind: 'overrides' | 'shifts';
  ids: string[];
  userIds: string[];
  message: string;
}

export interface CoverageProblems {
  gaps: CoverageGap[];
  overlaps: CoverageOverlap[];
}

// A year of 5-minute custom turns is ~105k boundaries; beyond this a caller asked for too much.
const MAX_TIMELINE_POINTS = 400_000;

interface Interval {
  start: number;
  end: number;
}

interface Turn extends Interval {
  turn: number;
  userId: string;
}

interface LayerTimeline {
  layer: Layer;
  turns: Turn[];
  /** Union of restriction windows, or null when the layer is unrestricted. */
  windows: Interval[] | null;
}

interface Piece extends Interval {
  key: string;
  userId: string;
  layer?: LayerTimeline;
  turn?: Turn;
  override?: Override;
  restricted: boolean;
  /** Bounds the piece can never cross: its rotation turn or its override. */
  containerStart: number;
  containerEnd: number;
}

function mustParse<T>(value: T | null, field: string): T {
  if (value === null) throw validation(field, 'is invalid (schedule was not validated)');
  return value;
}

function rotationStepMs(layer: Layer): number {
  switch (layer.rotation.type) {
    case 'daily':
      return DAY_MS;
    case 'weekly':
      return 7 * DAY_MS;
    case 'custom':
      return mustParse(layer.rotation.shiftLengthSeconds ?? null, 'rotation.shiftLengthSeconds') * 1000;
  }
}

class PointBudget {
  used = 0;
  spend(n = 1): void {
    this.used += n;
    if (this.used > MAX_TIMELINE_POINTS) {
      throw new AppError('LIMIT_EXCEEDED', 'schedule window too large: ask for a shorter time range');
    }
  }
}

/** Rotation turns of one layer overlapping [from, to), in order, empty turns dropped. */
function turnsIn(layer: Layer, timeZone: string, from: number, to: number, budget: PointBudget): Turn[] {
  const { rotation } = layer;
  const anchor =
    mustParse(parseLocalDate(rotation.startDate), 'rotation.startDate') +
    mustParse(parseClockTime(rotation.handoffTime), 'rotation.handoffTime');
  const step = rotationStepMs(layer);
  // Refuse before doing the (Intl-heavy) work, not after.
  if ((to - Math.max(from, anchor - DAY_MS)) / step > MAX_TIMELINE_POINTS) budget.spend(MAX_TIMELINE_POINTS + 1);
  const cache = new Map<number, number>();
  const boundary = (k: number): number => {
    let at = cache.get(k);
    if (at === undefined) {
      at = wallClockToEpoch(anchor + k * step, timeZone);
      cache.set(k, at);
    }
    return at;
  };
  // Estimate from the wall clock, then correct: the estimate is off by at most a turn or so
  // around a transition (the repeated hour runs the wall clock backwards).
  let k = Math.max(0, Math.floor((epochToWallClock(from, timeZone) - anchor) / step));
  while (k > 0 && boundary(k) > from) k -= 1;
  while (boundary(k + 1) <= from) k += 1;
  const turns: Turn[] = [];
  const members = rotation.members;
  for (; boundary(k) < to; k += 1) {
    budget.spend();
    const start = boundary(k);
    const end = boundary(k + 1);
    // A turn whose both ends fall into a spring-forward gap has no duration; skip it.
    if (end > start) turns.push({ start, end, turn: k, userId: members[k % members.length] as string });
  }
  return turns;
}

function restrictionWindow(r: Restriction, day: number, timeZone: string): Interval | null {
  const from = mustParse(parseClockTime(r.from), 'restrictions.from');
  const to = mustParse(parseClockTime(r.to), 'restrictions.to');
  const weekday = weekdayOfDay(day);
  let endDay: number;
  if (r.type === 'daily') {
    if (r.days && !r.days.includes(weekday)) return null;
    endDay = to > from ? day : day + 1;
  } else {
    const first = r.days?.[0];
    const last = r.days?.[r.days.length - 1];
    if (first === undefined || last === undefined || first !== weekday) return null;
    endDay = day + ((WEEKDAYS.indexOf(last) - WEEKDAYS.indexOf(first) + 7) % 7);
    if (endDay === day && to <= from) endDay += 7;
  }
  const start = wallClockToEpoch(day * DAY_MS + from, timeZone);
  const end = wallClockToEpoch(endDay * DAY_MS + to, timeZone);
  return end > start ? { start, end } : null;
}

/** Union of a layer's restriction windows overlapping [from, to), merged and sorted. */
function windowsIn(restrictions: Restriction[], timeZone: string, from: number, to: number, budget: PointBudget): Interval[] {
  // A weekly window can start up to 7 days before `from`; look 8 local days back.
  const firstDay = wallClockDay(epochToWallClock(from, timeZone)) - 8;
  const lastDay = wallClockDay(epochToWallClock(to, timeZone)) + 1;
  const raw: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day += 1) {
    for (const r of restrictions) {
      budget.spend();
      const w = restrictionWindow(r, day, timeZone);
      if (w && w.end > from && w.start < to) raw.push(w);
    }
  }
  raw.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const w of raw) {
    const prev = merged[merged.length - 1];
    if (prev && w.start <= prev.end) prev.end = Math.max(prev.end, w.end);
    else merged.push({ ...w });
  }
  return merged;
}

function findContaining<T extends Interval>(sorted: T[], at: number): T | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const item = sorted[mid] as T;
    if (at < item.start) hi = mid - 1;
    else if (at >= item.end) lo = mid + 1;
    else return item;
  }
  return undefined;
}

function layerReason(layer: Layer, turn: Turn, restricted: boolean, timeZone: string): string {
  const r = layer.rotation;
  const size = r.members.length;
  const kind = r.type === 'custom' ? `custom ${r.shiftLengthSeconds ?? 0}s` : r.type;
  const where = restricted ? ', inside its restriction window' : '';
  return (
    `layer "${layer.name}": ${kind} rotation, turn ${turn.turn + 1} → ${turn.userId} ` +
    `(member ${(turn.turn % size) + 1} of ${size}, hand-off ${r.handoffTime} ${timeZone})${where}`
  );
}

function overrideReason(o: Override, timeZone: string): string {
  const span = `${formatWallClock(o.start, timeZone)} → ${formatWallClock(o.end, timeZone)} ${timeZone}`;
  return o.replacesUserId === undefined
    ? `override ${o.id}: ${o.userId} takes over the schedule (${span})`
    : `override ${o.id}: ${o.userId} covers for ${o.replacesUserId} (${span})`;
}

/** Resolved pieces inside [from, to), clipped to the window. */
function resolve(schedule: Schedule, from: number, to: number): Piece[] {
  const budget = new PointBudget();
  const tz = schedule.timeZone;
  const timelines: LayerTimeline[] = schedule.layers.map((layer) => ({
    layer,
    turns: turnsIn(layer, tz, from, to, budget),
    windows: layer.restrictions && layer.restrictions.length > 0 ? windowsIn(layer.restrictions, tz, from, to, budget) : null,
  }));
  const overrides = schedule.overrides.filter((o) => o.end > from && o.start < to);

  const points = new Set<number>([from, to]);
  const addPoint = (at: number): void => {
    if (at > from && at < to) points.add(at);
  };
  for (const t of timelines) {
    for (const turn of t.turns) {
      addPoint(turn.start);
      addPoint(turn.end);
    }
    for (const w of t.windows ?? []) {
      addPoint(w.start);
      addPoint(w.end);
    }
  }
  for (const o of overrides) {
    addPoint(o.start);
    addPoint(o.end);
  }
  budget.spend(points.size);
  const sorted = [...points].sort((a, b) => a - b);

  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 1) {
    const start = sorted[i] as number;
    const end = sorted[i + 1] as number;
    const decided = decide(timelines, overrides, start);
    if (!decided) continue;
    const prev = pieces[pieces.length - 1];
    if (prev && prev.key === decided.key && prev.end === start) prev.end = end;
    else pieces.push({ ...decided, start, end });
  }
  return pieces;
}

function decide(timelines: LayerTimeline[], overrides: Override[], at: number): Omit<Piece, 'start' | 'end'> | null {
  let hit: { timeline: LayerTimeline; turn: Turn } | undefined;
  for (let i = timelines.length - 1; i >= 0; i -= 1) {
    const timeline = timelines[i] as LayerTimeline;
    const turn = findContaining(timeline.turns, at);
    if (!turn) continue;
    if (timeline.windows && !findContaining(timeline.windows, at)) continue;
    hit = { timeline, turn };
    break;
  }
  for (let j = overrides.length - 1; j >= 0; j -= 1) {
    const o = overrides[j] as Override;
    if (at < o.start || at >= o.end) continue;
    if (o.replacesUserId !== undefined && o.replacesUserId !== hit?.turn.userId) continue;
    return {
      key: `o:${o.id}`,
      userId: o.userId,
      override: o,
      restricted: false,
      containerStart: o.start,
      containerEnd: o.end,
    };
  }
  if (!hit) return null;
  return {
    key: `l:${hit.timeline.layer.id}:${hit.turn.turn}`,
    userId: hit.turn.userId,
    layer: hit.timeline,
    turn: hit.turn,
    restricted: hit.timeline.windows !== null,
    containerStart: hit.turn.start,
    containerEnd: hit.turn.end,
  };
}

function toShift(piece: Piece, timeZone: string): Shift {
  const shift: Shift = { start: piece.start, end: piece.end, userId: piece.userId, reason: '' };
  if (piece.override) {
    shift.overrideId = piece.override.id;
    if (piece.override.replacesUserId !== undefined) shift.replacedUserId = piece.override.replacesUserId;
    shift.reason = overrideReason(piece.override, timeZone);
  } else if (piece.layer && piece.turn) {
    shift.layerId = piece.layer.layer.id;
    shift.layerName = piece.layer.layer.name;
    shift.rotationTurn = piece.turn.turn;
    shift.reason = layerReason(piece.layer.layer, piece.turn, piece.restricted, timeZone);
  }
  return shift;
}

function assertWindow(from: number, to: number): void {
  if (!Number.isFinite(from)) throw validation('from', 'must be epoch milliseconds');
  if (!Number.isFinite(to)) throw validation('to', 'must be epoch milliseconds');
}

/**
 * The final timeline (layers, restrictions and overrides applied) of every shift overlapping
 * [from, to), sorted. Shifts keep their full extent: one that began before `from` reports its
 * real start, so ids derived from a shift's start stay stable as the window slides.
 */
export function shiftsBetween(schedule: Schedule, from: number, to: number): Shift[] {
  assertWindow(from, to);
  if (to <= from) return [];
  let pieces = resolve(schedule, from, to);
  let lo = from;
  let hi = to;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first && first.start === from) lo = Math.min(lo, first.containerStart);
  if (last && last.end === to) hi = Math.max(hi, last.containerEnd);
  // Pieces never cross their container, so one wider pass finds the true edges.
  if (lo < from || hi > to) pieces = resolve(schedule, lo, hi).filter((p) => p.end > from && p.start < to);
  return pieces.map((p) => toShift(p, schedule.timeZone));
}

/** Who is on call at `at`, and which layer turn or override decided it. */
export function whoIsOnCall(schedule: Schedule, at: number): OnCallResult {
  assertWindow(at, at);
  const shift = shiftsBetween(schedule, at, at + 1).find((s) => s.start <= at && at < s.end);
  if (!shift) {
    return {
      userIds: [],
      explanation: [],
      reason: 'nobody is on call: no layer is active at this time and no override applies',
    };
  }
  const entry: OnCallExplanation = { shiftStart: shift.start, shiftEnd: shift.end, reason: shift.reason };
  if (shift.layerId !== undefined) entry.layerId = shift.layerId;
  if (shift.layerName !== undefined) entry.layerName = shift.layerName;
  if (shift.overrideId !== undefined) entry.overrideId = shift.overrideId;
  return { userIds: [shift.userId], explanation: [entry], reason: `${shift.userId} is on call: ${shift.reason}` };
}

/**
 * Warnings for [from, to): gaps where nobody is on call, and overlaps where two overrides claim
 * the same time. Stacked layers are not overlaps: hiding a lower layer is what precedence is for.
 */
export function findCoverageProblems(schedule: Schedule, from: number, to: number): CoverageProblems {
  assertWindow(from, to);
  const gaps: CoverageGap[] = [];
  const overlaps: CoverageOverlap[] = [];
  if (to <= from) return { gaps, overlaps };

  let cursor = from;
  let previous: Shift | undefined;
  for (const shift of shiftsBetween(schedule, from, to)) {
    const start = Math.max(shift.start, from);
    const end = Math.min(shift.end, to);
    if (start > cursor) gaps.push({ start: cursor, end: start });
    if (previous && start < cursor) {
      overlaps.push({
        start,
        end: Math.min(cursor, end),
        kind: 'shifts',
        ids: [previous.layerId ?? previous.overrideId ?? '', shift.layerId ?? shift.overrideId ?? ''],
        userIds: [previous.userId, shift.userId],
        message: 'resolved shifts overlap (internal error; please report)',
      });
    }
    cursor = Math.max(cursor, end);
    previous = shift;
  }
  if (cursor < to) gaps.push({ start: cursor, end: to });

  const inWindow = schedule.overrides
    .map((o, index) => ({ o, index }))
    .filter(({ o }) => o.end > from && o.start < to);
  for (let i = 0; i < inWindow.length; i += 1) {
    for (let j = i + 1; j < inWindow.length; j += 1) {
      const a = (inWindow[i] as { o: Override }).o;
      const b = (inWindow[j] as { o: Override }).o;
      const start = Math.max(a.start, b.start, from);
      const end = Math.min(a.end, b.end, to);
      if (end <= start) continue;
      // Overrides replacing different specific users never apply at the same instant.
      if (a.replacesUserId !== undefined && b.replacesUserId !== undefined && a.replacesUserId !== b.replacesUserId) continue;
      overlaps.push({
        start,
        end,
        kind: 'overrides',
        ids: [a.id, b.id],
        userIds: [a.userId, b.userId],
        message: `overrides ${a.id} (${a.userId}) and ${b.id} (${b.userId}) overlap; ${b.id} wins because it is listed later`,
      });
    }
  }
  return { gaps, overlaps };
}
