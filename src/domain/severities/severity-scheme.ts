import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { CommTasks } from '../audiences/schemas.js';

/**
 * Severity is configuration: a team's own ladder (P0–P4, P1–P4, SEV-1–4…), most severe first.
 * Targets are seconds; `null` means "no target".
 */
export const SeverityLevelInput = z.object({
  key: z.string().trim().min(1).max(20).regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, - and _ only'),
  name: z.string().trim().min(1).max(80),
  description: z.string().max(2000).default(''),
  examples: z.array(z.string().max(500)).max(50).default([]),
  /** 0: immediately ("Response: Immediate"). */
  ackTargetSeconds: z.number().int().nonnegative().nullable().default(null),
  resolveTargetSeconds: z.number().int().positive().nullable().default(null),
  updateCadenceSeconds: z.number().int().positive().nullable().default(null),
  escalationPolicyId: z.string().nullable().default(null),
  /** The post-mortem gate: an incident of this severity cannot be closed until its post-mortem is published. */
  postmortemRequired: z.boolean().default(false),
  /** Seconds after resolution the post-mortem is due (its owner is reminded); null: no due date. */
  postmortemDueSeconds: z.number().int().positive().nullable().default(null),
  /** Communication deadlines: "update the status page within 5 minutes" (see domain/audiences). */
  commTasks: CommTasks.default([]),
  /** The targets count business hours only (Monday–Friday 09:00–17:00 UTC): "next business day". */
  businessHours: z.boolean().default(false),
});
export type SeverityLevel = z.infer<typeof SeverityLevelInput>;

export const SeveritySchemeInput = z.array(SeverityLevelInput).min(1).max(10);

/** Checks what zod cannot: unique keys, and targets that grow less urgent down the ladder. */
export function validateSeverityScheme(levels: SeverityLevel[]): SeverityLevel[] {
  const issues: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  levels.forEach((level, i) => {
    const key = level.key.toUpperCase();
    if (seen.has(key)) issues.push({ field: `severities.${i}.key`, message: `duplicate key ${level.key}` });
    seen.add(key);
    if (level.ackTargetSeconds !== null && level.resolveTargetSeconds !== null && level.resolveTargetSeconds < level.ackTargetSeconds) {
      issues.push({ field: `severities.${i}.resolveTargetSeconds`, message: 'resolve target is shorter than the acknowledge target' });
    }
  });
  if (issues.length > 0) {
    throw new AppError('VALIDATION', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
  }
  return levels;
}

const MIN = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;

/** What a new installation starts with; a `firebreak.yaml` can replace it. */
export const DEFAULT_SEVERITY_SCHEME: SeverityLevel[] = [
  {
    key: 'SEV1', name: 'Critical',
    description: 'Customer-facing outage or data at risk. All hands; update stakeholders often.',
    examples: ['Service down for all users', 'Data loss or corruption', 'Security breach'],
    ackTargetSeconds: 5 * MIN, resolveTargetSeconds: 4 * HOUR, updateCadenceSeconds: 30 * MIN, escalationPolicyId: null, commTasks: [], businessHours: false,
    postmortemRequired: true, postmortemDueSeconds: 5 * DAY,
  },
  {
    key: 'SEV2', name: 'Major',
    description: 'Significant degradation or a major feature unavailable for many users.',
    examples: ['Elevated error rate on a core path', 'One region unavailable'],
    ackTargetSeconds: 15 * MIN, resolveTargetSeconds: 8 * HOUR, updateCadenceSeconds: HOUR, escalationPolicyId: null, commTasks: [], businessHours: false,
    postmortemRequired: true, postmortemDueSeconds: 5 * DAY,
  },
  {
    key: 'SEV3', name: 'Minor',
    description: 'Limited impact with a workaround; handle in working hours.',
    examples: ['A non-critical job failing', 'Slow responses for a small share of users'],
    ackTargetSeconds: HOUR, resolveTargetSeconds: 72 * HOUR, updateCadenceSeconds: 4 * HOUR, escalationPolicyId: null, commTasks: [], businessHours: false,
    postmortemRequired: false, postmortemDueSeconds: null,
  },
  {
    key: 'SEV4', name: 'Low',
    description: 'Cosmetic or internal issue with no customer impact.',
    examples: ['Dashboard glitch', 'Noisy alert'],
    ackTargetSeconds: 24 * HOUR, resolveTargetSeconds: 14 * 24 * HOUR, updateCadenceSeconds: null, escalationPolicyId: null, commTasks: [], businessHours: false,
    postmortemRequired: false, postmortemDueSeconds: null,
  },
];
