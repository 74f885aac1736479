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
}

const seconds = (from: number, to: number | null): number | null => (to === null ? null : Math.max(0, Math.round((to - from) / 1000)));

function judge(targetSeconds: number | null, detectedAt: number, reachedAt: number | null, now: number): TargetResult {
  const actualSeconds = seconds(detectedAt, reachedAt);
  if (targetSeconds === null) return { targetSeconds, actualSeconds, met: null, outcome: 'notApplicable' };
  if (actualSeconds !== null) {
    const met = actualSeconds <= targetSeconds;
    return { targetSeconds, actualSeconds, met, outcome: met ? 'met' : 'missed' };
  }
  const overdue = now - detectedAt > targetSeconds * 1000;
  return { targetSeconds, actualSeconds, met: overdue ? false : null, outcome: overdue ? 'missed' : 'pending' };
}

export function evaluateIncidentTargets(moments: TargetMoments, targets: SeverityTargets, now: number): IncidentTargets {
  const resolve = judge(targets.resolveTargetSeconds, moments.detectedAt, moments.resolvedAt, now);
  let ack = judge(targets.ackTargetSeconds, moments.detectedAt, moments.acknowledgedAt, now);
  // Resolved without anyone acknowledging: missed only if the acknowledge target fell due first.
  if (moments.acknowledgedAt === null && moments.resolvedAt !== null && targets.ackTargetSeconds !== null) {
    const dueBeforeResolve = moments.resolvedAt - moments.detectedAt > targets.ackTargetSeconds * 1000;
    ack = { targetSeconds: targets.ackTargetSeconds, actualSeconds: null, met: dueBeforeResolve ? false : null, outcome: dueBeforeResolve ? 'missed' : 'notApplicable' };
  }
  return { ack, resolve };
}
