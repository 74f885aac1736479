import { evaluateTargets, type IncidentMoments, type TargetEvaluation } from './evaluate-targets.js';
import type { RunbookDraft } from './import-runbooks.js';
import { flattenSteps } from './runbook-records.js';

/**
 * How a drill went against its runbook. Pure: step states and incident moments are passed in.
 * Steps are timed from the drill's start (detection); a phase with a time box ("(0-15
 * minutes)") marks its steps finished after the box as late.
 */
export interface StepScore {
  index: number;
  phase: string;
  text: string;
  state: string;
  by: string | null;
  /** Seconds from the drill's start to the step's last change. */
  atSeconds: number | null;
  /** Seconds from start to done, when it was started first. */
  durationSeconds: number | null;
  timeboxSeconds: number | null;
  late: boolean;
}

export interface DrillScore {
  timeToAcknowledgeSeconds: number | null;
  timeToMitigateSeconds: number | null;
  timeToResolveSeconds: number | null;
  targets: TargetEvaluation[];
  steps: StepScore[];
  summary: { targetsMet: number; targetsMissed: number; targetsPending: number; done: number; skipped: number; failed: number; pending: number; late: number };
}

export interface StepRecord {
  stepIndex: number;
  state: string;
  by: string;
  at: number;
  startedAt: number | null;
}

export function scoreDrill(draft: RunbookDraft, records: readonly StepRecord[], moments: IncidentMoments, now: number): DrillScore {
  const since = (at: number | null) => (at === null ? null : Math.max(0, Math.round((at - moments.detectedAt) / 1000)));
  const targets = evaluateTargets(draft.targets, moments, now);
  const summary = { targetsMet: 0, targetsMissed: 0, targetsPending: 0, done: 0, skipped: 0, failed: 0, pending: 0, late: 0 };
  for (const t of targets) {
    if (t.state === 'met') summary.targetsMet++;
    else if (t.state === 'missed') summary.targetsMissed++;
    else summary.targetsPending++;
  }
  const steps = flattenSteps(draft).map(({ index, phase, step }) => {
    const record = records.find((r) => r.stepIndex === index);
    const state = record?.state ?? 'pending';
    const atSeconds = record && state !== 'started' ? since(record.at) : null;
    const timeboxSeconds = phase.timebox?.maxSeconds ?? null;
    const late = timeboxSeconds !== null && atSeconds !== null && atSeconds > timeboxSeconds;
    if (state === 'done') summary.done++;
    else if (state === 'skipped') summary.skipped++;
    else if (state === 'failed') summary.failed++;
    else summary.pending++;
    if (late) summary.late++;
    return {
      index,
      phase: phase.title,
      text: step.text.split('\n')[0]!,
      state,
      by: record?.by ?? null,
      atSeconds,
      durationSeconds: record && record.startedAt !== null && state !== 'started' ? Math.round((record.at - record.startedAt) / 1000) : null,
      timeboxSeconds,
      late,
    };
  });
  return {
    timeToAcknowledgeSeconds: since(moments.acknowledgedAt),
    timeToMitigateSeconds: since(moments.mitigatedAt),
    timeToResolveSeconds: since(moments.resolvedAt),
    targets,
    steps,
    summary,
  };
}
