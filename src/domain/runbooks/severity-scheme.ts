import type { Block, TableBlock } from './parse-markdown.js';
import { plainText } from './parse-markdown.js';
import { parseDuration } from './targets.js';

/**
 * Severity schemes as teams write them: a table (`| **P1 - Critical** | … | ≤ 15 min |`) or a
 * heading per level (`### SEV-1: Critical` with `**Response Time**: Immediate`). Levels come
 * back in rank order, most severe first, whatever order the document used.
 */

export interface SeverityLevel {
  /** Canonical id: `P0`…`P5`, `SEV-1`…`SEV-5`, or a named level (`CRITICAL`, `HIGH`, …). */
  id: string;
  /** The number in the id; lower is more severe in every scheme we recognise. */
  rank: number;
  name?: string;
  description?: string;
  /** Response target in seconds (0 = immediately); undefined if the document gives none. */
  responseSeconds?: number;
  /** The response target as written, e.g. "≤ 15 min". */
  responseText?: string;
  /** Resolve target in seconds ("Resolve Within: 4 hours", "MTTR: 1 hour"). */
  resolveSeconds?: number;
  resolveText?: string;
  examples: string[];
  escalation?: string;
  /** Other columns or fields, by their label. */
  extra: Record<string, string>;
}

export interface SeverityScheme {
  /** e.g. "P1–P4", "SEV-1–SEV-4", "CRITICAL–LOW". */
  label: string;
  /** NAMED: levels called Critical/High/Medium/Low with no number. */
  prefix: 'P' | 'SEV' | 'NAMED';
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

/** Levels named without a number, most severe first; the rank is the position. */
const NAMED_LEVELS: [RegExp, string, number][] = [
  [/^(?:critical|emergency|urgent)\b/i, 'CRITICAL', 1],
  [/^(?:high|major|severe)\b/i, 'HIGH', 2],
  [/^(?:medium|moderate|normal)\b/i, 'MEDIUM', 3],
  [/^(?:low|minor)\b/i, 'LOW', 4],
  [/^(?:info|informational|trivial|cosmetic)\b/i, 'INFO', 5],
];

/** A level by its name alone ("Critical", "High — …"): id and rank; undefined otherwise. */
export function namedSeverityLevel(text: string): { id: string; rank: number; name: string } | undefined {
  const t = plainText(text).trim();
  for (const [re, id, rank] of NAMED_LEVELS) {
    const m = re.exec(t);
    if (m) return { id, rank, name: m[0].charAt(0).toUpperCase() + m[0].slice(1).toLowerCase() };
  }
  return undefined;
}

function parseLevelLabel(cell: string): { id: string; name?: string } | undefined {
  const text = plainText(cell).trim();
  const id = normaliseSeverityId(text);
  if (!id) {
    const named = namedSeverityLevel(text);
    return named ? { id: named.id, name: named.name } : undefined;
  }
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
  const named = NAMED_LEVELS.find(([, name]) => name === id);
  return named ? named[2] : Number(id.replace(/\D/g, ''));
}

function prefixOf(id: string): SeverityScheme['prefix'] {
  return id.startsWith('SEV') ? 'SEV' : /^P\d/.test(id) ? 'P' : 'NAMED';
}

function finish(levels: SeverityLevel[]): SeverityScheme | undefined {
  if (levels.length < 2) return undefined;
  const prefix = prefixOf(levels[0]!.id);
  if (!levels.every((l) => prefixOf(l.id) === prefix)) return undefined;
  if (new Set(levels.map((l) => l.id)).size !== levels.length) return undefined;
  const sorted = [...levels].sort((a, b) => a.rank - b.rank);
  const first = sorted[0]!.id;
  const last = sorted[sorted.length - 1]!.id;
  return { label: `${first}–${last}`, prefix, levels: sorted };
}

function applyResponse(level: SeverityLevel, text: string): void {
  level.responseText = text.trim();
  const range = parseDuration(text);
  if (range?.maxSeconds !== undefined) level.responseSeconds = range.maxSeconds;
}

function applyResolve(level: SeverityLevel, text: string): void {
  const range = parseDuration(text);
  if (range?.maxSeconds === undefined) return;
  level.resolveText = text;
  level.resolveSeconds = range.maxSeconds;
}

/** One `Label: value` field of a level, whatever layout it came from. */
function applyField(level: SeverityLevel, label: string, value: string): 'examples' | undefined {
  const key = label.toLowerCase().trim();
  if (/example/.test(key)) {
    if (value) level.examples.push(...splitExamples(value));
    else return 'examples';
  } else if (/resol|mttr|restor|fix/.test(key)) applyResolve(level, value);
  else if (/response|ack|respond|sla|mtta/.test(key)) applyResponse(level, value);
  else if (/impact|definition|description|criteria|meaning/.test(key)) level.description = value;
  else if (/escalat/.test(key)) level.escalation = value;
  else level.extra[label.trim()] = value;
  return undefined;
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
      if (/resol|mttr|restor/.test(h) && !/respon|ack/.test(h)) applyResolve(level, cell);
      else if (/response|ack|respond|sla|mtta/.test(h)) applyResponse(level, cell);
      else if (/definition|description|impact|mean|criteria|summary|what/.test(h) && level.description === undefined) level.description = cell;
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
          if (m) expectExamples = applyField(level, m.key, plainText(m.value)) === 'examples';
          else if (!level.description && plainText(line)) level.description = plainText(line);
        }
      } else if (block.type === 'list') {
        // `- **Response Time**: 5 minutes` bullets are fields; other bullets are examples.
        const fields = block.items.map((i) => (/^\s*(\*\*|__)/.test(i.text) ? keyValueOf(i.text) : undefined));
        if (!expectExamples && fields.filter(Boolean).length * 2 > block.items.length) {
          block.items.forEach((item, i) => {
            const f = fields[i];
            if (f) expectExamples = applyField(level, f.key, plainText(f.value)) === 'examples';
            else if (expectExamples) level.examples.push(plainText(item.text));
          });
          // Nested examples (`- **Examples**:` with sub-bullets).
          for (const item of block.items) {
            for (const child of item.children) if (child.type === 'list' && /example/i.test(item.text)) level.examples.push(...child.items.map((c) => plainText(c.text)));
          }
        } else if (expectExamples || level.examples.length === 0) {
          level.examples.push(...block.items.map((i) => plainText(i.text)));
          expectExamples = false;
        }
      } else if (block.type === 'table') {
        for (const row of block.rows) if (row.length >= 2) applyField(level, plainText(row[0] ?? ''), plainText(row[1] ?? ''));
      }
    }
    levels.push(level);
  }
  return finish(levels);
}

