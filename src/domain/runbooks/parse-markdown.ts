import { parse as parseYaml } from 'yaml';
import { AppError } from '../../core/errors.js';

/**
 * A small, bounded, line-based Markdown block parser. It only finds the block structure the
 * runbook importer needs (front matter, headings, fenced code, lists, tables, blockquotes,
 * paragraphs); inline Markdown stays as text. It never produces HTML: HTML in the input is
 * ordinary text, so nothing imported can execute in a browser unless a renderer chooses to.
 *
 * Every matcher here is either a hand-written scan or an anchored regex without ambiguous
 * adjacent quantifiers, so run time stays linear in the input (no catastrophic backtracking).
 */

export const MARKDOWN_LIMITS = {
  /** Runbooks are hand-written documents; 2 MB is far beyond any real one. */
  maxBytes: 2 * 1024 * 1024,
  /** Deeper list nesting is kept as plain text in the deepest item instead of recursing. */
  maxDepth: 16,
  maxFrontMatterBytes: 64 * 1024,
} as const;

export interface SourceLine {
  /** 1-based line number in the normalised document. */
  no: number;
  text: string;
}

interface BlockBase {
  /** First and last source line (1-based, inclusive). */
  line: number;
  endLine: number;
}

export interface HeadingBlock extends BlockBase {
  type: 'heading';
  level: number;
  text: string;
}

export interface CodeBlock extends BlockBase {
  type: 'code';
  /** First word of the info string, lower-cased; '' when none. */
  language: string;
  info: string;
  text: string;
  closed: boolean;
}

export interface ListItem {
  line: number;
  /** Text of the item's first paragraph (continuation lines joined with '\n'). */
  text: string;
  /** `true`/`false` for `- [x]`/`- [ ]` (and `□`/`☐`/`☑` glyphs); undefined otherwise. */
  checked?: boolean;
  /** The number of an ordered item. */
  number?: number;
  /** Everything after the first paragraph: nested lists, code, further paragraphs. */
  children: Block[];
}

export interface ListBlock extends BlockBase {
  type: 'list';
  ordered: boolean;
  items: ListItem[];
}

export interface TableBlock extends BlockBase {
  type: 'table';
  header: string[];
  rows: string[][];
}

export interface ParagraphBlock extends BlockBase {
  type: 'paragraph';
  text: string;
}

export interface BlockquoteBlock extends BlockBase {
  type: 'blockquote';
  text: string;
}

export interface RuleBlock extends BlockBase {
  type: 'rule';
}

export type Block =
  | HeadingBlock
  | CodeBlock
  | ListBlock
  | TableBlock
  | ParagraphBlock
  | BlockquoteBlock
  | RuleBlock;

export interface FrontMatter {
  raw: string;
  data: Record<string, unknown>;
  /** Line of the closing delimiter. */
  endLine: number;
}

export interface ParseWarning {
  code: 'depth-limit' | 'unclosed-fence';
  line: number;
  message: string;
}

export interface ParsedMarkdown {
  frontMatter?: FrontMatter;
  blocks: Block[];
  /** The normalised source, split into lines (index 0 is line 1). */
  lines: string[];
  warnings: ParseWarning[];
}

/** CRLF/CR to LF and no BOM: everything downstream (and the tests) sees the same text. */
export function normaliseSource(markdown: string): string {
  const noBom = markdown.charCodeAt(0) === 0xfeff ? markdown.slice(1) : markdown;
  return noBom.replace(/\r\n?/g, '\n');
}

