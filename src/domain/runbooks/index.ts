export type {
  AlertMatcher,
  Checklist,
  ChecklistItem,
  DocumentTemplate,
  EscalationPolicy,
  EscalationRule,
  ImportedDocument,
  ImportOptions,
  ImportReport,
  ImportResult,
  OutlineEntry,
  PhaseKind,
  RunbookDraft,
  RunbookPhase,
  RunbookStep,
  SectionClass,
  StepKind,
  TemplateKind,
} from './import-runbooks.js';
export { importRunbookDocument, phaseKindOf } from './import-runbooks.js';
export type { LintCode, LintWarning } from './lint-runbook.js';
export { lintRunbook } from './lint-runbook.js';
export type {
  Block,
  CodeBlock,
  FrontMatter,
  HeadingBlock,
  ListBlock,
  ListItem,
  ParagraphBlock,
  ParsedMarkdown,
  ParseWarning,
  TableBlock,
} from './parse-markdown.js';
export { MARKDOWN_LIMITS, normaliseSource, parseMarkdown, plainText } from './parse-markdown.js';
export type { FillResult, Placeholder, PlaceholderContext, PlaceholderStyle } from './placeholders.js';
export { fillPlaceholders, findPlaceholders, placeholderKey } from './placeholders.js';
export type { SeverityLevel, SeverityScheme } from './severity-scheme.js';
export { normaliseSeverityId, severitySchemeFromSections, severitySchemeFromTable } from './severity-scheme.js';
export { destructiveReason, splitShellBlock } from './shell.js';
export type { DurationRange, RunbookTargets } from './targets.js';
export { extractTargets, formatSeconds, parseDuration, parseReviewIntervalDays, targetSeconds } from './targets.js';
export { approveRunnerJob } from './approve-runner-job.js';
export { attachMatchingRunbooks, attachRunbook, attachRunbookInTx } from './attach-runbook.js';
export { changeStepState } from './change-step-state.js';
export { chooseRunPath } from './choose-run-path.js';
export { claimRunnerJob, registerRunner, type ClaimedJob } from './claim-runner-job.js';
export type { AllowRule, ParsedCommand, PolicyDecision } from './command-policy.js';
export { checkCommand, parseAllowRule, parseCommand } from './command-policy.js';
export { drillReport, type DrillReport } from './drill-report.js';
export { evaluateTargets, type TargetEvaluation } from './evaluate-targets.js';
export { getRunbook, type RunbookDetailView } from './get-runbook.js';
export { importRunbooks, MANAGED_BY_DIRECTORY, type ImportOutcome } from './import-runbooks-verb.js';
export { lintRunbookSource } from './lint-runbook-source.js';
export { listRunbookRuns } from './list-runbook-runs.js';
export { listRunbooks } from './list-runbooks.js';
export { listRunnerJobs } from './list-runner-jobs.js';
export { createRunner, listRunners, updateRunner } from './manage-runners.js';
export { matchRunbook, namesInRunbookUrl } from './match-runbooks.js';
export { appendJobOutput, finishRunnerJob } from './report-runner-job.js';
export { requestStepExecution } from './request-step-execution.js';
export { runbookIncidentHook } from './runbook-hook.js';
export type { RunbookSummaryView } from './runbook-records.js';
export { RUNNER_LIMITS, type RunnerJobView, type RunnerView } from './runner-records.js';
export type { PhaseView, RunView, StepView } from './run-view.js';
export { scoreDrill, type DrillScore } from './score-drill.js';
export { startDrill } from './start-drill.js';
export { STEP_ACTIONS, STEP_STATES, type StepAction, type StepState } from './step-state.js';
export { setRunValues } from './set-run-values.js';
export { applyImportPlan, type ApplyPlanResult } from './plan/apply-import-plan.js';
export { exportImportPlanYaml, planRunbookImport, type ProcessPlanView } from './plan/process-plan.js';
export type { FieldChange, PlaceholderView, PlanAction, PlanEntry } from './plan/types.js';
