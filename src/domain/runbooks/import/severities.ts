import { plainText } from '../parse-markdown.js';
import type { SeverityScheme } from '../severity-scheme.js';
import { normaliseSeverityId, severitySchemeFromParagraphs, severitySchemeFromSections, severitySchemeFromTable } from '../severity-scheme.js';
import type { Ctx } from './context.js';
import { KEPT, unclassified } from './context.js';
import type { Section } from './sections.js';
import { allBlocks, descendants } from './sections.js';

/** Severity levels: a level named in a heading, and the document's severity section. */

export function severityInTitle(title: string): string | undefined {
  const m = /\b(P[0-5]|SEV[-\s]?[0-5])\b/i.exec(plainText(title));
  return m ? normaliseSeverityId(m[1]!) : undefined;
}

/** A "Severity levels" section: a table, or one sub-section (or bold paragraph) per level. */
export function readSeveritySection(ctx: Ctx, section: Section): void {
  const doc = ctx.document;
  const sections = [section, ...descendants(section)];
  for (const s of sections) {
    for (const block of s.blocks) {
      if (block.type === 'table') {
        const scheme = severitySchemeFromTable(block);
        if (scheme && !doc.severityScheme) {
          doc.severityScheme = scheme;
          continue;
        }
      }
      if (block.type === 'list' && /type/i.test(s.title)) {
        for (const item of block.items) {
          const m = /^\*\*([^*]{1,80})\*\*\s*:?\s*(.*)$/s.exec(item.text);
          if (m) doc.incidentTypes.push({ name: m[1]!.replace(/:$/, '').trim(), description: plainText(m[2] ?? '') });
        }
        continue;
      }
    }
  }
  if (!doc.severityScheme) {
    const scheme = severitySchemeOfSection(section);
    if (scheme) doc.severityScheme = scheme;
  }
  if (!doc.severityScheme) {
    for (const block of allBlocks(section)) unclassified(ctx, block, 'document', doc.unclassifiedMarkdown, KEPT.noLevels);
  }
  return;
}

/**
 * The levels a section describes, in any of the layouts: a table, a (sub)heading per level with
 * field bullets or `**Label**: value` lines, or a bold lead per level in paragraphs or bullets.
 */
export function severitySchemeOfSection(section: Section): SeverityScheme | undefined {
  for (const block of allBlocks(section)) {
    if (block.type !== 'table') continue;
    const scheme = severitySchemeFromTable(block);
    if (scheme) return scheme;
  }
  const byHeading = severitySchemeFromSections(descendants(section).map((c) => ({ title: c.title, blocks: allBlocks(c) })));
  return byHeading ?? severitySchemeFromParagraphs(allBlocks(section));
}
