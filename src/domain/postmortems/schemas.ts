import { z } from 'zod';
import { IncidentRef } from '../incidents/schemas.js';
import { Slug } from '../names.js';
import { STAR_TAGS } from './draft.js';

export const POSTMORTEM_STATUSES = ['draft', 'in_review', 'published'] as const;
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];
export const POSTMORTEM_MOVES = ['submit', 'publish', 'return'] as const;
export type PostmortemMove = (typeof POSTMORTEM_MOVES)[number];

export const LIMITS = { body: 200_000, publicBody: 50_000, template: 50_000, title: 200 } as const;

export const PostmortemRef = z.string().trim().max(40).regex(/^pm_[A-Za-z0-9]+$/, 'is not a post-mortem id (pm_…)');
const UserRef = z.string().trim().min(1).max(254);
/** ISO time with an offset; checked against the clock in the verb (a past due date is refused). */
const DueAt = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

export const CreatePostmortemInput = z.object({
  incident: IncidentRef,
  /** Other incidents this post-mortem also covers (one review for a related cluster). */
  related: z.array(IncidentRef).max(20).default([]),
  template: Slug.optional(),
  title: z.string().trim().min(1).max(LIMITS.title).optional(),
  owner: UserRef.optional(),
  reviewers: z.array(UserRef).max(20).default([]),
  dueAt: DueAt.optional(),
});

export const EditPostmortemInput = z.object({
  postmortem: PostmortemRef,
  /** The version read; a stale one is a CONFLICT instead of overwriting someone else's edit. */
  version: z.number().int().positive().optional(),
  title: z.string().trim().min(1).max(LIMITS.title).optional(),
  body: z.string().max(LIMITS.body).optional(),
  publicBody: z.string().max(LIMITS.publicBody).optional(),
  owner: UserRef.nullable().optional(),
  reviewers: z.array(UserRef).max(20).optional(),
  dueAt: DueAt.nullable().optional(),
});

export const MovePostmortemInput = z.object({ postmortem: PostmortemRef, move: z.enum(POSTMORTEM_MOVES) });

export const ListPostmortemsInput = z.object({
  status: z.enum(POSTMORTEM_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const StarInput = z.object({
  incident: IncidentRef,
  event: z.string().trim().max(40).regex(/^evt_[A-Za-z0-9]+$/, 'is not a timeline event id (evt_…)'),
  tag: z.enum(STAR_TAGS).default('other'),
});

export const SetTemplateInput = z.object({
  slug: Slug,
  name: z.string().trim().min(1).max(120),
  body: z.string().min(1, 'is required').max(LIMITS.template),
});
