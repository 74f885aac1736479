import { z } from 'zod';
import { AUDIENCES, UPDATE_KINDS } from '../../domain/updates/schemas.js';
import { isoTime, itemsOf, view } from './registry.js';

/** Stakeholder updates, their templates, and audience groups and rules (domain/updates, domain/audiences). */
const Kind = z.enum(UPDATE_KINDS);
const Audience = z.enum(AUDIENCES);

export const DeliveryCounts = view('DeliveryCounts', z.object({ total: z.number(), pending: z.number(), sent: z.number(), failed: z.number() }));

export const StakeholderUpdate = view('StakeholderUpdate', z.object({
  id: z.string(),
  incidentId: z.string(),
  kind: Kind,
  body: z.string(),
  audiences: z.array(Audience),
  author: z.object({ id: z.string().nullable(), name: z.string() }),
  postedAt: isoTime,
  nextUpdateBy: isoTime.nullable(),
  /** Per sent audience (internal, responders): its deliveries by status. */
  deliveries: z.partialRecord(Audience, DeliveryCounts),
}));

export const UpdateList = view('UpdateList', z.object({
  items: z.array(StakeholderUpdate),
  /** The deadline in force: the latest update's "next update by". */
  nextUpdateBy: isoTime.nullable(),
  /** The severity's cadence, the default gap to the next update. */
  cadenceSeconds: z.number().nullable(),
}));

export const UpdatePreview = view('UpdatePreview', z.object({
  kind: Kind,
  audience: Audience.nullable(),
  /** The rendered Markdown the compose box is pre-filled with. */
  body: z.string(),
  nextUpdateBy: isoTime.nullable(),
  template: z.object({ source: z.string(), body: z.string() }),
}));

export const UpdateTemplate = view('UpdateTemplate', z.object({
  id: z.string().nullable(),
  kind: Kind,
  /** null: any audience without its own template. */
  audience: Audience.nullable(),
  body: z.string(),
  /** built-in: no stored template, the default applies; config: from firebreak.yaml. */
  source: z.enum(['built-in', 'api', 'config']),
}));
export const UpdateTemplateList = itemsOf(UpdateTemplate);

export const AudienceGroup = view('AudienceGroup', z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  emails: z.array(z.string()),
  slackWebhookUrl: z.string().nullable(),
  webhookUrl: z.string().nullable(),
  hasWebhookSecret: z.boolean(),
  users: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
  teams: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string() })),
  /** config: declared in firebreak.yaml (read-only here). */
  source: z.enum(['api', 'config']),
}));
/** The save answer: a generated webhook secret is shown this once. */
export const SavedAudienceGroup = view('SavedAudienceGroup', AudienceGroup.extend({ webhookSecret: z.string().optional() }));
export const AudienceGroupList = itemsOf(AudienceGroup);

export const AudienceRule = view('AudienceRule', z.object({
  id: z.string(),
  group: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  severities: z.array(z.string()),
  /** Service slugs. */
  services: z.array(z.string()),
  source: z.enum(['api', 'config']),
}));
export const AudienceRuleList = itemsOf(AudienceRule);
