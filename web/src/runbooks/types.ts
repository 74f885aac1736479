/** Shapes of the runbook API (src/domain/runbooks), as the browser sees them. */
export type StepState = 'pending' | 'started' | 'done' | 'skipped' | 'failed';
export type StepAction = 'start' | 'done' | 'skip' | 'fail';

export interface RunStep {
  index: number;
  kind: 'command' | 'check' | 'instruction';
  text: string;
  command: string | null;
  rawCommand: string | null;
  language: string | null;
  dangerous: boolean;
  dangerReason: string | null;
  group: string | null;
  lead: string | null;
  expect: string | null;
  optional: boolean;
  placeholders: { filled: string[]; missing: string[]; rejected: string[] };
  state: StepState;
  by: string | null;
  at: string | null;
  reason: string | null;
  job: { id: string; status: string; exitCode: number | null } | null;
  path: { set: number; option: number } | null;
  /** False on a path not taken: shown, not counted in progress. */
  counted: boolean;
}

export interface PathChoice {
  set: number;
  title: string;
  options: string[];
  chosen: number | null;
  counted: number;
}

export interface RunPhase {
  kind: string;
  title: string;
  timebox: { minSeconds?: number; maxSeconds?: number } | null;
  notes: string[];
  steps: RunStep[];
}

export interface TargetEvaluation {
  kind: 'acknowledge' | 'mitigate' | 'resolve';
  targetSeconds: number;
  dueAt: number;
  reachedAt: number | null;
  elapsedSeconds: number;
  state: 'met' | 'missed' | 'pending';
}

export interface Run {
  id: string;
  incidentId: string;
  isDrill: boolean;
  runbook: { id: string; slug: string; title: string; currentVersion: number };
  version: { id: string; number: number };
  reason: string;
  attachedBy: string;
  startedAt: string;
  progress: { total: number; pending: number; started: number; done: number; skipped: number; failed: number; percent: number };
  phases: RunPhase[];
  paths: PathChoice[];
  /** Secret ones read `********`. */
  values: Record<string, string>;
  /** Keys of the values that are masked. */
  secretValues?: string[];
  missing: string[];
  targets: TargetEvaluation[];
  targetsResult: TargetEvaluation[] | null;
  drillParticipants: string[];
}

export interface RunnerJob {
  id: string;
  runId: string;
  step: number;
  command: string;
  dangerous: boolean;
  status: string;
  requestedBy: string;
  approvedBy: string | null;
  exitCode: number | null;
  output: string;
  outputTruncated: boolean;
  reason: string | null;
}

export interface RunbookSummary {
  id: string;
  slug: string;
  title: string;
  summary: string;
  service: string | null;
  severity: string | null;
  owner: string | null;
  reviewIntervalDays: number | null;
  lastReviewed: string | null;
  reviewOverdue: boolean;
  version: number;
  sourcePath: string | null;
  updatedAt: string;
}

export interface RunbookDetail extends RunbookSummary {
  matchers: { kind: string; name: string; op: string; value: string }[];
  versions: { id: string; version: number; createdBy: string; createdAt: string }[];
  shown: { id: string; version: number; createdBy: string; createdAt: string; sourceMarkdown: string; structure: RunbookStructure };
  lint: { code: string; message: string }[];
  incidents: { id: string; number: number; title: string; status: string; isDrill: boolean; version: number; attachedAt: string; reason: string }[];
}

/** `POST /api/v1/runbooks/import`: the import report and what became of each runbook. */
export interface ImportOutcome {
  dryRun: boolean;
  report: {
    sourceName: string;
    lines: number;
    recognised: {
      runbooks: number; phases: number; steps: number; commandSteps: number; checkSteps: number;
      instructionSteps: number; dangerousSteps: number; placeholders: number; matchers: number;
      runbooksWithTargets: number; severityLevels: number; escalationRules: number; escalationPaths: number;
      onCallRoles: number; templates: number; checklists: number; alertReferences: number; incidentTypes: number;
    };
    unclassified: { line: number; endLine: number; where: string; excerpt: string; reason?: string }[];
    sections?: { line: number; level: number; title: string; classifiedAs: string; runbookSlug?: string }[];
    warnings: { code: string; message: string; line?: number }[];
    lint: { runbook: string; warnings: { code: string; message: string }[] }[];
  };
  runbooks: { slug: string; title: string; action: 'created' | 'updated' | 'unchanged' | 'managed-elsewhere'; version: number; id: string | null; message?: string }[];
}

/** A runbook version as the importer understood it (src/domain/runbooks/import/types.ts RunbookDraft). */
export interface RunbookStructure {
  summary: string;
  targets: { acknowledgeSeconds?: number; mitigateSeconds?: number; resolveSeconds?: number };
  phases: {
    kind: string;
    title: string;
    timebox?: { minSeconds?: number; maxSeconds?: number };
    notes: string[];
    steps: {
      kind: 'command' | 'check' | 'instruction';
      text: string;
      command?: string;
      language?: string;
      dangerous: boolean;
      dangerReason?: string;
      warned?: boolean;
      placeholders: string[];
      group?: string;
      lead?: string;
      expect?: string;
      optional?: boolean;
      path?: { set: number; option: number };
    }[];
  }[];
  alternatives?: { title: string; options: string[]; line: number }[];
  unclassifiedMarkdown: string[];
}
