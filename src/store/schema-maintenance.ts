/** Scheduled maintenance rows (migration 0018); see the migration for what each column means. */
export interface ScheduledMaintenanceTable {
  id: string;
  page_id: string;
  name: string;
  /** Markdown, public. */
  description: string;
  /** scheduled | in_progress | verifying | completed | cancelled */
  status: string;
  scheduled_for: number;
  scheduled_until: number;
  /** Minutes before the start of the reminder announcement; null: none. */
  remind_minutes: number | null;
  /** JSON: string[] of component ids on the same page. */
  components: string;
  /** JSON: LabelMatcher[] of alerts silenced while it runs. */
  matchers: string;
  /** JSON: string[] of service ids whose alerts are held while it runs. */
  services: string;
  silence_id: string | null;
  window_id: string | null;
  started_at: number | null;
  ended_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface ScheduledMaintenanceUpdateTable {
  id: string;
  maintenance_id: string;
  status: string;
  body: string;
  created_at: number;
}

export interface MaintenanceAnnouncementTable {
  id: string;
  maintenance_id: string;
  /** scheduled | reminder | started | completed | cancelled */
  kind: string;
  /** JSON. */
  data: string;
  created_at: number;
}
