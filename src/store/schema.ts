/**
 * Row shapes as stored, identical on SQLite and PostgreSQL: text ids made by the app, times as
 * epoch-ms integers, booleans as 0/1, JSON as text. Repositories convert to domain shapes.
 */
import type {
  ContactMethodTable, DeliveryTable, EscalationPolicyTable, IncidentEscalationTable, NotificationRuleTable, PagingKeyTable,
  ScheduleOverrideTable, ScheduleTable, TimerTable,
} from './schema-paging.js';
import type { ActionDigestTable, ActionItemTable } from './schema-actions.js';
import type { AudienceGroupMemberTable, AudienceGroupTable, AudienceRuleTable, UpdateMessageTable } from './schema-audiences.js';
import type { ReportDayChangeTable, ReportDayTable, ReportScheduleTable, ReportSendTable } from './schema-reports.js';
import type { MaintenanceAnnouncementTable, ScheduledMaintenanceTable, ScheduledMaintenanceUpdateTable } from './schema-maintenance.js';
import type { PublicIncidentTable, PublicIncidentUpdateTable, StatusComponentTable, StatusPageTable, StatusSubscriberTable, SubscriberNotificationTable } from './schema-statuspages.js';
import type { PostmortemIncidentTable, PostmortemTable, PostmortemTemplateTable, TimelineStarTable } from './schema-postmortems.js';

export type * from './schema-paging.js';
export type * from './schema-maintenance.js';
export type * from './schema-actions.js';
export type * from './schema-audiences.js';
export type * from './schema-reports.js';
export type * from './schema-statuspages.js';
export type * from './schema-postmortems.js';

export interface Database {
  schedules: ScheduleTable;
  schedule_overrides: ScheduleOverrideTable;
  escalation_policies: EscalationPolicyTable;
  incident_escalations: IncidentEscalationTable;
  contact_methods: ContactMethodTable;
  notification_rules: NotificationRuleTable;
  timers: TimerTable;
  deliveries: DeliveryTable;
  paging_keys: PagingKeyTable;
  counters: CounterTable;
  teams: TeamTable;
  users: UserTable;
  team_members: TeamMemberTable;
  services: ServiceTable;
  severities: SeverityTable;
  import_placeholder_maps: ImportPlaceholderMapTable;
  checklist_templates: ChecklistTemplateTable;
  incidents: IncidentTable;
  incident_roles: IncidentRoleTable;
  incident_role_definitions: IncidentRoleDefinitionTable;
  timeline_events: TimelineEventTable;
  tasks: TaskTable;
  api_keys: ApiKeyTable;
  sessions: SessionTable;
  sign_in_links: SignInLinkTable;
  sign_in_failures: SignInFailureTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  integrations: IntegrationTable;
  alert_groups: AlertGroupTable;
  alerts: AlertTable;
  raw_payloads: RawPayloadTable;
  routing_rules: RoutingRuleTable;
  change_events: ChangeEventTable;
  job_leases: JobLeaseTable;
  silences: SilenceTable;
  maintenance_windows: MaintenanceWindowTable;
  runbooks: RunbookTable;
  runbook_versions: RunbookVersionTable;
  runbook_matchers: RunbookMatcherTable;
  runbook_runs: RunbookRunTable;
  runbook_step_states: RunbookStepStateTable;
  runners: RunnerTable;
  runner_jobs: RunnerJobTable;
  incident_updates: IncidentUpdateTable;
  update_templates: UpdateTemplateTable;
  action_items: ActionItemTable;
  action_digests: ActionDigestTable;
  status_pages: StatusPageTable;
  status_components: StatusComponentTable;
  public_incidents: PublicIncidentTable;
  public_incident_updates: PublicIncidentUpdateTable;
  scheduled_maintenances: ScheduledMaintenanceTable;
  scheduled_maintenance_updates: ScheduledMaintenanceUpdateTable;
  maintenance_announcements: MaintenanceAnnouncementTable;
  postmortems: PostmortemTable;
  postmortem_incidents: PostmortemIncidentTable;
  postmortem_templates: PostmortemTemplateTable;
  timeline_stars: TimelineStarTable;
  audience_groups: AudienceGroupTable;
  audience_group_members: AudienceGroupMemberTable;
  audience_rules: AudienceRuleTable;
  update_messages: UpdateMessageTable;
  status_subscribers: StatusSubscriberTable;
  subscriber_notifications: SubscriberNotificationTable;
  report_schedules: ReportScheduleTable;
  report_sends: ReportSendTable;
  report_days: ReportDayTable;
  report_day_changes: ReportDayChangeTable;
}

