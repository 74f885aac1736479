/** Escalation policies and their dry run: aliases of the server's views (src/http/views/paging.ts) and the UI's words. */
import type { components } from '../api/schema.js';

type View = components['schemas'];

export type Target = View['EscalationTarget'];
export type TargetType = Target['type'];
export type Condition = View['EscalationCondition'];
export type LabelMatcher = NonNullable<Condition['matchers']>[number];
export type Level = View['EscalationLevel'];
export type Policy = View['EscalationPolicy'];
export type UnresolvedEntry = NonNullable<Policy['ifUnresolved']>[number];
export type Preview = View['EscalationPreview'];
export type PreviewStep = Preview['steps'][number];
export type PreviewPerson = PreviewStep['paged'][number];

/** What a target picker offers: every user, schedule and team by id with a name to show. */
export interface TargetChoices {
  user: { id: string; name: string; disabled?: boolean }[];
  schedule: { id: string; name: string }[];
  team: { id: string; name: string }[];
}
