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

export function unclassified(ctx: Ctx, block: Block, where: string, into: string[]): void {
  if (block.type === 'rule' || ctx.consumed.has(block)) return;
  const markdown = trimBlank(sourceOf(ctx.parsed, block.line, block.endLine));
  if (markdown === '') return;
  into.push(markdown);
  const excerpt = markdown.split('\n')[0]!.slice(0, 80);
  ctx.report.unclassified.push({ line: block.line, endLine: block.endLine, where, excerpt });
}
