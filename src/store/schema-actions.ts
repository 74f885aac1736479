/** Rows of action items and weekly digests (migration 0021). */
export interface ActionItemTable {
  id: string;
  incident_id: string;
  /** The post-mortem the item came from, if any (no foreign key: that module is separate). */
  postmortem_id: string | null;
  /** The incident's service when the item was made. */
  service_id: string | null;
  title: string;
  owner_id: string;
  due_at: number;
  priority: string;
  /** open | done | wont_do */
  status: string;
  /** Why it will not be done (required for wont_do). */
  reason: string | null;
  external_url: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  closed_by: string | null;
}

export interface ActionDigestTable {
  id: string;
  team_id: string;
  /** The slot's local date (YYYY-MM-DD); unique per team: a week is sent once. */
  week: string;
  open_count: number;
  overdue_count: number;
  subject: string;
  body: string;
  created_at: number;
}
