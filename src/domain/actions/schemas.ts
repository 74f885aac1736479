import { z } from 'zod';
import { IncidentRef } from '../incidents/schemas.js';

/** Action items (docs/action-items.md): follow-ups that outlive the incident they came from. */
export const ACTION_PRIORITIES = ['high', 'medium', 'low'] as const;
export type ActionPriority = (typeof ACTION_PRIORITIES)[number];
export const ACTION_STATUSES = ['open', 'done', 'wont_do'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const LIMITS = { title: 300, reason: 2_000, url: 2_000 } as const;

/** A full ISO time, or a day (`2026-03-10`: due at the end of that day, UTC). */
export const DueDate = z.union([
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
  z.iso.date().transform((s) => Date.parse(`${s}T23:59:59.999Z`)),
], { error: 'must be an ISO date (2026-03-10) or time (2026-03-10T17:00:00Z)' });

/** Shown as a link, so only http(s): a `javascript:` URL must never reach an href. */
export const ExternalUrl = z
  .string()
  .trim()
  .max(LIMITS.url)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, { error: 'must be an http:// or https:// URL' });

const Title = z.string().trim().min(1, 'is required').max(LIMITS.title);
const UserRef = z.string().trim().min(1, 'is required').max(254);

export const AddActionItemInput = z.object({
  incident: IncidentRef,
  postmortemId: z.string().trim().min(1).max(60).nullish(),
  title: Title,
  owner: UserRef,
  dueAt: DueDate,
  priority: z.enum(ACTION_PRIORITIES).default('medium'),
  externalUrl: ExternalUrl.nullish(),
});

export const EditActionItemInput = z.object({
  item: z.string().trim().min(1).max(60),
  title: Title.optional(),
  owner: UserRef.optional(),
  dueAt: DueDate.optional(),
  priority: z.enum(ACTION_PRIORITIES).optional(),
  externalUrl: ExternalUrl.nullish(),
});

export const CloseActionItemInput = z.discriminatedUnion('status', [
  z.object({ item: z.string().trim().min(1).max(60), status: z.literal('done'), reason: z.string().trim().max(LIMITS.reason).nullish() }),
  z.object({ item: z.string().trim().min(1).max(60), status: z.literal('wont_do'), reason: z.string().trim().min(1, "is required for won't do").max(LIMITS.reason) }),
  z.object({ item: z.string().trim().min(1).max(60), status: z.literal('open'), reason: z.string().nullish() }),
]);

export const ListActionItemsInput = z.object({
  incident: IncidentRef.optional(),
  postmortemId: z.string().trim().min(1).max(60).optional(),
  team: z.string().trim().min(1).max(60).optional(),
  owner: UserRef.optional(),
  service: z.string().trim().min(1).max(60).optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  overdue: z.boolean().optional(),
  limit: z.number().int().min(1).max(500).default(200),
});