export interface CounterTable {
  name: string;
  value: number;
}

export interface TeamTable {
  id: string;
  slug: string;
  name: string;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface UserTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  time_zone: string;
  disabled: number;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface TeamMemberTable {
  team_id: string;
  user_id: string;
  role: string;
  created_at: number;
}

export interface ServiceTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  team_id: string | null;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
  /** The service's own escalation policy, ahead of the severity's default (migration 0008). */
  escalation_policy_id: string | null;
}

/** The mapping an applied runbook import plan used: placeholder (lower-cased) → `team:platform` (migration 0024). */
export interface ImportPlaceholderMapTable {
  document_key: string;
  placeholder: string;
  target: string;
  updated_at: number;
}

export interface SeverityTable {
  id: string;
  key: string;
  rank: number;
  name: string;
  description: string;
  examples: string;
  ack_target_seconds: number | null;
  resolve_target_seconds: number | null;
  update_cadence_seconds: number | null;
  escalation_policy_id: string | null;
  /** JSON: [{title, audience?, withinSeconds}], communication deadlines (migration 0016). Optional: a default. */
  comm_tasks?: string;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
  /** 1: an incident of this severity cannot be closed until its post-mortem is published (0020). */
  postmortem_required?: number;
  /** The post-mortem is due this long after the incident resolves; null: no due date (0020). */
  postmortem_due_seconds?: number | null;
  /** 1: the targets count business hours only, Monday–Friday 09:00–17:00 UTC (migration 0024). */
  business_hours?: number;
}

export interface ChecklistTemplateTable {
  id: string;
  slug: string;
  name: string;
  severities: string;
  items: string;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
  /** on_open | on_resolve (migration 0021). */
  trigger?: string;
  /** JSON time windows: [{ name, dueOffsetSeconds, items: [{ title, dueOffsetSeconds? }] }] (0021). */
  groups?: string;
}

export interface IncidentTable {
  id: string;
  number: number;
  title: string;
  summary: string;
  severity: string;
  status: string;
  service_id: string | null;
  is_drill: number;
  created_by: string | null;
  detected_at: number;
  declared_at: number;
  acknowledged_at: number | null;
  mitigated_at: number | null;
  resolved_at: number | null;
  updated_at: number;
  version: number;
  /** The policy a routing rule chose for the alert that opened it, and why (migration 0008). */
  escalation_policy_id: string | null;
  escalation_policy_reason: string | null;
  /** Whom it was last re-assigned to by hand (migration 0008). */
  assignee_id: string | null;
  /** Closed after resolution (post-mortem gate passed); re-opening clears it (migration 0020). */
  closed_at?: number | null;
}

export interface IncidentRoleTable {
  incident_id: string;
  role: string;
  user_id: string;
  assigned_at: number;
}

