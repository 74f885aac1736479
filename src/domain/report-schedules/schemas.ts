import { z } from 'zod';

/** A scheduled report: who gets which figures, how often. Shared by the API, the CLI and firebreak.yaml. */
export const ReportScheduleInput = z.strictObject({
  name: z.string().trim().min(1).max(80).regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and -'),
  /** A report for each week (Monday 00:00 UTC) or month (the 1st) that ends. */
  every: z.enum(['week', 'month']),
  /** Days the report covers, ending when the period ends; omitted = exactly the period. */
  rangeDays: z.number().int().min(1).max(366).optional(),
  service: z.string().trim().min(1).max(80).optional(),
  team: z.string().trim().min(1).max(80).optional(),
  severity: z.array(z.string().trim().min(1).max(20)).max(20).default([]),
  bucket: z.enum(['week', 'month']).default('week'),
  recipients: z.array(z.email({ error: 'must be an e-mail address' })).min(1, 'name at least one address').max(50),
  enabled: z.boolean().default(true),
});
export type ReportScheduleSpec = z.output<typeof ReportScheduleInput>;

export const ReportScheduleRef = z.object({ name: z.string().trim().min(1).max(80) });
