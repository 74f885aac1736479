import { z } from 'zod';

/**
 * Schema pieces for numbers and times from outside, bounded to what every layer can hold: a
 * JavaScript Date holds ±8.64e15 ms (beyond it `toISOString()` throws), and a PostgreSQL
 * `bigint` overflows where a JavaScript number has long lost precision (2^53).
 */
export const MAX_EPOCH_MS = 8_640_000_000_000_000;

const RANGE_MESSAGE = `must be a time between -${MAX_EPOCH_MS} and ${MAX_EPOCH_MS} ms (years -271821 to 275760)`;

/** Epoch milliseconds a Date can hold. */
export const epochMs = z.number().int({ error: 'must be whole epoch milliseconds' }).min(-MAX_EPOCH_MS, { error: RANGE_MESSAGE }).max(MAX_EPOCH_MS, { error: RANGE_MESSAGE });

/** A time as text (query strings): epoch ms or ISO 8601 → epoch ms a Date can hold. */
export const timeText = z.string().transform((text, ctx): number => {
  const at = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isNaN(at)) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time or epoch ms' });
    return z.NEVER;
  }
  if (!Number.isSafeInteger(at) || Math.abs(at) > MAX_EPOCH_MS) {
    ctx.addIssue({ code: 'custom', message: RANGE_MESSAGE });
    return z.NEVER;
  }
  return at;
});

/** Decimal digits of a whole number ≥ 0 that stays exact in JavaScript and fits a `bigint` (a sequence cursor, a count). */
export const wholeNumberText = (message: string) => z.string().regex(/^\d{1,16}$/, message).refine((text) => Number.isSafeInteger(Number(text)), message);
