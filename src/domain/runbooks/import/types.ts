import type { LintWarning } from '../lint-runbook.js';
import type { SeverityScheme } from '../severity-scheme.js';
import type { RunbookTargets } from '../targets.js';

/** The shapes an import produces: runbook drafts, the document's other structures, the report. */

export type PhaseKind =
  | 'symptoms' | 'detection' | 'immediate' | 'investigation' | 'causes' | 'escalation' | 'mitigation'
  | 'recovery' | 'communication' | 'verification' | 'post-incident' | 'procedure';

export type StepKind = 'command' | 'check' | 'instruction';

export interface RunbookStep {
  kind: StepKind;
  /** What the responder reads: the command's comment, the list item, the instruction. */
  text: string;
  command?: string;
  language?: string;
  dangerous: boolean;
  /** The document's own warning, else the heuristic reason. */
  dangerReason?: string;
  /** True when the document itself warns (lint flags dangerous steps without a warning). */
  warned?: boolean;
  placeholders: string[];
  /** Sub-heading inside the phase, e.g. "Single Node Failure (Worker)" — often alternatives. */
  group?: string;
  /** List item or lead-in the step belongs to, e.g. "Initial assessment". */
  lead?: string;
  /** What the output should look like ("Should be <0.1%"). */
  expect?: string;
  /** The document makes it conditional ("if needed", "If …"). */
  optional?: boolean;
  /** The step belongs to one of several alternative paths (RunbookDraft.alternatives[set].options[option]). */
  path?: { set: number; option: number };
}

/** Sibling procedures a responder chooses between; only the chosen one counts in progress. */
export interface AlternativePaths {
  title: string;
  options: string[];
  line: number;
}

export interface RunbookPhase {
  kind: PhaseKind;
  title: string;
  /** Time box from the heading, e.g. "(0-15 minutes)". */
  timebox?: { minSeconds?: number; maxSeconds?: number };
  steps: RunbookStep[];
  /** Paragraphs and context kept as Markdown (e.g. "**Impact**: …"). */
  notes: string[];
}

export interface AlertMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface RunbookDraft {
  slug: string;
  title: string;
  /** Ancestor headings below the document title, e.g. ["Performance Issues"]. */
  path: string[];
  summary: string;
  phases: RunbookPhase[];
  targets: RunbookTargets;
  matchers: AlertMatcher[];
  severity?: string;
  service?: string;
  owner?: string;
  reviewIntervalDays?: number;
  /** ISO date of the last review, when the document says. */
  reviewedAt?: string;
  /** Links to related runbooks ("**See**: [..](..)"). */
  related: string[];
  /** Alternative paths; steps name theirs in `path`. Absent when the runbook offers none. */
  alternatives?: AlternativePaths[];
  unclassifiedMarkdown: string[];
  /** The runbook's section verbatim. */
  sourceMarkdown: string;
  line: number;
}

export type TemplateKind = 'communication' | 'status-update' | 'postmortem' | 'handoff' | 'timeline';

export interface DocumentTemplate {
  kind: TemplateKind;
  title: string;
  markdown: string;
  placeholders: string[];
  line: number;
  runbookSlug?: string;
}

export interface ChecklistItem {
  text: string;
  checked: boolean;
  group?: string;
}

export interface Checklist {
  title: string;
  timebox?: { minSeconds?: number; maxSeconds?: number };
  items: ChecklistItem[];
  line: number;
}

export interface EscalationRule {
  condition: string;
  actions: string[];
  severity?: string;
  line: number;
}

/** One level of an escalation path: "L2 — team lead, if not acknowledged within 10 minutes". */
export interface EscalationLevel {
  level: string;
  who: string;
  /** Seconds after the incident opens (0 = at once); undefined when the document gives none. */
  afterSeconds?: number;
  /** What must still be true for this level to be paged. */
  condition?: 'unacknowledged' | 'unresolved';
  /** "critical only", "SEV-1 only": the document limits the level. */
  note?: string;
}

export interface EscalationPath {
  stages: string[];
  line: number;
  /** Present when the path was written as levels (L1/L2/L3 lists or tables). */
  levels?: EscalationLevel[];
}

export interface EscalationPolicy {
  rules: EscalationRule[];
  paths: EscalationPath[];
  roles: { role: string; primary?: string; secondary?: string; contact?: string }[];
}

export type SectionClass =
  | 'runbook' | 'container' | 'title' | 'preamble' | 'navigation' | 'overview' | 'severity-scheme' | 'templates'
  | 'escalation' | 'roles' | 'checklists' | 'reference' | 'unclassified';

/** An incident role the document describes (roles.ts): "Incident Commander (IC)", its duties. */
export interface DocumentRole {
  name: string;
  description?: string;
  line: number;
}

export interface OutlineEntry {
  title: string;
  level: number;
  line: number;
  classifiedAs: SectionClass;
  runbookSlug?: string;
  /** The region's Markdown, for everything that is not a runbook (runbooks keep their own). */
  markdown?: string;
}

export interface ImportedDocument {
  title: string;
  sourceName: string;
  summary?: string;
  frontMatter?: Record<string, unknown>;
  severityScheme?: SeverityScheme;
  escalation?: EscalationPolicy;
  /** Roles from a section about roles; on-call roles of contact tables are under `escalation.roles`. */
  incidentRoles?: DocumentRole[];
  templates: DocumentTemplate[];
  checklists: Checklist[];
  incidentTypes: { name: string; description: string }[];
  alertReferences: { alert: string; section: string; runbookSlug?: string }[];
  owner?: string;
  reviewIntervalDays?: number;
  reviewedAt?: string;
  outline: OutlineEntry[];
  unclassifiedMarkdown: string[];
}

export interface ImportReport {
  sourceName: string;
  importedAt: string;
  lines: number;
  recognised: {
    runbooks: number; phases: number; steps: number; commandSteps: number; checkSteps: number;
    instructionSteps: number; dangerousSteps: number; placeholders: number; matchers: number;
    runbooksWithTargets: number; severityLevels: number; escalationRules: number; escalationPaths: number;
    onCallRoles: number; templates: number; checklists: number; alertReferences: number; incidentTypes: number;
    /** Roles a roles section describes (roles.ts); contact-table roles are `onCallRoles`. */
    incidentRoles: number;
  };
  /** Regions kept as Markdown, with why, so an author can fix the document. */
  unclassified: { line: number; endLine: number; where: string; excerpt: string; reason: string }[];
  /** Every heading section and what it was recognised as (runbook, severity-scheme, …), by line. */
  sections: { line: number; level: number; title: string; classifiedAs: SectionClass; runbookSlug?: string }[];
  warnings: { code: string; message: string; line?: number }[];
  lint: { runbook: string; warnings: LintWarning[] }[];
}

export interface ImportResult {
  document: ImportedDocument;
  runbooks: RunbookDraft[];
  report: ImportReport;
}

export interface ImportOptions {
  sourceName: string;
  /** Milliseconds since the epoch (from a Clock). */
  now: number;
}
