import type { RunbookTargets } from './targets.js';

/**
 * Where an incident stands against a runbook's targets. Pure: the incident's moments and `now`
 * are passed in. Targets are measured from detection (the alert's start, or the declaration),
 * because that is when users started to hurt.
 */
export type TargetKind = 'acknowledge' | 'mitigate' | 'resolve';
export type TargetState = 'met' | 'missed' | 'pending';

export interface TargetEvaluation {
  kind: TargetKind;
  targetSeconds: number;
  /** Epoch ms the target falls due. */
  dueAt: number;
  /** Epoch ms the moment happened, or null while it has not. */
  reachedAt: number | null;
  /** Seconds from detection to the moment (or to `now` while pending). */
  elapsedSeconds: number;
  /** `missed` also while still open once the due time has passed. */
  state: TargetState;
}

export interface IncidentMoments {
  detectedAt: number;
  acknowledgedAt: number | null;
  mitigatedAt: number | null;
  resolvedAt: number | null;
}

const ORDER: [TargetKind, keyof RunbookTargets, keyof IncidentMoments][] = [
  ['acknowledge', 'acknowledgeSeconds', 'acknowledgedAt'],
  ['mitigate', 'mitigateSeconds', 'mitigatedAt'],
  ['resolve', 'resolveSeconds', 'resolvedAt'],
];

export function evaluateTargets(targets: RunbookTargets, moments: IncidentMoments, now: number): TargetEvaluation[] {
  const out: TargetEvaluation[] = [];
  for (const [kind, targetKey, momentKey] of ORDER) {
    const seconds = targets[targetKey];
    if (seconds === undefined) continue;
    const dueAt = moments.detectedAt + seconds * 1000;
    const reachedAt = moments[momentKey] as number | null;
    const end = reachedAt ?? now;
    const elapsedSeconds = Math.max(0, Math.round((end - moments.detectedAt) / 1000));
    const state: TargetState = reachedAt !== null ? (reachedAt <= dueAt ? 'met' : 'missed') : now > dueAt ? 'missed' : 'pending';
    out.push({ kind, targetSeconds: seconds, dueAt, reachedAt, elapsedSeconds, state });
  }
  return out;
}
