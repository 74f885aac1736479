import { z } from 'zod';
import { truncateRunes } from '../common.js';

/**
 * Opsgenie Alert API v2 request bodies (docs.opsgenie.com/docs/alert-api, opsgenie-go-sdk-v2).
 * Free text over Opsgenie's limits is cut rather than rejected — losing a page because a
 * description is one character too long is worse than a trimmed description — but identity
 * (`alias`) and enums (`priority`) are strict, since guessing those changes what the alert is.
 */

const cut = (max: number) => z.string().transform((s) => truncateRunes(s, max));

export const OG_PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;

export const ogResponderSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  username: z.string().optional(),
  type: z.enum(['team', 'user', 'escalation', 'schedule'], {
    error: 'must be one of team, user, escalation, schedule',
  }),
});

/** Detail values are strings for Opsgenie; numbers and booleans from loose senders are stringified. */
const detailValue = z
  .union([z.string(), z.number(), z.boolean()], { error: 'values must be strings' })
  .transform((v) => String(v));

export const ogCreateAlertSchema = z.looseObject({
  message: z
    .string({ error: 'is required' })
    .refine((s) => s.trim() !== '', { error: 'must not be blank' })
    .transform((s) => truncateRunes(s, 130)),
  alias: z.string().max(512, { error: 'must be at most 512 characters' }).optional(),
  description: cut(15_000).optional(),
  responders: z.array(ogResponderSchema).optional(),
  visibleTo: z.array(z.unknown()).optional(),
  actions: z.array(cut(50)).optional(),
  tags: z
    .array(z.string({ error: 'tags must be strings' }))
    .optional()
    .transform((tags) => (tags ?? []).slice(0, 20).map((t) => truncateRunes(t, 50))),
  details: z
    .record(z.string(), detailValue)
    .nullish()
    .transform((d): Record<string, string> => d ?? {}),
  entity: cut(512).optional(),
  source: cut(100).optional(),
  priority: z.enum(OG_PRIORITIES, { error: 'must be one of P1, P2, P3, P4, P5' }).default('P3'),
  user: cut(100).optional(),
  note: cut(25_000).optional(),
});

export type OpsgenieCreateAlert = z.output<typeof ogCreateAlertSchema>;

/** Body of close and acknowledge; every field optional and the body itself may be empty. */
export const ogAlertActionSchema = z
  .looseObject({
    user: cut(100).optional(),
    source: cut(100).optional(),
    note: cut(25_000).optional(),
  })
  .nullish()
  .transform((v) => v ?? {});

export const ogUpdateMessageSchema = z.looseObject({
  message: z
    .string({ error: 'is required' })
    .refine((s) => s.trim() !== '', { error: 'must not be blank' })
    .transform((s) => truncateRunes(s, 130)),
});

/** `POST /v2/alerts/{identifier}/notes`: the note is required, as in Opsgenie. */
export const ogAddNoteSchema = z.looseObject({
  note: z
    .string({ error: 'is required' })
    .refine((s) => s.trim() !== '', { error: 'must not be blank' })
    .transform((s) => truncateRunes(s, 25_000)),
  user: cut(100).optional(),
  source: cut(100).optional(),
});

export const ogUpdateDescriptionSchema = z.looseObject({
  description: z.string({ error: 'is required' }).transform((s) => truncateRunes(s, 15_000)),
});

export const ogIdentifierTypeSchema = z
  .enum(['id', 'tiny', 'alias'], { error: 'must be one of id, tiny, alias' })
  .default('id');
