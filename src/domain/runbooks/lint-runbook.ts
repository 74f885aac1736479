import type { RunbookDraft } from './import-runbooks.js';

/**
 * Lint warnings for a runbook: things that make it weaker in an incident, not errors. A runbook
 * without a verification step lets a responder declare victory on hope; one without a target
 * cannot tell anyone they are late; one past its review date may describe a system that no
 * longer exists.
 */

export type LintCode =
  | 'no-steps'
  | 'no-verification'
  | 'no-target'
  | 'no-matchers'
  | 'review-overdue'
  | 'no-review'
  | 'dangerous-without-warning'
  | 'empty-phase';

export interface LintWarning {
  code: LintCode;
  message: string;
  /** Index of the phase (and step) the warning is about. */
  phase?: number;
  step?: number;
}

const DAY_MS = 86_400_000;

export function lintRunbook(runbook: RunbookDraft, options: { now: number }): LintWarning[] {
  const warnings: LintWarning[] = [];
  const steps = runbook.phases.flatMap((p) => p.steps);
  if (steps.length === 0) warnings.push({ code: 'no-steps', message: 'the runbook has no steps to follow' });
  const verifies =
    runbook.phases.some((p) => p.kind === 'verification' && p.steps.length > 0) ||
    steps.some((s) => /^(verify|confirm|validate|check that|ensure)\b/i.test(s.text.replace(/^[#*\s\d.:]*(step\s*\d+\s*:\s*)?/i, '')));
  if (steps.length > 0 && !verifies) {
    warnings.push({ code: 'no-verification', message: 'no step verifies that the fix worked' });
  }
  const t = runbook.targets;
  if (t.acknowledgeSeconds === undefined && t.mitigateSeconds === undefined && t.resolveSeconds === undefined) {
    warnings.push({ code: 'no-target', message: 'no acknowledge, mitigate or resolve target; add one in front matter (targets:)' });
  }
  if (runbook.matchers.length === 0) {
    warnings.push({ code: 'no-matchers', message: 'no alert matchers: the runbook will not be suggested for incoming alerts' });
  }
  if (runbook.reviewIntervalDays === undefined) {
    warnings.push({ code: 'no-review', message: 'no review interval; add review_interval to front matter' });
  } else if (runbook.reviewedAt === undefined) {
    warnings.push({ code: 'review-overdue', message: 'never reviewed: no reviewed date is known' });
  } else {
    const due = Date.parse(`${runbook.reviewedAt}T00:00:00Z`) + runbook.reviewIntervalDays * DAY_MS;
    if (Number.isFinite(due) && options.now > due) {
      const days = Math.floor((options.now - due) / DAY_MS);
      warnings.push({ code: 'review-overdue', message: `review was due ${new Date(due).toISOString().slice(0, 10)} (${days} days ago)` });
    }
  }
  runbook.phases.forEach((phase, p) => {
    if (phase.steps.length === 0 && phase.notes.length === 0) {
      warnings.push({ code: 'empty-phase', message: `phase "${phase.title}" is empty`, phase: p });
    }
    phase.steps.forEach((step, s) => {
      if (step.dangerous && !step.warned) {
        warnings.push({
          code: 'dangerous-without-warning',
          message: `step "${step.text.split('\n')[0]}" ${step.dangerReason ?? 'is destructive'} but the runbook gives no warning`,
          phase: p,
          step: s,
        });
      }
    });
  });
  return warnings;
}
