import type { Block, TableBlock } from './parse-markdown.js';
import { plainText } from './parse-markdown.js';
import { parseDuration } from './targets.js';

/**
 * Severity schemes as teams write them: a table (`| **P1 - Critical** | … | ≤ 15 min |`) or a
 * heading per level (`### SEV-1: Critical` with `**Response Time**: Immediate`). Levels come
 * back in rank order, most severe first, whatever order the document used.
 */

export interface SeverityLevel {
  /** Canonical id: `P0`…`P5` or `SEV-1`…`SEV-5`. */
  id: string;
  /** The number in the id; lower is more severe in every scheme we recognise. */
  rank: number;
  name?: string;
  description?: string;
  /** Response target in seconds (0 = immediately); undefined if the document gives none. */
  responseSeconds?: number;
  /** The response target as written, e.g. "≤ 15 min". */
  responseText?: string;
  examples: string[];
  escalation?: string;
  /** Other columns or fields, by their label. */
  extra: Record<string, string>;
}

export interface SeverityScheme {
  /** e.g. "P1–P4", "SEV-1–SEV-4". */
  label: string;
  prefix: 'P' | 'SEV';
  levels: SeverityLevel[];
}

const LEVEL_ID = /^(?:(P)\s?([0-5])|(SEV|Sev|sev|S)[-\s]?([0-5]))(?![0-9A-Za-z])/;

/** `P1`, `p1`, `Sev 2`, `SEV-2`, `S2` → canonical id; undefined when not a severity id. */
export function normaliseSeverityId(text: string): string | undefined {
  const m = LEVEL_ID.exec(plainText(text).trim());
  if (!m) return undefined;
  if (m[1]) return `P${m[2]}`;
  return `SEV-${m[4]}`;
}

function parseLevelLabel(cell: string): { id: string; name?: string } | undefined {
  const text = plainText(cell).trim();
  const id = normaliseSeverityId(text);
  if (!id) return undefined;
  const rest = text.replace(LEVEL_ID, '').replace(/^[\s:\-–—()]+/, '').trim();
  return trimmedRest(rest, id);
}

function trimmedRest(text: string, id: string): { id: string; name?: string } {
  // Trailing `)` and spaces by hand: /[\s)]+$/ was quadratic on a long run of them.
  let end = text.length;
  while (end > 0 && (text[end - 1] === ')' || /\s/.test(text[end - 1]!))) end--;
  const rest = text.slice(0, end).trim();
  return rest ? { id, name: rest } : { id };
}

/**
 * `**Response**: 5 minutes` → key and value (a key of 1–40 characters without `:` or `*`). What
 * /^\s*\*{0,2}([^:*]{1,40}?)\*{0,2}\s*:\s*\*{0,2}\s*(.*)$/ matched, by hand: that regex
 * backtracked cubically on a long run of spaces.
 */
function keyValueOf(line: string): { key: string; value: string } | undefined {
  let start = 0;
  while (start < line.length && /\s/.test(line[start]!)) start++;
  for (let stars = 0; stars < 2 && line[start] === '*'; stars++) start++;
  const colon = line.indexOf(':', start);
  if (colon < 0) return undefined;
  let end = colon;
  while (end > start && /\s/.test(line[end - 1]!)) end--;
  for (let stars = 0; stars < 2 && end > start && line[end - 1] === '*'; stars++) end--;
  const key = line.slice(start, end);
  if (key.length < 1 || key.length > 40 || key.includes('*')) return undefined;
  let value = line.slice(colon + 1).trimStart();
  for (let stars = 0; stars < 2 && value.startsWith('*'); stars++) value = value.slice(1);
  if (/[\n\r\u2028\u2029]/.test(value)) return undefined;
  return { key, value: value.trimStart() };
}

function rankOf(id: string): number {
  return Number(id.replace(/\D/g, ''));
}

function finish(levels: SeverityLevel[]): SeverityScheme | undefined {
  if (levels.length < 2) return undefined;
  const prefix: 'P' | 'SEV' = levels[0]!.id.startsWith('SEV') ? 'SEV' : 'P';
  if (!levels.every((l) => l.id.startsWith(prefix))) return undefined;
  const sorted = [...levels].sort((a, b) => a.rank - b.rank);
  const first = sorted[0]!.id;
  const last = sorted[sorted.length - 1]!.id;
  return { label: `${first}–${last}`, prefix, levels: sorted };
}

function applyResponse(level: SeverityLevel, text: string): void {
  level.responseText = text;
  const range = parseDuration(text);
  if (range?.maxSeconds !== undefined) level.responseSeconds = range.maxSeconds;
}

function splitExamples(text: string): string[] {
  return text
    .split(/[,;]\s*/)
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

/** A severity table: its first column holds level ids in at least two rows. */
export function severitySchemeFromTable(table: TableBlock): SeverityScheme | undefined {
  const header = table.header.map((h) => plainText(h).toLowerCase());
  const levels: SeverityLevel[] = [];
  for (const row of table.rows) {
    const label = parseLevelLabel(row[0] ?? '');
    if (!label) continue;
    const level: SeverityLevel = { id: label.id, rank: rankOf(label.id), examples: [], extra: {} };
    if (label.name) level.name = label.name;
    for (let c = 1; c < row.length; c++) {
      const h = header[c] ?? `column ${c + 1}`;
      const cell = plainText(row[c] ?? '');
      if (cell === '') continue;
      if (/response|ack|respond|sla/.test(h)) applyResponse(level, cell);
      else if (/definition|description|impact|meaning|criteria/.test(h) && level.description === undefined) level.description = cell;
      else if (/example/.test(h)) level.examples = splitExamples(cell);
      else if (/escalat|notify|who/.test(h)) level.escalation = cell;
      else if (/^name$|^label$/.test(h) && !level.name) level.name = cell;
      else level.extra[table.header[c] ?? h] = cell;
    }
    levels.push(level);
  }
  return finish(levels);
}

export interface SeveritySection {
  title: string;
  blocks: Block[];
}

/**
 * One section per level: the title names the level (`SEV-1: Critical`) and the body has
 * `**Label**: value` lines plus an optional examples list.
 */
export function severitySchemeFromSections(sections: SeveritySection[]): SeverityScheme | undefined {
  const levels: SeverityLevel[] = [];
  for (const section of sections) {
    const label = parseLevelLabel(section.title);
    if (!label) continue;
    const level: SeverityLevel = { id: label.id, rank: rankOf(label.id), examples: [], extra: {} };
    if (label.name) level.name = label.name;
    let expectExamples = false;
    for (const block of section.blocks) {
      if (block.type === 'paragraph') {
        for (const line of block.text.split('\n')) {
          const m = keyValueOf(line);
          if (!m) continue;
          const key = m.key.toLowerCase().trim();
          const value = plainText(m.value);
          if (/example/.test(key)) {
            if (value) level.examples.push(...splitExamples(value));
            else expectExamples = true;
          } else if (/response|ack/.test(key)) applyResponse(level, value);
          else if (/impact|definition|description/.test(key)) level.description = value;
          else if (/escalat/.test(key)) level.escalation = value;
          else level.extra[m.key.trim()] = value;
        }
      } else if (block.type === 'list' && (expectExamples || level.examples.length === 0)) {
        level.examples.push(...block.items.map((i) => plainText(i.text)));
        expectExamples = false;
      }
    }
    levels.push(level);
  }
  return finish(levels);
}
