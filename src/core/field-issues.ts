import type { z } from 'zod';
import { AppError } from './errors.js';
import type { FieldIssue } from './errors.js';

/**
 * Turns zod issues into one VALIDATION AppError whose message names every offending field
 * (`payload.severity: …`), because senders only ever see the message in their logs.
 */

/** Dotted path as FieldIssue wants it: `alerts.0.labels`; the body itself is `body`. */
export function issuePath(path: readonly PropertyKey[], prefix = ''): string {
  const parts = path.map((p) => String(p));
  const joined = [prefix, ...parts].filter((p) => p !== '').join('.');
  return joined === '' ? 'body' : joined;
}

export function zodIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issuePath(issue.path, prefix), message: issue.message }));
}

export function validationError(issues: FieldIssue[]): AppError {
  const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return new AppError('VALIDATION', message, { issues });
}

/** Parses or throws a VALIDATION AppError naming the fields. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(zodIssues(parsed.error, prefix));
  return parsed.data;
}
