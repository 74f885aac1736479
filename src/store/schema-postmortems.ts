/** Row shapes of post-mortems, their templates and timeline stars (migration 0020); re-exported by schema.ts (same conventions). */
/** A post-mortem document (migration 0020). status: draft | in_review | published. */
export interface PostmortemTable {
  id: string;
  title: string;
  status: string;
  /** The template slug it was made from (`blameless`, `google-sre`, or a team's own). */
  template: string;
  /** Markdown. */
  body: string;
  /** Markdown for the status page's public incident ('' = none). */
  public_body: string;
  owner_id: string | null;
  /** JSON: string[] of user ids. */
  reviewers: string;
  due_at: number | null;
  submitted_at: number | null;
  published_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

/** The incidents a post-mortem covers; position 0 is the primary (migration 0020). */
export interface PostmortemIncidentTable {
  postmortem_id: string;
  incident_id: string;
  position: number;
}

/** A team's own post-mortem template (Liquid) (migration 0020). */
export interface PostmortemTemplateTable {
  id: string;
  slug: string;
  name: string;
  body: string;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

/** A key moment starred on an incident timeline (migration 0020). */
export interface TimelineStarTable {
  event_id: string;
  incident_id: string;
  /** detection | diagnosis | mitigation | repair | other */
  tag: string;
  starred_by: string | null;
  starred_by_name: string;
  starred_at: number;
}
