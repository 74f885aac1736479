import { inlineCommandOf } from './commands.js';
import type { Block, ParsedMarkdown } from '../parse-markdown.js';

/** The document as a tree of heading sections, and text helpers the recognisers share. */

export interface Section {
  title: string;
  level: number;
  line: number;
  endLine: number;
  blocks: Block[];
  children: Section[];
}

export function buildSections(parsed: ParsedMarkdown): Section {
  const firstLine = parsed.frontMatter ? parsed.frontMatter.endLine + 1 : 1;
  const root: Section = { title: '', level: 0, line: firstLine, endLine: parsed.lines.length, blocks: [], children: [] };
  const stack: Section[] = [root];
  for (const block of parsed.blocks) {
    if (block.type === 'heading') {
      while (stack.length > 1 && stack[stack.length - 1]!.level >= block.level) {
        stack.pop()!.endLine = block.line - 1;
      }
      const section: Section = { title: block.text, level: block.level, line: block.line, endLine: parsed.lines.length, blocks: [], children: [] };
      stack[stack.length - 1]!.children.push(section);
      stack.push(section);
    } else stack[stack.length - 1]!.blocks.push(block);
  }
  return root;
}

/** End of a section's own region (before its first child heading). */
export function ownEnd(section: Section): number {
  return section.children.length > 0 ? section.children[0]!.line - 1 : section.endLine;
}

export function trimBlank(text: string): string {
  const start = text.replace(/^\s*\n/, '');
  // Cut at the first newline of the trailing whitespace (the regex /\n\s*$/ retried from every
  // newline of a long blank run: quadratic).
  const newline = start.indexOf('\n', start.trimEnd().length);
  return newline < 0 ? start : start.slice(0, newline);
}

/** `text` without its `(…)` groups: each from a `(` to the next `)` (a scan; /\([^)]*\)/g was quadratic on `((((`). */
export function withoutParenthesised(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('(', from);
    if (open < 0) break;
    const close = text.indexOf(')', open + 1);
    if (close < 0) break;
    out += text.slice(from, open);
    from = close + 1;
  }
  return out + text.slice(from);
}

/** The first `(…)` group of 1–60 characters, without its parentheses. */
export function firstShortParenthesised(text: string): string | undefined {
  let close = -1;
  for (let open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
    // Every `(` before the same `)` shares it: look for the next `)` only once it is passed.
    if (close <= open) close = text.indexOf(')', open + 1);
    if (close < 0) return undefined;
    const length = close - open - 1;
    if (length >= 1 && length <= 60) return text.slice(open + 1, close);
  }
  return undefined;
}

/** `text` without a trailing `(…)` group and the space before it (`Triage (first 5 minutes)` → `Triage`). */
export function withoutTrailingParenthesised(text: string): string {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith(')')) return text;
  const previousClose = trimmed.lastIndexOf(')', trimmed.length - 2);
  const open = trimmed.indexOf('(', previousClose + 1);
  if (open < 0 || open >= trimmed.length - 1) return text;
  return trimmed.slice(0, open).trimEnd();
}

/**
 * Something a responder does: a code block, a numbered list, a task box, a command written in
 * a list item, or any of these nested inside list items (walked with a stack, not recursion:
 * lists may nest thousands deep).
 */
export function hasActionable(blocks: Block[]): boolean {
  const stack: Block[] = [...blocks];
  while (stack.length > 0) {
    const b = stack.pop()!;
    if (b.type === 'code') return true;
    if (b.type !== 'list') continue;
    if (b.ordered) return true;
    for (const item of b.items) {
      if (item.checked !== undefined || inlineCommandOf(item.text)) return true;
      for (const child of item.children) stack.push(child);
    }
  }
  return false;
}

export function subtreeActionable(section: Section): boolean {
  return hasActionable(section.blocks) || section.children.some(subtreeActionable);
}

export function isEmptySection(section: Section): boolean {
  return section.children.length === 0 && section.blocks.every((b) => b.type === 'rule');
}

export function allBlocks(section: Section): Block[] {
  return [...section.blocks, ...section.children.flatMap(allBlocks)];
}

export function descendants(section: Section): Section[] {
  return section.children.flatMap((c) => [c, ...descendants(c)]);
}

/** Without trailing `*`, `_` and whitespace. */
export function trimEmphasisEnd(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '*' || text[end - 1] === '_' || /\s/.test(text[end - 1]!))) end--;
  return text.slice(0, end);
}
