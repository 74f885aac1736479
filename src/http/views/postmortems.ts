import { z } from 'zod';
import { POSTMORTEM_STATUSES } from '../../domain/postmortems/schemas.js';
import { isoTime, itemsOf, view } from './registry.js';

/** Post-mortems, their templates and timeline stars (domain/postmortems). */
export const Postmortem = view('Postmortem', z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(POSTMORTEM_STATUSES),
  template: z.string(),
  body: z.string(),
  publicBody: z.string(),
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  reviewers: z.array(z.object({ id: z.string(), name: z.string() })),
  incidents: z.array(z.object({ id: z.string(), number: z.number(), title: z.string(), severity: z.string(), status: z.string(), resolvedAt: isoTime.nullable() })),
  dueAt: isoTime.nullable(),
  /** Past its due date and not published. */
  overdue: z.boolean(),
  submittedAt: isoTime.nullable(),
  publishedAt: isoTime.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  version: z.number(),
}));
export const PostmortemList = itemsOf(Postmortem);

export const PostmortemTemplate = view('PostmortemTemplate', z.object({ slug: z.string(), name: z.string(), body: z.string(), builtIn: z.boolean(), managedBy: z.string().nullable() }));
export const PostmortemTemplateList = itemsOf(PostmortemTemplate);

export const Star = view('Star', z.object({ eventId: z.string(), tag: z.string(), starredBy: z.string(), starredAt: isoTime }));
export const StarList = itemsOf(Star);
export const Unstarred = z.object({ eventId: z.string(), starred: z.literal(false) });

export const IncidentClosed = view('IncidentClosed', z.object({ incident: z.number(), closedAt: isoTime }));
