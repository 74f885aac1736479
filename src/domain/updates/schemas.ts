import { z } from 'zod';
import { IncidentRef } from '../incidents/schemas.js';

/** Kinds and audiences of stakeholder updates (who `internal` reaches: domain/audiences). */
export const UPDATE_KINDS = ['initial', 'update', 'resolution'] as const;
export type UpdateKind = (typeof UPDATE_KINDS)[number];
export const AUDIENCES = ['responders', 'internal', 'public'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const LIMITS = { body: 20_000, template: 20_000 } as const;

/** ISO time, or null to promise no next update; absent means "the severity's cadence". */
const NextUpdateBy = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)).nullable().optional();

export const PostUpdateInput = z.object({
  incident: IncidentRef,
  kind: z.enum(UPDATE_KINDS),
  body: z.string().trim().min(1, 'is required').max(LIMITS.body),
  audiences: z.array(z.enum(AUDIENCES)).min(1, 'name at least one audience').default(['responders']),
  /** What the update says to one audience, when it differs from `body` (each rendered from its own template). */
  bodies: z.partialRecord(z.enum(AUDIENCES), z.string().trim().min(1, 'is required').max(LIMITS.body)).default({}),
  nextUpdateBy: NextUpdateBy,
});

export const ListUpdatesInput = z.object({ incident: IncidentRef });

export const PreviewUpdateInput = z.object({
  incident: IncidentRef,
  kind: z.enum(UPDATE_KINDS).default('update'),
  audience: z.enum(AUDIENCES).optional(),
  /** A template source to try instead of the stored one (the editor's live preview). */
  template: z.string().max(LIMITS.template).optional(),
  nextUpdateBy: NextUpdateBy,
});

export const SetTemplateInput = z.object({
  kind: z.enum(UPDATE_KINDS),
  /** Absent: the template for any audience without its own. */
  audience: z.enum(AUDIENCES).nullish(),
  body: z.string().min(1, 'is required').max(LIMITS.template),
});

export const DeleteTemplateInput = z.object({
  kind: z.enum(UPDATE_KINDS),
  audience: z.enum(AUDIENCES).nullish(),
});