export function parseMarkdown(markdown: unknown): ParsedMarkdown {
  if (typeof markdown !== 'string') {
    throw new AppError('VALIDATION', 'markdown: must be a string', {
      issues: [{ field: 'markdown', message: 'must be a string' }],
    });
  }
  // Length in UTF-16 units is a lower bound of UTF-8 bytes, so the cheap check goes first.
  if (markdown.length > MARKDOWN_LIMITS.maxBytes || utf8Length(markdown) > MARKDOWN_LIMITS.maxBytes) {
    const message = `document is larger than ${MARKDOWN_LIMITS.maxBytes} bytes`;
    throw new AppError('VALIDATION', `markdown: ${message}`, {
      issues: [{ field: 'markdown', message }],
    });
  }
  const lines = normaliseSource(markdown).split('\n');
  const warnings: ParseWarning[] = [];
  let start = 0;
  const frontMatter = readFrontMatter(lines);
  if (frontMatter) start = frontMatter.endLine;
  const source: SourceLine[] = [];
  for (let i = start; i < lines.length; i++) source.push({ no: i + 1, text: lines[i] ?? '' });
  const blocks = parseBlocks(source, 0, warnings);
  return frontMatter ? { frontMatter, blocks, lines, warnings } : { blocks, lines, warnings };
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function readFrontMatter(lines: string[]): FrontMatter | undefined {
  if (lines[0]?.trimEnd() !== '---') return undefined;
  let size = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    size += line.length + 1;
    if (size > MARKDOWN_LIMITS.maxFrontMatterBytes) {
      throw new AppError('VALIDATION', 'frontMatter: front matter is larger than 64 KB', {
        issues: [{ field: 'frontMatter', message: 'front matter is larger than 64 KB' }],
      });
    }
    const trimmed = line.trimEnd();
    if (trimmed === '---' || trimmed === '...') {
      const raw = lines.slice(1, i).join('\n');
      return { raw, data: parseFrontMatterYaml(raw), endLine: i + 1 };
    }
  }
  // No closing delimiter: a leading `---` is then just a thematic break.
  return undefined;
}

function parseFrontMatterYaml(raw: string): Record<string, unknown> {
  let data: unknown;
  try {
    // Alias expansion is capped so a "billion laughs" document cannot blow up memory.
    data = parseYaml(raw, { maxAliasCount: 50, prettyErrors: false });
  } catch (error) {
    const message = `front matter is not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : 'parse error'})`;
    throw new AppError('VALIDATION', `frontMatter: ${message}`, {
      issues: [{ field: 'frontMatter', message }],
      cause: error,
    });
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new AppError('VALIDATION', 'frontMatter: front matter must be a YAML mapping', {
      issues: [{ field: 'frontMatter', message: 'must be a YAML mapping' }],
    });
  }
  return data as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Line classifiers (hand-written scans, linear time).

function leadingSpaces(text: string): number {
  let n = 0;
  while (n < text.length && (text[n] === ' ' || text[n] === '\t')) n += text[n] === '\t' ? 4 - (n % 4) : 1;
  return n;
}

function stripIndent(text: string, count: number): string {
  let i = 0;
  let removed = 0;
  while (i < text.length && removed < count && (text[i] === ' ' || text[i] === '\t')) {
    removed += text[i] === '\t' ? 4 : 1;
    i++;
  }
  return text.slice(i);
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

function heading(text: string): { level: number; text: string } | undefined {
  if (leadingSpaces(text) > 3) return undefined;
  const t = text.trimStart();
  let level = 0;
  while (level < t.length && t[level] === '#') level++;
  if (level < 1 || level > 6) return undefined;
  if (level < t.length && t[level] !== ' ' && t[level] !== '\t') return undefined;
  let body = t.slice(level).trim();
  // Optional closing sequence: `## Title ##`.
  let end = body.length;
  while (end > 0 && body[end - 1] === '#') end--;
  if (end === 0) body = '';
  else if (end < body.length && (body[end - 1] === ' ' || body[end - 1] === '\t')) body = body.slice(0, end).trim();
  return { level, text: body };
}

function fenceOpen(text: string): { char: string; count: number; info: string } | undefined {
  if (leadingSpaces(text) > 3) return undefined;
  const t = text.trimStart();
  const char = t[0];
  if (char !== '`' && char !== '~') return undefined;
  let count = 0;
  while (count < t.length && t[count] === char) count++;
  if (count < 3) return undefined;
  const info = t.slice(count).trim();
  if (char === '`' && info.includes('`')) return undefined;
  return { char, count, info };
}

function isFenceClose(text: string, char: string, count: number): boolean {
  if (leadingSpaces(text) > 3) return false;
  const t = text.trim();
  if (t.length < count) return false;
  for (let i = 0; i < t.length; i++) if (t[i] !== char) return false;
  return true;
}

function isRule(text: string): boolean {
  if (leadingSpaces(text) > 3) return false;
  // Runs on every line: a scan, no copy of the line without its spaces.
  let c: string | undefined;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t') continue;
    if (c === undefined) {
      if (ch !== '-' && ch !== '*' && ch !== '_') return false;
      c = ch;
    } else if (ch !== c) return false;
    count++;
  }
  return count >= 3;
}

interface ItemStart {
  indent: number;
  ordered: boolean;
  number?: number;
  /** Column where the item's content starts. */
  contentIndent: number;
  content: string;
}

function listItemStart(text: string): ItemStart | undefined {
  const indent = leadingSpaces(text);
  const t = text.trimStart();
  let i = 0;
  let ordered = false;
  let number: number | undefined;
  if (t[0] === '-' || t[0] === '*' || t[0] === '+') {
    i = 1;
  } else {
    while (i < t.length && i < 9 && t[i]! >= '0' && t[i]! <= '9') i++;
    if (i === 0 || (t[i] !== '.' && t[i] !== ')')) return undefined;
    ordered = true;
    number = Number(t.slice(0, i));
    i++;
  }
  if (i < t.length && t[i] !== ' ' && t[i] !== '\t') return undefined;
  let spaces = 0;
  while (i + spaces < t.length && (t[i + spaces] === ' ' || t[i + spaces] === '\t')) spaces++;
  const content = t.slice(i + spaces);
  // Five or more spaces after the marker would make indented code; treat as one space.
  const gap = content === '' || spaces > 4 ? 1 : spaces;
  const start: ItemStart = { indent, ordered, contentIndent: indent + i + gap, content };
  if (number !== undefined) start.number = number;
  return start;
}

function splitTableRow(text: string): string[] {
  let t = text.trim();
  if (t.startsWith('|')) t = t.slice(1);
  if (t.endsWith('|') && !t.endsWith('\\|')) t = t.slice(0, -1);
  const cells: string[] = [];
  let current = '';
  let inCode = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === '\\' && t[i + 1] === '|') {
      current += '|';
      i++;
    } else if (c === '`') {
      inCode = !inCode;
      current += c;
    } else if (c === '|' && !inCode) {
      cells.push(current.trim());
      current = '';
    } else current += c;
  }
  cells.push(current.trim());
  return cells;
}

