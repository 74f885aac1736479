/** Shapes of the runbook API (src/domain/runbooks), as the browser sees them. */
import type { components } from '../api/schema.js';

type View = components['schemas'];

/** Runs and runner jobs: generated from the server's views (src/http/views/runbooks.ts). */
export type Run = View['RunbookRun'];
export type RunPhase = View['RunPhase'];
export type RunStep = View['RunStep'];
export type PathChoice = View['PathChoice'];
export type TargetEvaluation = View['TargetEvaluation'];
export type RunnerJob = View['RunnerJob'];
export type StepState = RunStep['state'];
export type StepAction = 'start' | 'done' | 'skip' | 'fail';

/*
 * Not yet described by the server (no response schema on GET /runbooks, GET /runbooks/{runbook}
 * and POST /runbooks/import): still written by hand below.
 */
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
      onCallRoles: number; templates: number; checklists: number; alertReferences: number; incidentTypes: number; incidentRoles?: number;
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
