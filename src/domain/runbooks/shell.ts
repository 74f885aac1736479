/**
 * Just enough shell awareness to cut a fenced block into responder-sized steps and to spot
 * destructive commands. It is not a shell parser: it tracks quotes and line continuations so a
 * `#` inside a string or a multi-line `curl … \` never splits a command.
 */

export interface CommandChunk {
  /** Comment lines before the command, without `#`. */
  comments: string[];
  /** Command lines, verbatim (continuations and multi-line quotes kept together). */
  command: string[];
  /** Comment lines directly after the command (no blank line between): what to expect. */
  trailing: string[];
}

const SHELL_LANGUAGES = new Set([
  'bash', 'sh', 'shell', 'zsh', 'console', 'shell-session', 'shellsession', 'terminal', 'fish', 'ksh',
  'powershell', 'ps1', 'pwsh', 'cmd', 'bat',
]);
const QUERY_LANGUAGES = new Set(['sql', 'psql', 'promql', 'logql', 'kql', 'cql', 'redis', 'mongo', 'mongodb', 'graphql']);

export function isShellLanguage(language: string): boolean {
  return SHELL_LANGUAGES.has(language);
}

export function isQueryLanguage(language: string): boolean {
  return QUERY_LANGUAGES.has(language);
}

const STEP_MARKER = /^(step\s*\d+\b|\d{1,3}[.)]\s)/i;

/** Quote state after a line: a multi-line `'…'` or `"…"` keeps the next lines in the command. */
function quoteStateAfter(line: string, start: '' | "'" | '"'): '' | "'" | '"' {
  let state = start;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (state === '') {
      if (c === '\\') i++;
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return '';
      else if (c === "'" || c === '"') state = c;
    } else if (state === '"') {
      if (c === '\\') i++;
      else if (c === '"') state = '';
    } else if (c === "'") state = '';
  }
  return state;
}

/**
 * Split a shell block into chunks. A comment starts a new chunk when it carries a step marker
 * (`# Step 3:`, `# 2.`) or follows command lines; other comments describe the coming command.
 */
export function splitShellBlock(code: string): CommandChunk[] {
  const chunks: CommandChunk[] = [];
  let current: CommandChunk | undefined;
  let quote: '' | "'" | '"' = '';
  let continued = false;
  let blankSinceCommand = false;
  for (const rawLine of code.split('\n')) {
    const trimmed = rawLine.trim();
    const inCommand = quote !== '' || continued;
    if (!inCommand && trimmed === '') {
      blankSinceCommand = true;
      continue;
    }
    if (!inCommand && trimmed.startsWith('#') && !trimmed.startsWith('#!')) {
      const text = trimmed.replace(/^#+\s?/, '').trim();
      if (current && current.command.length > 0 && !blankSinceCommand && !STEP_MARKER.test(text)) {
        current.trailing.push(text);
        continue;
      }
      if (!current || current.command.length > 0 || STEP_MARKER.test(text)) {
        current = { comments: [], command: [], trailing: [] };
        chunks.push(current);
      }
      if (text !== '') current.comments.push(text);
      blankSinceCommand = false;
      continue;
    }
    if (!inCommand && current && current.trailing.length > 0) {
      // A command after an "expectation" comment is a new step, described by nothing.
      current = undefined;
    }
    if (!current) {
      current = { comments: [], command: [], trailing: [] };
      chunks.push(current);
    }
    current.command.push(rawLine);
    quote = quoteStateAfter(rawLine, quote);
    continued = quote === '' && /\\\s*$/.test(rawLine);
    blankSinceCommand = false;
  }
  return chunks.filter((c) => c.comments.length + c.command.length + c.trailing.length > 0);
}

/** Lines that are list items rather than commands: `- PagerDuty`, `1. Page on-call manager`. */
export function listLikeLines(lines: string[]): string[] | undefined {
  const items: string[] = [];
  for (const line of lines) {
    // The marker by regex, the rest by hand: /^\s*(?:…)\s+(.+)$/ was quadratic on long blank runs.
    const marker = /^\s*(?:[-*]|\d{1,3}[.)])(?=\s)/.exec(line);
    const text = marker ? line.slice(marker[0].length).trim() : '';
    if (text === '' || /[\n\r\u2028\u2029]/.test(text)) return undefined;
    items.push(text);
  }
  return items.length > 0 ? items : undefined;
}

export { destructiveReason } from './destructive.js';

// Upper-case shouting words only: "Critical" in "P0 - Critical Incident Response" is a severity.
const WARNING_SHOUT = /⚠|\b(?:DANGER|DANGEROUS|WARNING|CAUTION|CRITICAL)\b/;
// "Data loss" warns only as a consequence ("may cause data loss", "risk of data loss"); "Check for
// data loss" is a check, not a warning.
const WARNING_PHRASE =
  /\birreversibl|\bdestructive\b|\bcannot be undone\b|\b(?:causes?|causing|will|may|might|can|could|risks?|risk of|results? in|leads? to)\b[^.\n]{0,30}\b(?:disruption|downtime|outage|data loss|loses? data)\b/i;

/** The document's own warning, if the text carries one. */
export function warningIn(text: string): boolean {
  return WARNING_SHOUT.test(text) || WARNING_PHRASE.test(text);
}
