import { z } from 'zod';
import { PageRef } from '../statuspages/schemas.js';
import { MAINTENANCE_ACTIONS } from './lifecycle.js';

export const LIMITS = { name: 200, description: 20_000, body: 20_000 } as const;

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { error: 'is not an ISO 8601 date-time' }).transform((s) => Date.parse(s));
/** Matchers as text (`alertname="X", env=~"prod.*"`) or the silences API objects, as silences take them. */
const Matchers = z.union([z.string(), z.array(z.unknown()).max(50)]);

export const CreateMaintenanceInput = z.strictObject({
  page: PageRef,
  name: z.string().trim().min(1, 'is required').max(LIMITS.name),
  /** Markdown, shown publicly. */
  description: z.string().max(LIMITS.description).default(''),
  scheduledFor: isoTime,
  scheduledUntil: isoTime,
  /** Component ids or names on this page. */
  components: z.array(z.string().trim().min(1)).max(100).default([]),
  /** Alerts matching all of these are silenced while it runs (a real silence). */
  matchers: Matchers.optional(),
  /** Service ids or slugs whose alerts are held while it runs (a real alert maintenance window). */
  services: z.array(z.string().trim().min(1)).max(100).default([]),
  /** Minutes before the start of the reminder announcement; null: none. */
  remindMinutes: z.number().int().min(1).max(7 * 24 * 60).nullable().default(60),
});

/** Edits; absent fields stay. Times can change while it is scheduled; the end also while it runs. */
export const UpdateMaintenanceInput = z.strictObject({
  page: PageRef,
  maintenance: z.string().min(1),
  name: z.string().trim().min(1, 'is required').max(LIMITS.name).optional(),
  description: z.string().max(LIMITS.description).optional(),
  scheduledFor: isoTime.optional(),
  scheduledUntil: isoTime.optional(),
  components: z.array(z.string().trim().min(1)).max(100).optional(),
  matchers: Matchers.optional(),
  services: z.array(z.string().trim().min(1)).max(100).optional(),
  remindMinutes: z.number().int().min(1).max(7 * 24 * 60).nullable().optional(),
});

export const TransitionMaintenanceInput = z.strictObject({
  page: PageRef,
  maintenance: z.string().min(1),
  action: z.enum(MAINTENANCE_ACTIONS),
  /** A public update posted with the move (Markdown); absent: a standard sentence. */
  body: z.string().trim().max(LIMITS.body).optional(),
});
