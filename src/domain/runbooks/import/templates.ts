import type { Block, CodeBlock, ListBlock } from '../parse-markdown.js';
import { checkboxOf, plainText, sourceOf } from '../parse-markdown.js';
import { findPlaceholders } from '../placeholders.js';
import type { Ctx } from './context.js';
import { KEPT, unclassified } from './context.js';
import type { Section } from './sections.js';
import { descendants, ownEnd, trimBlank, withoutTrailingParenthesised } from './sections.js';
import { timeboxOf } from './targets.js';
import type { ChecklistItem, DocumentTemplate, Checklist } from './types.js';
import { isTemplateTitle, templateKindOf } from './vocabulary.js';

/** Communication / post-mortem templates and checklists. */

export function checklistItemsOf(block: Block): ChecklistItem[] | undefined {
  if (block.type === 'list') {
    const items: ChecklistItem[] = [];
    for (const item of block.items) {
      const nested = item.children.filter((c): c is ListBlock => c.type === 'list');
      if (nested.length > 0) {
        for (const list of nested) {
          for (const sub of list.items) items.push({ text: plainText(sub.text), checked: sub.checked ?? false, group: plainText(item.text) });
        }
      } else items.push({ text: plainText(item.text), checked: item.checked ?? false });
    }
    return items;
  }
  if (block.type === 'code') {
    const lines = block.text.split('\n').filter((l) => l.trim() !== '');
    const boxes = lines.map((l) => checkboxOf(l.trim().replace(/^[-*]\s+/, '')));
    if (lines.length > 0 && boxes.every((b) => b !== undefined)) {
      return boxes.map((b) => ({ text: b!.rest.trim(), checked: b!.checked }));
    }
  }
  return undefined;
}

export function addTemplate(ctx: Ctx, t: Omit<DocumentTemplate, 'placeholders'>): void {
  const placeholders = findPlaceholders(t.markdown, 'text').map((p) => p.raw);
  ctx.document.templates.push({ ...t, placeholders });
}

/** A "Templates" section: each leaf section is one template (its only code block, else its Markdown). */
export function readTemplatesSection(ctx: Ctx, section: Section): void {
  const doc = ctx.document;
  const sections = [section, ...descendants(section)];
  const leaves = section.children.length > 0 ? sections.slice(1) : [section];
  for (const s of leaves) {
    const codes = s.blocks.filter((b): b is CodeBlock => b.type === 'code');
    const markdown = codes.length === 1 ? codes[0]!.text : trimBlank(sourceOf(ctx.parsed, s.line + 1, ownEnd(s)));
    if (markdown.trim() === '') continue;
    addTemplate(ctx, { kind: templateKindOf(s.title), title: plainText(s.title), markdown, line: s.line });
  }
  return;
}

/** A "Checklists" section: each (sub)section with list items or task boxes is one checklist. */
export function readChecklistsSection(ctx: Ctx, section: Section): void {
  const doc = ctx.document;
  const sections = [section, ...descendants(section)];
  for (const s of sections) {
    // "Post-Mortem Template" under "Afterwards": a template, not a checklist.
    if (s !== section && isTemplateTitle(s.title)) {
      const codes = s.blocks.filter((b): b is CodeBlock => b.type === 'code');
      const markdown = codes.length === 1 ? codes[0]!.text : trimBlank(sourceOf(ctx.parsed, s.line + 1, ownEnd(s)));
      if (markdown.trim() !== '') addTemplate(ctx, { kind: templateKindOf(s.title), title: plainText(s.title), markdown, line: s.line });
      continue;
    }
    const items: ChecklistItem[] = [];
    for (const block of s.blocks) {
      const found = checklistItemsOf(block);
      if (found) items.push(...found);
      else if (block.type !== 'paragraph') unclassified(ctx, block, 'document', doc.unclassifiedMarkdown, KEPT.notChecklist);
    }
    if (items.length === 0) continue;
    const checklist: Checklist = { title: withoutTrailingParenthesised(plainText(s.title)), items, line: s.line };
    const timebox = timeboxOf(s.title);
    if (timebox) checklist.timebox = timebox;
    doc.checklists.push(checklist);
  }
  return;
}
