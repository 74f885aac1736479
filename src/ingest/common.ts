import { z } from 'zod';
import { parseGoTimestamp, parseTimestamp } from './time.js';

/** Schema pieces and small mapping helpers several formats share. */

/**
 * string→string map that also accepts `null`/absent as `{}`: Go encodes a nil map as `null`,
 * and senders differ in whether they omit empty maps.
 */
export const stringMap = z
  .record(z.string(), z.string({ error: 'values must be strings' }))
  .nullish()
  .transform((v): Record<string, string> => v ?? {});

/** RFC 3339 date-time (ns precision allowed) → epoch ms; Go's zero time → null. */
export const goTimestamp = z.string().transform((text, ctx): number | null => {
  const parsed = parseGoTimestamp(text);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: `not an RFC 3339 date-time: ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return parsed;
});

/** ISO 8601 date-time with `Z`, `+00:00` or `+0000` → epoch ms. */
export const isoTimestamp = z.string().transform((text, ctx): number => {
  const parsed = parseTimestamp(text);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: `not an ISO 8601 date-time: ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return parsed;
});

const RUNBOOK_KEYS = ['runbook_url', 'runbook', 'runbookURL', 'runbookUrl', 'runbook_link'];

/** The runbook link from annotations, by the names rule authors commonly use. */
export function pickRunbookUrl(annotations: Record<string, string>): string | null {
  for (const key of RUNBOOK_KEYS) {
    const value = annotations[key]?.trim();
    if (value) return value;
  }
  return null;
}

/** First non-blank candidate, else the fallback; summaries are never empty. */
export function firstText(candidates: readonly (string | null | undefined)[], fallback: string): string {
  for (const c of candidates) {
    if (c !== undefined && c !== null && c.trim() !== '') return c;
  }
  return fallback;
}

/** Cuts to `max` code points with a trailing `…`, as Alertmanager's TruncateInRunes does. */
export function truncateRunes(text: string, max: number): string {
  const points = [...text];
  if (points.length <= max) return text;
  return `${points.slice(0, max - 1).join('')}…`;
}

export function runeLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

export function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

/**
 * Undoes Go's `regexp.QuoteMeta`, which Alertmanager applies to the receiver name
 * (`team.a` arrives as `team\.a`).
 */
export function unquoteMeta(text: string): string {
  return text.replace(/\\([\\.+*?()|[\]{}^$])/g, '$1');
}
