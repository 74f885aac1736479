import { z } from 'zod';
import { isoTime, itemsOf, view } from './registry.js';

/** The runbook library, its import report and the process plan of a document (domain/runbooks, domain/runbooks/plan). */
const PhaseKind = z.enum(['symptoms', 'detection', 'immediate', 'investigation', 'causes', 'escalation', 'mitigation', 'recovery', 'communication', 'verification', 'post-incident', 'procedure']);
const Timebox = z.object({ minSeconds: z.number().optional(), maxSeconds: z.number().optional() });

export const RunbookLint = view('RunbookLint', z.object({
  code: z.enum(['no-steps', 'no-verification', 'no-target', 'no-matchers', 'review-overdue', 'no-review', 'dangerous-without-warning', 'empty-phase']),
  message: z.string(),
  /** Index of the phase (and step) the warning is about. */
  phase: z.number().optional(),
  step: z.number().optional(),
}));

export const RunbookSummary = view('RunbookSummary', z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  service: z.string().nullable(),
  severity: z.string().nullable(),
  owner: z.string().nullable(),
  reviewIntervalDays: z.number().nullable(),
  /** `YYYY-MM-DD` of the last review, when the document says. */
  lastReviewed: z.string().nullable(),
  /** The review date plus the interval has passed. */
  reviewOverdue: z.boolean(),
  version: z.number(),
  managedBy: z.string().nullable(),
  sourcePath: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
}));
export const RunbookSummaryList = itemsOf(RunbookSummary);

/** A runbook version as the importer read it (domain/runbooks/import/types.ts RunbookDraft). */
export const RunbookStructure = view('RunbookStructure', z.object({
  slug: z.string(),
  title: z.string(),
  /** Ancestor headings below the document title. */
  path: z.array(z.string()),
  summary: z.string(),
  phases: z.array(z.object({
    kind: PhaseKind,
    title: z.string(),
    timebox: Timebox.optional(),
    steps: z.array(z.object({
      kind: z.enum(['command', 'check', 'instruction']),
      text: z.string(),
      command: z.string().optional(),
      language: z.string().optional(),
      dangerous: z.boolean(),
      dangerReason: z.string().optional(),
      /** The document itself warns. */
      warned: z.boolean().optional(),
      placeholders: z.array(z.string()),
      group: z.string().optional(),
      lead: z.string().optional(),
      expect: z.string().optional(),
      optional: z.boolean().optional(),
      /** The alternative path (`alternatives[set].options[option]`) the step belongs to. */
      path: z.object({ set: z.number(), option: z.number() }).optional(),
    })),
    notes: z.array(z.string()),
  })),
  targets: z.object({ acknowledgeSeconds: z.number().optional(), mitigateSeconds: z.number().optional(), resolveSeconds: z.number().optional() }),
  matchers: z.array(z.object({ name: z.string(), op: z.enum(['=', '!=', '=~', '!~']), value: z.string() })),
  severity: z.string().optional(),
  service: z.string().optional(),
  owner: z.string().optional(),
  reviewIntervalDays: z.number().optional(),
  reviewedAt: z.string().optional(),
  related: z.array(z.string()),
  alternatives: z.array(z.object({ title: z.string(), options: z.array(z.string()), line: z.number() })).optional(),
  unclassifiedMarkdown: z.array(z.string()),
  sourceMarkdown: z.string(),
  line: z.number(),
}));

const RunbookVersion = z.object({ id: z.string(), version: z.number(), createdBy: z.string(), createdAt: isoTime });

export const RunbookDetail = view('RunbookDetail', RunbookSummary.extend({
  matchers: z.array(z.object({ kind: z.enum(['label', 'service', 'severity', 'runbook_url']), name: z.string(), op: z.enum(['=', '!=', '=~', '!~']), value: z.string() })),
  versions: z.array(RunbookVersion),
  /** The version shown (the current one unless asked). */
  shown: RunbookVersion.extend({ sourceMarkdown: z.string(), structure: RunbookStructure }),
  lint: z.array(RunbookLint),
  incidents: z.array(z.object({ id: z.string(), number: z.number(), title: z.string(), status: z.string(), isDrill: z.boolean(), version: z.number(), attachedAt: isoTime, reason: z.string() })),
}));

