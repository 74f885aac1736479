/** Shapes of /api/v1/incidents/{n}/updates (src/domain/updates). */
export type UpdateKind = 'initial' | 'update' | 'resolution';
export const UPDATE_KINDS: UpdateKind[] = ['initial', 'update', 'resolution'];
export const AUDIENCES = ['responders', 'internal', 'public'] as const;
export type Audience = (typeof AUDIENCES)[number];

export interface StakeholderUpdate {
  id: string;
  kind: UpdateKind;
  body: string;
  audiences: Audience[];
  author: { id: string | null; name: string };
  postedAt: string;
  nextUpdateBy: string | null;
}

export interface UpdateList {
  items: StakeholderUpdate[];
  nextUpdateBy: string | null;
  cadenceSeconds: number | null;
}

export interface UpdatePreview {
  kind: UpdateKind;
  audience: Audience | null;
  body: string;
  nextUpdateBy: string | null;
  template: { source: string; body: string };
}
