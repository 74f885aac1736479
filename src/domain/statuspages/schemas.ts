import { z } from 'zod';
import { IncidentRef } from '../incidents/schemas.js';
import { DisplayName, Slug } from '../names.js';
import { AUTO_MODES } from './auto-publish.js';
import { COMPONENT_STATUSES, IMPACTS, PUBLIC_STATUSES } from './status.js';

export const LIMITS = { body: 20_000, description: 2_000, publicTitle: 200 } as const;

/** A host name as a reverse proxy sends it (no port, no scheme). */
const HostName = z.string().trim().toLowerCase().regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'must be a host name like status.example.com');

export const PageRef = z.string().trim().min(1).max(80);

export const SeverityMap = z.record(z.string().min(1).max(40), z.enum(COMPONENT_STATUSES));

/** Severities whose incidents make a public incident by themselves, and its templates (Liquid). */
export const AutoPublishInput = z.object({
  severities: z.record(z.string().trim().min(1).max(40), z.enum(AUTO_MODES)).default({}),
  title: z.string().max(LIMITS.publicTitle * 5).default(''),
  body: z.string().max(LIMITS.body).default(''),
});

export const CreatePageInput = z.object({
  slug: Slug,
  name: DisplayName,
  hostName: HostName.nullable().default(null),
  severityMap: SeverityMap.default({}),
  autoPublish: AutoPublishInput.default({ severities: {}, title: '', body: '' }),
});

/** Only what is given changes. */
export const UpdatePageInput = z.object({
  page: PageRef,
  name: DisplayName.optional(),
  hostName: HostName.nullable().optional(),
  severityMap: SeverityMap.optional(),
  autoPublish: AutoPublishInput.optional(),
});

/** A one-click publish of an auto-made draft; a title or first update given here replaces the draft's. */
export const PublishDraftInput = z.object({
  page: PageRef,
  incident: IncidentRef,
  name: z.string().trim().min(1).max(LIMITS.publicTitle).optional(),
  body: z.string().trim().min(1).max(LIMITS.body).optional(),
});

export const AddComponentInput = z.object({
  page: PageRef,
  name: DisplayName,
  description: z.string().max(LIMITS.description).default(''),
  /** A group's id or name on the same page; groups cannot be nested further. */
  group: z.string().trim().min(1).nullable().default(null),
  isGroup: z.boolean().default(false),
  /** Service ids or slugs whose open incidents set this component's status. */
  services: z.array(z.string().trim().min(1)).max(100).default([]),
});

export const SetComponentStatusInput = z.object({
  page: PageRef,
  component: z.string().trim().min(1),
  /** null: derive from incidents again. */
  status: z.enum(COMPONENT_STATUSES).nullable(),
});

export const PublishIncidentInput = z.object({
  page: PageRef,
  incident: IncidentRef,
  name: z.string().trim().min(1, 'is required').max(LIMITS.publicTitle),
  /** Absent: from the worst status of the affected components. */
  impact: z.enum(IMPACTS).optional(),
  status: z.enum(PUBLIC_STATUSES).default('investigating'),
  body: z.string().trim().min(1, 'is required').max(LIMITS.body),
  /** Component ids or names on this page; absent: those mapped to the incident's service. */
  components: z.array(z.string().trim().min(1)).max(100).optional(),
});

export const PostPublicUpdateInput = z.object({
  page: PageRef,
  incident: IncidentRef,
  status: z.enum(PUBLIC_STATUSES),
  body: z.string().trim().min(1, 'is required').max(LIMITS.body),
});

/** Only what is given changes. */
export const ChangeComponentInput = z.object({
  page: PageRef,
  component: z.string().trim().min(1),
  name: DisplayName.optional(),
  description: z.string().max(LIMITS.description).optional(),
  /** A group's id or name on the same page; null: the top level. Groups stay at the top level. */
  group: z.string().trim().min(1).nullable().optional(),
  /** Service ids or slugs whose open incidents set this component's status (a group has none). */
  services: z.array(z.string().trim().min(1)).max(100).optional(),
  /** Its place among the components beside it (the same group, or the top level), from 1; past the end: last. */
  position: z.number().int().min(1).optional(),
});

export const RemoveComponentInput = z.object({
  page: PageRef,
  component: z.string().trim().min(1),
});
