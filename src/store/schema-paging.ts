/** Row shapes of migration 0004 (paging); see schema.ts for the conventions. */

export interface ScheduleTable {
  id: string;
  team_id: string | null;
  name: string;
  time_zone: string;
  /** JSON: Layer[] */
  layers: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface ScheduleOverrideTable {
  id: string;
  schedule_id: string;
  user_id: string;
  replaces_user_id: string | null;
  start_at: number;
  end_at: number;
  created_by: string | null;
  created_at: number;
}

export interface EscalationPolicyTable {
  id: string;
  team_id: string | null;
  name: string;
  /** JSON: EscalationLevel[] */
  levels: string;
  repeat: number;
  repeat_delay_seconds: number;
  ack_timeout_seconds: number | null;
  catch_up: string;
  /** JSON: EscalationCondition | null */
  condition: string | null;
  /** JSON: EscalationPolicy['ifUnresolved'] | null (migration 0023). */
  if_unresolved: string | null;
  /** `config` when declared in firebreak.yaml (migration 0024); null: made through the API or an import plan. */
  managed_by?: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface IncidentEscalationTable {
  incident_id: string;
  policy_id: string | null;
  /** JSON: EscalationSnapshot */
  snapshot: string;
  /** JSON: EscalationState */
  state: string;
  status: string;
  generation: number;
  created_at: number;
  updated_at: number;
}

export interface ContactMethodTable {
  id: string;
  user_id: string;
  kind: string;
  label: string;
  address: string;
  verified: number;
  secret: string | null;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface NotificationRuleTable {
  id: string;
  user_id: string;
  contact_method_id: string;
  delay_seconds: number;
  created_at: number;
}

export interface TimerTable {
  id: string;
  key: string;
  kind: string;
  /** JSON */
  payload: string;
  run_at: number;
  attempts: number;
  last_error: string | null;
  locked_by: string | null;
  locked_until: number | null;
  generation: number;
  created_at: number;
}

export interface DeliveryTable {
  id: string;
  incident_id: string | null;
  action_key: string;
  user_id: string | null;
  /** Null for a delivery to a status page subscriber (`subscriber_id`, migration 0017). */
  contact_method_id: string | null;
  channel: string;
  purpose: string;
  status: string;
  attempts: number;
  due_at: number;
  next_attempt_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  last_status_code: number | null;
  latency_ms: number | null;
  created_at: number;
  sent_at: number | null;
  /** The current attempt was cleared to go to the network at this time; null while it has not (see worker). */
  send_started_at: number | null;
  /**
   * The lane (migration 0013): 0 pages, 1 reminders, 2 stakeholder updates; lower is claimed
   * first. Optional here: the hot page inserts leave it to the column default (0).
   */
  priority?: number;
  /** A stakeholder update's delivery (migration 0016): the update and the audience it went to. */
  update_id?: string | null;
  audience?: string | null;
  /** A status page subscriber instead of a contact method (migration 0017). */
  subscriber_id?: string | null;
}

export interface PagingKeyTable {
  name: string;
  value: string;
  created_at: number;
}
