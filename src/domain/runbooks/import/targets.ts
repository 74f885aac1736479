import type { TableBlock } from '../parse-markdown.js';
import { plainText } from '../parse-markdown.js';
import { extractTargets, parseDuration, targetKeyOfLabel, targetSeconds } from '../targets.js';
import type { RunbookTargets } from '../targets.js';
import { firstShortParenthesised } from './sections.js';

/**
 * Targets wherever a runbook writes them: headings (`### MTTR Target: 2 minutes`), list fields
 * (`- **Response Time**: 5 minutes`), tables, prose ("acknowledge within 15 minutes"), and time
 * boxes in phase headings ("Immediate Actions (0-2 minutes)").
 */

export function timeboxOf(title: string): { minSeconds?: number; maxSeconds?: number } | undefined {
  const inner = firstShortParenthesised(title);
  const range = inner !== undefined ? parseDuration(inner) : undefined;
  if (!range || range.immediate) return undefined;
  const out: { minSeconds?: number; maxSeconds?: number } = {};
  if (range.minSeconds !== undefined) out.minSeconds = range.minSeconds;
  if (range.maxSeconds !== undefined) out.maxSeconds = range.maxSeconds;
  return out;
}

export function mergeTargets(a: RunbookTargets, b: RunbookTargets): RunbookTargets {
  const out: RunbookTargets = { ...a };
  for (const key of ['acknowledgeSeconds', 'mitigateSeconds', 'resolveSeconds'] as const) {
    const v = b[key];
    if (v !== undefined) out[key] = out[key] === undefined ? v : Math.max(out[key]!, v);
  }
  return out;
}

/** `**Response Time**: 5 minutes` alone on a line (a heading, a bullet): its targets, else undefined. */
export function labelledTargetsOnly(text: string): RunbookTargets | undefined {
  if (text.length > 200 || !text.includes(':') || text.includes('\n')) return undefined;
  const targets = extractTargets(text.replace(/^[#\s]+/, ''));
  return Object.keys(targets).length > 0 ? targets : undefined;
}

const PROSE_KEYS: [RegExp, keyof RunbookTargets][] = [
  [/^(?:acknowledg|ack|respond|response|page|engage)/i, 'acknowledgeSeconds'],
  [/^(?:mitigat|contain|stabili)/i, 'mitigateSeconds'],
  [/^(?:resolv|resolution|restor|recover|fix)/i, 'resolveSeconds'],
];

/**
 * Targets in a sentence: "acknowledge within 5 minutes", "aim to restore service within 2
 * hours", "must be mitigated in under 15 minutes". The verb picks the target; a sentence with
 * "within" and no such verb sets nothing (it may be a check: "errors drop within 10 minutes").
 */
export function proseTargets(text: string): RunbookTargets {
  const out: RunbookTargets = {};
  const re = /\b(acknowledg\w*|ack(?:ed)?|respond\w*|response|page[sd]?|engage\w*|mitigat\w*|contain\w*|stabili\w*|resolv\w*|resolution|restor\w*|recover\w*|fix(?:ed)?)\b([^.;\n]{0,40}?)\b(?:within|in under|in less than|no later than)\s+((?:\d+(?:\.\d+)?\s*(?:-|–|to)\s*)?\d+(?:\.\d+)?\s*[a-z]+)/gi;
  for (const m of text.slice(0, 100_000).matchAll(re)) {
    const key = PROSE_KEYS.find(([k]) => k.test(m[1]!))?.[1];
    const seconds = key ? targetSeconds(m[3]!) : undefined;
    if (key && seconds !== undefined) out[key] = out[key] === undefined ? seconds : Math.max(out[key]!, seconds);
  }
  return out;
}

/**
 * Targets in a table: label/value rows (`| MTTR | 30 minutes |`) or one header row of labels
 * over a row of durations (`| MTTA | MTTR |` / `| 5 min | 1 h |`).
 */
export function tableTargets(table: TableBlock): RunbookTargets | undefined {
  const out: RunbookTargets = {};
  const keys = table.header.map((h) => targetKeyOfLabel(plainText(h)));
  const headerIsRow = keys[0] !== undefined && targetSeconds(plainText(table.header[1] ?? '')) !== undefined;
  if (!headerIsRow && keys.some(Boolean) && table.rows.length === 1) {
    keys.forEach((key, c) => {
      const seconds = key ? targetSeconds(plainText(table.rows[0]![c] ?? '')) : undefined;
      if (key && seconds !== undefined) out[key] = seconds;
    });
  } else if (table.header.length >= 2) {
    for (const row of [table.header, ...table.rows]) {
      const key = targetKeyOfLabel(plainText(row[0] ?? ''));
      const seconds = key ? targetSeconds(plainText(row[1] ?? '')) : undefined;
      if (key && seconds !== undefined) out[key] = out[key] === undefined ? seconds : Math.max(out[key]!, seconds);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