/**
 * One bold lead per level, as paragraphs or bullets: `**P1 — Critical**: all users down.
 * Respond within 5 minutes.` or `**High** - partial outage (response: 30 min)`.
 */
export function severitySchemeFromParagraphs(blocks: Block[]): SeverityScheme | undefined {
  const levels: SeverityLevel[] = [];
  const texts: string[] = [];
  // A line opening with a bold level starts an entry; the lines after it (same paragraph) are its body.
  const lead = /^\s*(?:\*\*|__)[^*_\n]{1,60}(?:\*\*|__)/;
  for (const block of blocks) {
    if (block.type === 'paragraph') {
      for (const line of block.text.split('\n')) {
        if (lead.test(line) || texts.length === 0) texts.push(line);
        else texts[texts.length - 1] += `\n${line}`;
      }
    } else if (block.type === 'list') texts.push(...block.items.map((i) => i.text));
  }
  for (const text of texts) {
    const m = /^\s*(?:\*\*|__)([^*_\n]{1,60})(?:\*\*|__)\s*[:\-–—]?\s*/.exec(text);
    if (!m) continue;
    const label = parseLevelLabel(m[1]!.replace(/:$/, ''));
    if (!label) continue;
    const level: SeverityLevel = { id: label.id, rank: rankOf(label.id), examples: [], extra: {} };
    if (label.name) level.name = label.name;
    const rest = plainText(text.slice(m[0].length));
    const sentences = rest.split(/(?<=[.;])\s+|\s*[()]\s*|\n/).filter((x) => x.trim() !== '');
    const description: string[] = [];
    for (const sentence of sentences) {
      const kv = keyValueOf(sentence);
      if (kv && /respon|ack|resol|mtt|example|impact|defin|descr|escalat|sla|updat/i.test(kv.key)) {
        applyField(level, kv.key, kv.value.replace(/[.;]$/, ''));
        continue;
      }
      const within = /\b(respond|response|acknowledge|ack|resolve|resolution|fix|restore)\w*\b[^.;]{0,30}?\b(within|in under|in)\s+([^.;]{1,40})/i.exec(sentence);
      if (within) {
        applyField(level, within[1]!, within[3]!);
        continue;
      }
      const verb = /^(respond|response|acknowledge|resolve)\w*\s+(.{1,60})$/i.exec(sentence.trim().replace(/[.;]$/, ''));
      if (verb) {
        applyField(level, verb[1]!, verb[2]!);
        continue;
      }
      description.push(sentence.trim());
    }
    if (description.length > 0) level.description = description.join(' ').replace(/\s+/g, ' ');
    levels.push(level);
  }
  return finish(levels);
}