function isTableDelimiter(text: string): boolean {
  if (!text.includes('-')) return false;
  const cells = splitTableRow(text);
  if (cells.length === 0) return false;
  return cells.every((cell) => /^:?-+:?$/.test(cell));
}

function isTableStart(lines: SourceLine[], i: number): boolean {
  const head = lines[i]?.text ?? '';
  const next = lines[i + 1]?.text;
  return head.includes('|') && next !== undefined && isTableDelimiter(next) && leadingSpaces(head) <= 3;
}

function isBlockquote(text: string): boolean {
  return leadingSpaces(text) <= 3 && text.trimStart().startsWith('>');
}

/** Checkbox prefix of an item: `[ ]`, `[x]` or one of the glyphs authors type instead. */
export function checkboxOf(text: string): { checked: boolean; rest: string } | undefined {
  const m = /^\[([ xX])\](?:\s+|$)/.exec(text);
  if (m) return { checked: m[1] !== ' ', rest: text.slice(m[0].length) };
  const glyph = text[0];
  if (glyph === '□' || glyph === '☐' || glyph === '☑' || glyph === '☒' || glyph === '✅') {
    return { checked: glyph !== '□' && glyph !== '☐', rest: text.slice(1).trimStart() };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Block parsing.

function startsBlock(lines: SourceLine[], i: number): boolean {
  const text = lines[i]!.text;
  return (
    heading(text) !== undefined ||
    fenceOpen(text) !== undefined ||
    isRule(text) ||
    isBlockquote(text) ||
    (listItemStart(text) !== undefined && leadingSpaces(text) <= 3) ||
    isTableStart(lines, i)
  );
}

function parseBlocks(lines: SourceLine[], depth: number, warnings: ParseWarning[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const text = line.text;
    if (isBlank(text)) {
      i++;
      continue;
    }
    const h = heading(text);
    if (h) {
      blocks.push({ type: 'heading', level: h.level, text: h.text, line: line.no, endLine: line.no });
      i++;
      continue;
    }
    const fence = fenceOpen(text);
    if (fence) {
      const indent = leadingSpaces(text);
      const body: string[] = [];
      let j = i + 1;
      let closed = false;
      for (; j < lines.length; j++) {
        if (isFenceClose(lines[j]!.text, fence.char, fence.count)) {
          closed = true;
          break;
        }
        body.push(stripIndent(lines[j]!.text, indent));
      }
      const endIndex = closed ? j : lines.length - 1;
      if (!closed) {
        warnings.push({ code: 'unclosed-fence', line: line.no, message: 'code block is never closed; it runs to the end' });
      }
      blocks.push({
        type: 'code',
        language: (fence.info.split(/\s/)[0] ?? '').toLowerCase(),
        info: fence.info,
        text: body.join('\n'),
        closed,
        line: line.no,
        endLine: lines[endIndex]!.no,
      });
      i = endIndex + 1;
      continue;
    }
    if (isRule(text) && listItemStart(text) === undefined) {
      blocks.push({ type: 'rule', line: line.no, endLine: line.no });
      i++;
      continue;
    }
    if (isTableStart(lines, i)) {
      const header = splitTableRow(text);
      const rows: string[][] = [];
      let j = i + 2;
      while (j < lines.length && !isBlank(lines[j]!.text) && lines[j]!.text.includes('|')) {
        rows.push(splitTableRow(lines[j]!.text));
        j++;
      }
      blocks.push({ type: 'table', header, rows, line: line.no, endLine: lines[j - 1]!.no });
      i = j;
      continue;
    }
    if (isBlockquote(text)) {
      // Quotes are kept as flat text: nested `> > >` markers are all removed, no recursion.
      const body: string[] = [];
      let j = i;
      while (j < lines.length && isBlockquote(lines[j]!.text)) {
        body.push(lines[j]!.text.replace(/^[\s>]+/, ''));
        j++;
      }
      blocks.push({ type: 'blockquote', text: body.join('\n'), line: line.no, endLine: lines[j - 1]!.no });
      i = j;
      continue;
    }
    const item = listItemStart(text);
    if (item && item.indent <= 3) {
      i = parseList(lines, i, depth, warnings, blocks);
      continue;
    }
    // Paragraph: runs until a blank line or the start of another block.
    const body: string[] = [text.trim()];
    let j = i + 1;
    while (j < lines.length && !isBlank(lines[j]!.text) && !startsBlock(lines, j)) {
      body.push(lines[j]!.text.trim());
      j++;
    }
    blocks.push({ type: 'paragraph', text: body.join('\n'), line: line.no, endLine: lines[j - 1]!.no });
    i = j;
  }
  return blocks;
}

function parseList(
  lines: SourceLine[],
  start: number,
  depth: number,
  warnings: ParseWarning[],
  out: Block[],
): number {
  const first = listItemStart(lines[start]!.text)!;
  const list: ListBlock = { type: 'list', ordered: first.ordered, items: [], line: lines[start]!.no, endLine: lines[start]!.no };
  let i = start;
  while (i < lines.length) {
    const marker = listItemStart(lines[i]!.text);
    if (!marker || marker.ordered !== first.ordered || marker.indent > 3) break;
    // The item owns following lines that are blank or indented to its content column, plus
    // "lazy" paragraph continuation lines directly after its text.
    const body: SourceLine[] = [{ no: lines[i]!.no, text: marker.content }];
    let j = i + 1;
    let lastNonBlank = i;
    let lazyAllowed = marker.content !== '';
    while (j < lines.length) {
      const t = lines[j]!.text;
      if (isBlank(t)) {
        body.push({ no: lines[j]!.no, text: '' });
        lazyAllowed = false;
        j++;
        continue;
      }
      if (leadingSpaces(t) >= marker.contentIndent) {
        body.push({ no: lines[j]!.no, text: stripIndent(t, marker.contentIndent) });
        lastNonBlank = j;
        j++;
        continue;
      }
      if (lazyAllowed && !startsBlock(lines, j)) {
        body.push({ no: lines[j]!.no, text: t.trim() });
        lastNonBlank = j;
        j++;
        continue;
      }
      break;
    }
    // Trailing blank lines belong to whatever follows, not to this item.
    while (body.length > 1 && body[body.length - 1]!.text === '') body.pop();
    list.items.push(buildItem(body, marker, depth, warnings));
    list.endLine = lines[lastNonBlank]!.no;
    i = lastNonBlank + 1;
    while (i < lines.length && isBlank(lines[i]!.text)) i++;
    const next = i < lines.length ? listItemStart(lines[i]!.text) : undefined;
    if (!next || next.ordered !== first.ordered || next.indent > 3) {
      i = lastNonBlank + 1;
      break;
    }
  }
  out.push(list);
  return i;
}

function buildItem(body: SourceLine[], marker: ItemStart, depth: number, warnings: ParseWarning[]): ListItem {
  const line = body[0]!.no;
  const item: ListItem = { line, text: '', children: [] };
  if (marker.number !== undefined) item.number = marker.number;
  if (depth + 1 >= MARKDOWN_LIMITS.maxDepth) {
    // Too deep to keep recursing: keep the whole rest as text, nothing is lost.
    warnings.push({ code: 'depth-limit', line, message: `list nesting deeper than ${MARKDOWN_LIMITS.maxDepth} levels kept as text` });
    item.text = body.map((l) => l.text).join('\n').trim();
    return item;
  }
  const first = body[0]!.text;
  const box = checkboxOf(first);
  // The item's own text is its first paragraph, unless the first line opens another block
  // (`- - x`, `1. ```bash`): then the item is all children.
  const children = parseBlocks(body, depth + 1, warnings);
  const lead = children[0];
  if (lead && lead.type === 'paragraph' && lead.line === line) {
    item.text = lead.text;
    children.shift();
  }
  if (box) {
    const b = checkboxOf(item.text);
    if (b) {
      item.checked = b.checked;
      item.text = b.rest;
    }
  }
  item.children = children;
  return item;
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the importer.

/** Inline Markdown to plain text: emphasis, code ticks and link targets removed. */
export function plainText(inline: string): string {
  return linkTextOnly(inline)
    .replace(/\*\*|__/g, '')
    .replace(/`/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/**
 * `[text](target)` and `![alt](src)` become `text`/`alt` (no `]` or newline inside the brackets,
 * no `)` or newline inside the parentheses). A hand scan instead of the regex
 * `!?\[([^\]\n]*)\]\([^)\n]*\)`, which retried from every `[` to the end of the line: 100,000
 * `[` took seconds. Each character is looked at at most twice: a scan for `]` starts after the
 * previous one ended, and a failed scan for `)` is remembered, since any later one starting
 * before where it stopped would stop there too.
 */
function linkTextOnly(text: string): string {
  let out = '';
  let copied = 0;
  let from = 0;
  let noParenUntil = -1;
  for (;;) {
    const open = text.indexOf('[', from);
    if (open < 0) break;
    let close = open + 1;
    while (close < text.length && text[close] !== ']' && text[close] !== '\n') close++;
    if (close >= text.length) break;
    from = close + 1;
    if (text[close] !== ']' || text[close + 1] !== '(' || close + 2 <= noParenUntil) continue;
    let end = close + 2;
    while (end < text.length && text[end] !== ')' && text[end] !== '\n') end++;
    if (end >= text.length || text[end] === '\n') {
      noParenUntil = end;
      continue;
    }
    const start = open > copied && text[open - 1] === '!' ? open - 1 : open;
    out += text.slice(copied, start) + text.slice(open + 1, close);
    copied = end + 1;
    from = end + 1;
  }
  return out + text.slice(copied);
}

/** The source lines of a block range, verbatim. */
export function sourceOf(parsed: ParsedMarkdown, fromLine: number, toLine: number): string {
  return parsed.lines.slice(fromLine - 1, toLine).join('\n');
}
