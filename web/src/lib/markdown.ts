/**
 * A deliberately small Markdown subset for notes and summaries, parsed into a tree that
 * components/markdown.tsx turns into React elements. No HTML is ever produced or passed
 * through: `<script>` in a note is just text. Links are kept only for http(s) URLs.
 */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'br' };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: 1 | 2 | 3; children: Inline[] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'quote'; children: Block[] };

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

/** Only absolute http(s) URLs become links; everything else stays text. */
export function safeHref(raw: string): string | null {
  const trimmed = raw.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function parseMarkdown(source: string, depth = 0): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(marker)) body.push(lines[i++]!);
      i++; // the closing fence, or past the end when it is missing
      blocks.push({ type: 'code', lang: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(heading[1]!.length, 3) as 1 | 2 | 3;
      blocks.push({ type: 'heading', level, children: parseInline(heading[2]!) });
      i++;
      continue;
    }
    if (QUOTE.test(line) && depth < 3) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) body.push(QUOTE.exec(lines[i++]!)![1]!);
      blocks.push({ type: 'quote', children: parseMarkdown(body.join('\n'), depth + 1) });
      continue;
    }
    const ordered = NUMBERED.test(line);
    if (ordered || BULLET.test(line)) {
      const pattern = ordered ? NUMBERED : BULLET;
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i]!;
        const item = pattern.exec(current);
        if (item) items.push(item[1]!);
        else if (current.trim() !== '' && /^\s+/.test(current) && items.length) items[items.length - 1] += `\n${current.trim()}`;
        else break;
        i++;
      }
      blocks.push({ type: 'list', ordered, items: items.map((text) => parseInline(text)) });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length) {
      const current = lines[i]!;
      if (current.trim() === '' || FENCE.test(current) || HEADING.test(current) || QUOTE.test(current) || BULLET.test(current) || NUMBERED.test(current)) break;
      para.push(current.trim());
      i++;
    }
    blocks.push({ type: 'paragraph', children: parseInline(para.join('\n')) });
  }
  return blocks;
}

const ESCAPABLE = /[\\`*_[\]()#+\-.!>~]/;
const WORD = /[\p{L}\p{N}]/u;

export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer) out.push({ type: 'text', text: buffer });
    buffer = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const prev = i > 0 ? text[i - 1]! : '';
    if (c === '\\' && i + 1 < text.length && ESCAPABLE.test(text[i + 1]!)) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '\n') {
      flush();
      out.push({ type: 'br' });
      i++;
      continue;
    }
    if (c === '`') {
      let run = 1;
      while (text[i + run] === '`') run++;
      const ticks = '`'.repeat(run);
      const end = text.indexOf(ticks, i + run);
      if (end > i + run - 1 && end !== -1) {
        flush();
        out.push({ type: 'code', text: text.slice(i + run, end).replace(/^ (.*) $/s, '$1') });
        i = end + run;
        continue;
      }
      buffer += ticks;
      i += run;
      continue;
    }
    if (depth < 8 && (text.startsWith('**', i) || text.startsWith('__', i)) && !(c === '_' && WORD.test(prev))) {
      const marker = text.slice(i, i + 2);
      const end = findStrongEnd(text, i + 2, marker);
      if (end !== -1) {
        flush();
        out.push({ type: 'strong', children: parseInline(text.slice(i + 2, end), depth + 1) });
        i = end + 2;
        continue;
      }
    }
    if (depth < 8 && (c === '*' || c === '_') && !(c === '_' && WORD.test(prev))) {
      const end = findEmphasisEnd(text, i + 1, c);
      if (end !== -1) {
        flush();
        out.push({ type: 'em', children: parseInline(text.slice(i + 1, end), depth + 1) });
        i = end + 1;
        continue;
      }
    }
    if (c === '[' && depth < 8) {
      const close = text.indexOf('](', i + 1);
      const paren = close === -1 ? -1 : text.indexOf(')', close + 2);
      if (close > i + 1 && paren !== -1 && !text.slice(i + 1, close).includes('\n')) {
        const href = safeHref(text.slice(close + 2, paren));
        if (href) {
          flush();
          out.push({ type: 'link', href, children: parseInline(text.slice(i + 1, close), depth + 1) });
          i = paren + 1;
          continue;
        }
      }
    }
    if ((c === 'h' || c === 'H') && !WORD.test(prev) && /^https?:\/\//i.test(text.slice(i, i + 8))) {
      const m = /^https?:\/\/[^\s<>"']+/i.exec(text.slice(i))!;
      // Trailing punctuation usually ends the sentence, not the URL.
      const url = m[0].replace(/[.,;:!?)\]*_]+$/, '');
      const href = safeHref(url);
      if (href) {
        flush();
        out.push({ type: 'link', href, children: [{ type: 'text', text: url }] });
        i += url.length;
        continue;
      }
    }
    buffer += c;
    i++;
  }
  flush();
  return out;
}

function findEmphasisEnd(text: string, from: number, marker: string): number {
  if (from >= text.length || /\s/.test(text[from]!) || text[from] === marker) return -1;
  for (let j = from + 1; j < text.length; j++) {
    if (text[j] === '\n') return -1;
    if (text[j] === marker && !/\s/.test(text[j - 1]!) && text[j + 1] !== marker) {
      if (marker === '_' && j + 1 < text.length && WORD.test(text[j + 1]!)) continue;
      return j;
    }
  }
  return -1;
}

/** Closing `**`/`__`: not after whitespace, and `__` not inside a word (snake__case stays text). */
function findStrongEnd(text: string, from: number, marker: string): number {
  if (from >= text.length || /\s/.test(text[from]!)) return -1;
  for (let j = text.indexOf(marker, from + 1); j !== -1; j = text.indexOf(marker, j + 1)) {
    if (/\s/.test(text[j - 1]!)) continue;
    if (marker === '__' && j + 2 < text.length && WORD.test(text[j + 2]!)) continue;
    return j;
  }
  return -1;
}
