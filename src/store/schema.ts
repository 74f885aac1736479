/**
 * Row shapes as stored, identical on SQLite and PostgreSQL: text ids made by the app, times as
 * epoch-ms integers, booleans as 0/1, JSON as text. Repositories convert to domain shapes.
 */
export interface Database {
  counters: CounterTable;
  teams: TeamTable;
  users: UserTable;
  team_members: TeamMemberTable;
  services: ServiceTable;
  severities: SeverityTable;
  checklist_templates: ChecklistTemplateTable;
  incidents: IncidentTable;
  incident_roles: IncidentRoleTable;
  timeline_events: TimelineEventTable;
  tasks: TaskTable;
  api_keys: ApiKeyTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
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
  managed_by: string | null;
  created_at: number;
  updated_at: number;
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
}

export interface IncidentRoleTable {
  incident_id: string;
  role: string;
  user_id: string;
  assigned_at: number;
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
