/** Audience groups, their rules, and what an update says to each audience (migration 0016). */

export interface AudienceGroupTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

/** One destination of a group. `kind` email | slack | webhook (target: the address) or user | team (target: its id). */
export interface AudienceGroupMemberTable {
  id: string;
  group_id: string;
  kind: string;
  target: string;
  /** The generic webhook's signing secret (`whsec_…`). */
  secret: string | null;
  created_at: number;
}

export interface AudienceRuleTable {
  id: string;
  group_id: string;
  /** JSON: severity keys; [] = any. */
  severities: string;
  /** JSON: service slugs; [] = any. */
  services: string;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface UpdateMessageTable {
  update_id: string;
  audience: string;
  body: string;
}