const count = z.number();

/** What an import recognised, kept as Markdown and warned about (domain/runbooks/import/types.ts ImportReport). */
export const ImportReport = view('ImportReport', z.object({
  sourceName: z.string(),
  importedAt: isoTime,
  lines: z.number(),
  recognised: z.object({
    runbooks: count, phases: count, steps: count, commandSteps: count, checkSteps: count,
    instructionSteps: count, dangerousSteps: count, placeholders: count, matchers: count,
    runbooksWithTargets: count, severityLevels: count, escalationRules: count, escalationPaths: count,
    onCallRoles: count, templates: count, checklists: count, alertReferences: count, incidentTypes: count, incidentRoles: count,
  }),
  /** Regions kept as Markdown, with why. */
  unclassified: z.array(z.object({ line: z.number(), endLine: z.number(), where: z.string(), excerpt: z.string(), reason: z.string() })),
  /** Every heading section and what it was recognised as, by line. */
  sections: z.array(z.object({
    line: z.number(),
    level: z.number(),
    title: z.string(),
    classifiedAs: z.enum(['runbook', 'container', 'title', 'preamble', 'navigation', 'overview', 'severity-scheme', 'templates', 'escalation', 'checklists', 'roles', 'reference', 'unclassified']),
    runbookSlug: z.string().optional(),
  })),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), line: z.number().optional() })),
  lint: z.array(z.object({ runbook: z.string(), warnings: z.array(RunbookLint) })),
}));

export const ImportOutcome = view('ImportOutcome', z.object({
  dryRun: z.boolean(),
  report: ImportReport,
  runbooks: z.array(z.object({
    slug: z.string(),
    title: z.string(),
    action: z.enum(['created', 'updated', 'unchanged', 'managed-elsewhere']),
    version: z.number(),
    /** Null on a dry run of a new runbook. */
    id: z.string().nullable(),
    message: z.string().optional(),
  })),
}));

/** One object of a document's process plan, compared with the database. */
export const PlanEntry = view('PlanEntry', z.object({
  /** `severities`, `checklist:<slug>`, …: what `select` names. */
  id: z.string(),
  kind: z.enum(['severities', 'escalation-policy', 'checklist', 'update-template', 'postmortem-template', 'incident-role']),
  title: z.string(),
  action: z.enum(['add', 'change', 'unchanged', 'blocked']),
  /** Why blocked (the object belongs to firebreak.yaml). */
  reason: z.string().optional(),
  changes: z.array(z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
  /** Placeholders this object pages, mapped or not. */
  placeholders: z.array(z.string()),
  line: z.number().optional(),
  notes: z.array(z.string()),
}));

export const ProcessPlan = view('ProcessPlan', z.object({
  sourceName: z.string(),
  documentKey: z.string(),
  entries: z.array(PlanEntry),
  /** People the document names, to map to a user, team or schedule before applying. */
  placeholders: z.array(z.object({
    name: z.string(),
    /** `team:platform`, `user:ana@example.com`, `schedule:Primary`; null while unmapped. */
    mappedTo: z.string().nullable(),
    usedBy: z.array(z.string()),
    suggestedType: z.enum(['user', 'team', 'schedule']),
  })),
  notes: z.array(z.string()),
  summary: z.object({ add: z.number(), change: z.number(), unchanged: z.number(), blocked: z.number() }),
}));

export const AppliedPlan = view('AppliedPlan', z.object({
  applied: z.array(z.string()),
  changes: z.array(z.string()),
  /** The plan after applying: what was applied now shows as unchanged. */
  plan: ProcessPlan,
}));
