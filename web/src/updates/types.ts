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
  /** Per sent audience (internal, responders): deliveries by status. */
  deliveries: Partial<Record<Audience, DeliveryCounts>>;
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

export interface DeliveryCounts {
  total: number;
  pending: number;
  sent: number;
  failed: number;
}

export interface UpdateTemplate {
  id: string | null;
  kind: UpdateKind;
  audience: Audience | null;
  body: string;
  source: 'built-in' | 'api' | 'config';
}

/** Shapes of /api/v1/audience-groups and /api/v1/audience-rules (src/domain/audiences). */
export interface AudienceGroup {
  id: string;
  slug: string;
  name: string;
  description: string;
  emails: string[];
  slackWebhookUrl: string | null;
  webhookUrl: string | null;
  hasWebhookSecret: boolean;
  users: { id: string; name: string; email: string }[];
  teams: { id: string; slug: string; name: string }[];
  source: 'api' | 'config';
  webhookSecret?: string;
}

export interface AudienceRule {
  id: string;
  group: { id: string; slug: string; name: string };
  severities: string[];
  services: string[];
  source: 'api' | 'config';
}
