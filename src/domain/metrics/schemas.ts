import { z } from 'zod';
import { epochMs } from '../../core/input-schemas.js';

/** Epoch ms, an ISO 8601 time, or a date (midnight UTC). */
const EpochOrIso = z.union([epochMs, z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)), z.iso.date().transform((s) => Date.parse(`${s}T00:00:00Z`))], {
  error: 'must be an ISO 8601 time or date, or epoch ms',
});

export const ReportInput = z.object({
  /** Default: 30 days before `to`. */
  from: EpochOrIso.optional(),
  /** Default: now. */
  to: EpochOrIso.optional(),
  service: z.string().trim().min(1).max(80).optional(),
  team: z.string().trim().min(1).max(80).optional(),
  severity: z.array(z.string().trim().min(1).max(20)).max(20).default([]),
  bucket: z.enum(['week', 'month']).default('week'),
});

export const DEFAULT_RANGE_MS = 30 * 86_400_000;
/** Long enough for a multi-year look back, short enough that a typo cannot ask for 10,000 weeks. */
export const MAX_RANGE_MS = 5 * 366 * 86_400_000;
