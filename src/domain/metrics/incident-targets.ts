/**
 * One incident against its severity's acknowledge and resolve targets. Pure: the moments and
 * `now` are passed in. Measured from detection, like runbook targets, because that is when
 * users started to hurt.
 */
export type TargetOutcome = 'met' | 'missed' | 'pending' | 'notApplicable';

export interface TargetResult {
  targetSeconds: number | null;
  /** Seconds from detection to the moment; null while it has not happened (or never will). */
  actualSeconds: number | null;
  /** true met, false missed, null pending or not applicable. */
  met: boolean | null;
  outcome: TargetOutcome;
}

export interface IncidentTargets {
  ack: TargetResult;
  resolve: TargetResult;
}

export interface TargetMoments {
  detectedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
}

export interface SeverityTargets {
  ackTargetSeconds: number | null;
  resolveTargetSeconds: number | null;
  /** The targets count business hours only (Monday–Friday 09:00–17:00 UTC): "next business day". */
  businessHours?: boolean | undefined;
}

const DAY_MS = 86_400_000;
const OPEN_MS = 9 * 3_600_000;
const CLOSE_MS = 17 * 3_600_000;

/** Milliseconds of Monday–Friday 09:00–17:00 UTC between two instants. */
export function businessMsBetween(from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const start = Math.max(from, day + OPEN_MS);
    const end = Math.min(to, day + CLOSE_MS);
    if (end > start) total += end - start;
  }
  return total;
}

type Elapsed = (from: number, to: number) => number;
const wallClock: Elapsed = (from, to) => to - from;

function judge(targetSeconds: number | null, detectedAt: number, reachedAt: number | null, now: number, elapsed: Elapsed): TargetResult {
  const actualSeconds = reachedAt === null ? null : Math.max(0, Math.round(elapsed(detectedAt, reachedAt) / 1000));
  if (targetSeconds === null) return { targetSeconds, actualSeconds, met: null, outcome: 'notApplicable' };
  if (actualSeconds !== null) {
    const met = actualSeconds <= targetSeconds;
    return { targetSeconds, actualSeconds, met, outcome: met ? 'met' : 'missed' };
  }
  const overdue = elapsed(detectedAt, now) > targetSeconds * 1000;
  return { targetSeconds, actualSeconds, met: overdue ? false : null, outcome: overdue ? 'missed' : 'pending' };
}

/**
 * Just the two outcomes of {@link evaluateIncidentTargets}, without its objects: a year's
 * report evaluates hundreds of thousands of incidents and keeps only these.
 */
export function targetOutcomes(moments: TargetMoments, targets: SeverityTargets, now: number): { ack: TargetOutcome; resolve: TargetOutcome } {
  const elapsed = targets.businessHours ? businessMsBetween : wallClock;
  scratch.resolve = outcome(targets.resolveTargetSeconds, moments.detectedAt, moments.resolvedAt, now, elapsed);
  if (moments.acknowledgedAt === null && moments.resolvedAt !== null && targets.ackTargetSeconds !== null) {
    scratch.ack = elapsed(moments.detectedAt, moments.resolvedAt) > targets.ackTargetSeconds * 1000 ? 'missed' : 'notApplicable';
  } else scratch.ack = outcome(targets.ackTargetSeconds, moments.detectedAt, moments.acknowledgedAt, now, elapsed);
  return scratch;
}
const scratch: { ack: TargetOutcome; resolve: TargetOutcome } = { ack: 'notApplicable', resolve: 'notApplicable' };

function outcome(targetSeconds: number | null, detectedAt: number, reachedAt: number | null, now: number, elapsed: Elapsed): TargetOutcome {
  if (targetSeconds === null) return 'notApplicable';
  if (reachedAt !== null) return Math.max(0, Math.round(elapsed(detectedAt, reachedAt) / 1000)) <= targetSeconds ? 'met' : 'missed';
  return elapsed(detectedAt, now) > targetSeconds * 1000 ? 'missed' : 'pending';
}

export function evaluateIncidentTargets(moments: TargetMoments, targets: SeverityTargets, now: number): IncidentTargets {
  const elapsed = targets.businessHours ? businessMsBetween : wallClock;
  const resolve = judge(targets.resolveTargetSeconds, moments.detectedAt, moments.resolvedAt, now, elapsed);
  let ack = judge(targets.ackTargetSeconds, moments.detectedAt, moments.acknowledgedAt, now, elapsed);
  // Resolved without anyone acknowledging: missed only if the acknowledge target fell due first.
  if (moments.acknowledgedAt === null && moments.resolvedAt !== null && targets.ackTargetSeconds !== null) {
    const dueBeforeResolve = elapsed(moments.detectedAt, moments.resolvedAt) > targets.ackTargetSeconds * 1000;
    ack = { targetSeconds: targets.ackTargetSeconds, actualSeconds: null, met: dueBeforeResolve ? false : null, outcome: dueBeforeResolve ? 'missed' : 'notApplicable' };
  }
  return { ack, resolve };
}
