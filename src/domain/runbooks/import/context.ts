import type { Block, ParsedMarkdown } from '../parse-markdown.js';
import { sourceOf } from '../parse-markdown.js';
import { plainText } from '../parse-markdown.js';
import type { ImportedDocument, ImportReport, OutlineEntry, RunbookDraft, SectionClass } from './types.js';
import type { Section } from './sections.js';
import { trimBlank } from './sections.js';

/** State one import threads through the recognisers, and how they record what they keep as Markdown. */

export interface Ctx {
  parsed: ParsedMarkdown;
  document: ImportedDocument;
  runbooks: RunbookDraft[];
  report: ImportReport;
  slugs: Map<string, number>;
  /** Paragraphs consumed by a document-wide pass (metadata footer). */
  consumed: Set<Block>;
}

export function region(ctx: Ctx, section: Section, classifiedAs: SectionClass, from: number, to: number): OutlineEntry {
  const entry: OutlineEntry = { title: plainText(section.title), level: section.level, line: from, classifiedAs };
  const markdown = trimBlank(sourceOf(ctx.parsed, from, to));
  if (markdown !== '') entry.markdown = markdown;
  return entry;
}

/** Why a region was kept as Markdown, for the author reading the report. */
export const KEPT = {
  noSteps: 'section without steps (no code block, numbered list, task box or command) and a title that names no known section',
  container: 'introduction of a section that groups runbooks',
  noLevels: 'severity section without levels in a known layout (table rows, headings or bold leads naming P1, SEV-1 or Critical/High/…)',
  notEscalation: 'not an escalation table (condition/action, role/primary, level/who), ladder (L1/L2/…) or arrow path (A → B)',
  notRoles: 'not a role table (role + responsibilities columns), RACI table, or list of **Role**: duties items',
  notChecklist: 'not a list or task boxes',
  notReference: 'neither an alert-reference table (alert + runbook columns) nor an escalation table',
  background: 'sub-section without steps whose title is not a phase: kept as background for the responder',
  table: 'table that is neither targets, escalation nor alert references',
  code: 'code block in a language that is neither shell nor a query, and not a template',
} as const;

export function unclassified(ctx: Ctx, block: Block, where: string, into: string[], reason: string): void {
  if (block.type === 'rule' || ctx.consumed.has(block)) return;
  const markdown = trimBlank(sourceOf(ctx.parsed, block.line, block.endLine));
  if (markdown === '') return;
  into.push(markdown);
  const excerpt = markdown.split('\n')[0]!.slice(0, 80);
  ctx.report.unclassified.push({ line: block.line, endLine: block.endLine, where, excerpt, reason });
}
