import { parseGoTimestamp } from './time.js';

/**
 * Building blocks for hand-written readers of the hottest payload shapes (Alertmanager API and
 * webhook): a fraction of zod's cost per alert. A reader says yes only to input its zod schema
 * would accept with the same result, and answers `undefined` for anything unusual so the caller
 * runs zod, which accepts it too or produces the error message.
 */

/** What JSON.parse makes of `{…}`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.prototype.toString.call(value) === '[object Object]';
}

/** A string→string object; `__proto__` keys are left to zod. */
export function isStringRecord(value: unknown): value is Record<string, string> {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (key === '__proto__' || typeof value[key] !== 'string') return false;
  }
  return true;
}

/** `stringMap` of common.ts: absent or null is `{}`. `undefined`: not one. */
export function readStringMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return {};
  return isStringRecord(value) ? value : undefined;
}

/** `goTimestamp` of common.ts. `false`: not a readable time, let zod say why. */
export function readGoTime(value: unknown): number | null | false {
  if (typeof value !== 'string') return false;
  const parsed = parseGoTimestamp(value);
  return parsed === undefined ? false : parsed;
}

/** `goTimestamp.nullish()`. */
export function readNullishGoTime(value: unknown): number | null | undefined | false {
  if (value === undefined || value === null) return value;
  return readGoTime(value);
}

/** `goTimestamp.optional()`: null is an error here. */
export function readOptionalGoTime(value: unknown): number | null | undefined | false {
  return value === undefined ? undefined : readGoTime(value);
}

/** `z.string().optional()`. */
export const isOptionalString = (value: unknown): value is string | undefined => value === undefined || typeof value === 'string';
