/** Stakeholder updates and audiences: the generated views (src/http/views/updates.ts) and the orders the UI offers. */
import type { components } from '../api/schema.js';

type View = components['schemas'];

export type StakeholderUpdate = View['StakeholderUpdate'];
export type UpdateList = View['UpdateList'];
export type UpdatePreview = View['UpdatePreview'];
export type UpdateTemplate = View['UpdateTemplate'];
export type DeliveryCounts = View['DeliveryCounts'];
export type AudienceGroup = View['SavedAudienceGroup'];
export type AudienceRule = View['AudienceRule'];
export type UpdateKind = StakeholderUpdate['kind'];
export type Audience = StakeholderUpdate['audiences'][number];

export const UPDATE_KINDS: UpdateKind[] = ['initial', 'update', 'resolution'];
export const AUDIENCES = ['responders', 'internal', 'public'] as const satisfies readonly Audience[];
