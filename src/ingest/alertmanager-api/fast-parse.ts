import { parseGoTimestamp } from '../time.js';
import type { PostableAlert } from './schema.js';

/**
 * A hand-written reader for the common, well-formed `postableAlert`: the same result as
 * `postableAlertSchema` at a fraction of zod's cost per alert (Prometheus pushes thousands).
 * Anything unusual returns `undefined` and the caller runs the zod schema, which either accepts
 * it too or produces the error message; so this only has to be right when it says yes.
 */
export function readPostableAlert(raw: unknown): PostableAlert | undefined {
  if (!isPlainObject(raw)) return undefined;
  const labels = raw.labels;
  if (!isStringRecord(labels)) return undefined;
  const annotations = raw.annotations === undefined || raw.annotations === null ? {} : raw.annotations;
  if (!isStringRecord(annotations)) return undefined;
  const startsAt = readTime(raw.startsAt);
  const endsAt = readTime(raw.endsAt);
  if (startsAt === false || endsAt === false) return undefined;
  const generatorURL = raw.generatorURL;
  if (generatorURL !== undefined && typeof generatorURL !== 'string') return undefined;
  return { ...raw, labels, annotations, startsAt, endsAt, generatorURL };
}

/** What JSON.parse makes of `{…}`; anything else (and `__proto__` keys) goes to zod. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.prototype.toString.call(value) === '[object Object]';
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (key === '__proto__' || typeof value[key] !== 'string') return false;
  }
  return true;
}

/** `false`: not a readable time, let zod say why. */
function readTime(value: unknown): number | null | undefined | false {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') return false;
  const parsed = parseGoTimestamp(value);
  return parsed === undefined ? false : parsed;
}
