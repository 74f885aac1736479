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