/** The catalogue of incident roles (migration 0034); `incident_roles.role` names one by key, or any other name. */
export interface IncidentRoleDefinitionTable {
  key: string;
  name: string;
  description: string | null;
  position: number;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface TimelineEventTable {
  id: string;
  incident_id: string;
  at: number;
  kind: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  body: string;
  data: string;
}

export interface TaskTable {
  id: string;
  incident_id: string;
  title: string;
  position: number;
  source: string | null;
  done: number;
  done_by: string | null;
  done_at: number | null;
  created_at: number;
  /**
   * When the task is due: a communication deadline (0016) or a post-incident checklist item
   * (0021); the audience whose update ticks a communication task (0016); whom a post-incident
   * task reminds and its time window (0021).
   */
  due_at?: number | null;
  audience?: string | null;
  assignee_id?: string | null;
  group_name?: string | null;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  lookup: string;
  secret_hash: string;
  scopes: string;
  user_id: string | null;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  csrf_token: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
}

/** One-time sign-in links: the token's SHA-256, used once before it expires (migration 0027). */
export interface SignInLinkTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Failed sign-ins per throttle key and fixed window (migration 0010). */
export interface SignInFailureTable {
  key: string;
  window_start: number;
  failures: number;
}

export interface AuditLogTable {
  seq: number;
  id: string;
  at: number;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target: string | null;
  data: string;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  chain: string;
  seq: number;
  hash: string;
}

export interface IntegrationTable {
  id: string;
  name: string;
  /** An ingest format (`src/ingest/signal.ts`) or `heartbeat`. */
  format: string;
  /** sha-256 hex of the key; the key itself is shown once. */
  key_hash: string;
  key_hint: string;
  service_id: string | null;
  /** JSON: IntegrationSettings (domain/alerts/settings.ts). */
  settings: string;
  disabled: number;
  managed_by: string | null;
  last_heartbeat_at: number | null;
  created_at: number;
  updated_at: number;
}

/** Alerts of one service and grouping key; opens (at most) one incident. */
export interface AlertGroupTable {
  id: string;
  /** service id, or `int:<integration id>` when the alert has no service. */
  scope: string;
  group_key: string;
  service_id: string | null;
  integration_id: string;
  /** pending (below the N-in-M threshold) | open (has an incident) | closed */
  state: string;
  incident_id: string | null;
  window_start_at: number;
  window_count: number;
  open_alerts: number;
  created_at: number;
  updated_at: number;
  /** The title this group last gave its incident (0025); null: the opening alert's summary. */
  title?: string | null;
}

export interface AlertTable {
  id: string;
  integration_id: string;
  dedup_key: string;
  /** firing | acknowledged | resolved */
  status: string;
  summary: string;
  description: string | null;
  severity_raw: string | null;
  /** Firebreak severity key after routing. */
  severity: string | null;
  labels: string;
  annotations: string;
  source: string | null;
  generator_url: string | null;
  runbook_url: string | null;
  group_key: string | null;
  group_id: string | null;
  service_id: string | null;
  incident_id: string | null;
  /** `sil_…` / `mw_…` that kept it from paging. */
  suppressed_by: string | null;
  /** JSON: why it did or did not page (AlertDecision). */
  decision: string;
  started_at: number | null;
  first_seen_at: number;
  last_seen_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  count: number;
  flapping: number;
  raw_payload_id: string | null;
  /** Alertmanager-API alerts: resolved by the expiry job once this passes without a re-post (0007). */
  ends_at: number | null;
  /** JSON AlertContext (domain/alerts/alert-context.ts): links, images, custom_details, tags; null when none (0025). */
  context: string | null;
}

/** A PagerDuty change event: a deploy or config change on a service, never an alert (0007). */
export interface ChangeEventTable {
  id: string;
  integration_id: string;
  service_id: string | null;
  summary: string;
  source: string | null;
  occurred_at: number;
  received_at: number;
  /** JSON `[{href, text}]`. */
  links: string;
  /** JSON: the sender's `custom_details`, or null. */
  details: string;
  raw_payload_id: string | null;
}

/** Who runs a periodic job right now; taken by a conditional update (0007). */
export interface JobLeaseTable {
  name: string;
  holder: string | null;
  held_until: number;
}

export interface RawPayloadTable {
  id: string;
  integration_id: string;
  received_at: number;
  format: string;
  body: string;
  outcome: string;
}

export interface RoutingRuleTable {
  id: string;
  position: number;
  name: string;
  /** Only for alerts of this integration; null = all. */
  integration_id: string | null;
  matchers: string;
  set_service_id: string | null;
  set_severity: string | null;
  drop_alert: number;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
  /** Incidents opened by alerts this rule matched page with this policy (migration 0008). */
  escalation_policy_id: string | null;
}

export interface SilenceTable {
  id: string;
  matchers: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  created_at: number;
  updated_at: number;
}

export interface MaintenanceWindowTable {
  id: string;
  /** JSON array of service ids; empty = every service. */
  service_ids: string;
  starts_at: number;
  ends_at: number;
  reason: string;
  created_by: string | null;
  created_at: number;
}

/** A runbook; its content lives in immutable versions, `current_version_id` is the latest. */
export interface RunbookTable {
  id: string;
  slug: string;
  title: string;
  summary: string;
  /** Service slug the runbook is for (matched against the incident's service). */
  service: string | null;
  severity: string | null;
  owner: string | null;
  review_interval_days: number | null;
  /** ISO date (YYYY-MM-DD) of the last review, as the document says. */
  last_reviewed: string | null;
  current_version_id: string;
  current_version: number;
  /** `directory` when imported from the configured runbook directory. */
  managed_by: string | null;
  source_path: string | null;
  created_at: number;
  updated_at: number;
}

export interface RunbookVersionTable {
  id: string;
  runbook_id: string;
  version: number;
  source_markdown: string;
  /** JSON: RunbookDraft (domain/runbooks/import-runbooks.ts). */
  structure: string;
  content_hash: string;
  created_by: string;
  created_at: number;
}

/** kind: label (name op value on alert labels) | service | severity | runbook_url. */
export interface RunbookMatcherTable {
  runbook_id: string;
  position: number;
  kind: string;
  name: string;
  op: string;
  value: string;
}

export interface RunbookRunTable {
  id: string;
  incident_id: string;
  runbook_id: string;
  /** The version followed: later edits never change a running or past incident. */
  runbook_version_id: string;
  attached_by: string;
  /** Why it was attached: `manual`, `labels: alertname=X`, `runbook_url`, `service`, `drill`. */
  reason: string;
  /** JSON: placeholder values given by responders. */
  fill_values: string;
  /** JSON array of placeholder keys a responder marked secret (migration 0009). */
  secret_values: string;
  is_drill: number;
  /** JSON: user ids chosen for a drill. */
  drill_participants: string;
  /** JSON: TargetEvaluation[] recorded when the incident resolves. */
  targets_result: string | null;
  /** JSON `{ "<set>": option }`: the alternative path chosen per set (migration 0031). */
  chosen_paths: string | null;
  started_at: number;
  updated_at: number;
}

/** state: pending | started | done | skipped | failed. */
export interface RunbookStepStateTable {
  run_id: string;
  step_index: number;
  state: string;
  actor_id: string | null;
  actor_name: string;
  at: number;
  started_at: number | null;
  reason: string | null;
  filled_command: string | null;
  version: number;
}

export interface RunnerTable {
  id: string;
  name: string;
  token_hash: string;
  /** JSON: AllowRule[] set by an admin; the server refuses jobs outside it. */
  allow_list: string;
  /** JSON: what the runner says its own allow-list is (shown, never trusted). */
  reported_allow_list: string | null;
  disabled: number;
  created_by: string | null;
  created_at: number;
  last_seen_at: number | null;
}

/** status: requested | approved | running | succeeded | failed | refused. */
export interface RunnerJobTable {
  id: string;
  incident_id: string;
  run_id: string;
  step_index: number;
  runner_id: string | null;
  command: string;
  /** The command with secret values masked, for people; null before migration 0009. */
  shown_command: string | null;
  dangerous: number;
  status: string;
  requested_by: string | null;
  requested_by_name: string;
  requested_at: number;
  approved_by: string | null;
  approved_by_name: string | null;
  approved_at: number | null;
  claimed_by: string | null;
  started_at: number | null;
  finished_at: number | null;
  exit_code: number | null;
  output: string;
  output_truncated: number;
  timeout_seconds: number;
  reason: string | null;
}

/** A stakeholder update posted on an incident (migration 0012). */
export interface IncidentUpdateTable {
  id: string;
  incident_id: string;
  /** initial | update | resolution */
  kind: string;
  /** Markdown, as posted. */
  body: string;
  /** JSON: string[] (responders, internal, public) */
  audiences: string;
  author_id: string | null;
  author_name: string;
  posted_at: number;
  /** The deadline this update promised for the next one; null: none. */
  next_update_by: number | null;
}

/** A Liquid template for updates of one kind and audience ('' = any audience) (migration 0012). */
export interface UpdateTemplateTable {
  id: string;
  kind: string;
  audience: string;
  body: string;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}
