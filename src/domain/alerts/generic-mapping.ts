import { z } from 'zod';
import { parseOrThrow } from '../../core/field-issues.js';
import { parsePath } from './mapping-path.js';
import type { PathSegment } from './mapping-path.js';

/**
 * The mapping an operator writes for a tool that has no dedicated format. Strict: a typo in a
 * mapping key would otherwise silently map nothing. Paths are checked when the mapping is saved.
 */

const path = z.string().transform((text, ctx): PathSegment[] => {
  const parsed = parsePath(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: `invalid path ${JSON.stringify(text)}: ${parsed}` });
    return z.NEVER;
  }
  return parsed;
});

const valueList = z.array(z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v).toLowerCase()));

export const genericMappingSchema = z.strictObject({
  /** Optional array of alerts in the body; every other path is then relative to each item. */
  items: path.optional(),
  /** Sender's dedup key; absent → fingerprint of `labels`, else of the summary. */
  dedupKey: path.optional(),
  summary: path,
  description: path.optional(),
  severity: path.optional(),
  source: path.optional(),
  /** Compared case-insensitively with `resolvedValues` / `acknowledgedValues`; anything else triggers. */
  status: path.optional(),
  resolvedValues: valueList.default(['resolved', 'resolve', 'ok', 'closed', 'recovered']),
  acknowledgedValues: valueList.default(['acknowledged', 'acknowledge', 'ack']),
  /** An object whose scalar values become labels. */
  labels: path.optional(),
  /** ISO 8601 text, or a number of epoch seconds (< 1e12) or milliseconds. */
  startedAt: path.optional(),
  runbookUrl: path.optional(),
  url: path.optional(),
});

export type GenericMapping = z.output<typeof genericMappingSchema>;
export type GenericMappingInput = z.input<typeof genericMappingSchema>;

/** Validates a mapping as an operator saves it (errors name `mapping.<key>`). */
export function parseGenericMapping(input: unknown): GenericMapping {
  return parseOrThrow(genericMappingSchema, input, 'mapping');
}
