/** Shapes the API returns (see src/http/routes/*.ts); kept by hand so the UI builds on its own. */
export type IncidentStatus = 'triggered' | 'acknowledged' | 'investigating' | 'identified' | 'monitoring' | 'resolved';

export const INCIDENT_STATUSES: IncidentStatus[] = ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring', 'resolved'];

export interface Actor {
  type: 'user' | 'apiKey' | 'integration' | 'system';
  id?: string;
  name: string;
  role?: 'admin' | 'responder' | 'viewer';
  userId?: string | null;
}

export interface Session {
  actor: Actor;
  email: string | null;
  csrfToken: string | null;
}

export interface RoleAssignment {
  role: string;
  userId: string;
  userName: string;
  assignedAt: string;
}

export interface Task {
  id: string;
  title: string;
  position: number;
  source: string | null;
  done: boolean;
  doneBy: string | null;
  doneAt: string | null;
  /** Post-incident checklist tasks: when due, and their time window ("Immediate (0–1 h)"). */
  dueAt?: string;
  group?: string;
}

export interface Incident {
  id: string;
  number: number;
  title: string;
  summary: string;
  severity: string;
  status: IncidentStatus;
  service: { id: string; slug: string; name: string } | null;
  isDrill: boolean;
  createdBy: string | null;
  detectedAt: string;
  declaredAt: string;
  acknowledgedAt: string | null;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  /** Closed after resolution (post-mortem gate passed); absent from older servers. */
  closedAt?: string | null;
  updatedAt: string;
  version: number;
  roles: RoleAssignment[];
  /** Whom it was last re-assigned to by hand. */
  assignee: { id: string; name: string } | null;
  tasks?: Task[];
  /** Against the severity's targets (single-incident answers only); see docs/metrics.md. */
  targets?: { ack: TargetResult; resolve: TargetResult };
  /** The policy paging it and the level "page the next level now" would page; null: none (single-incident answers only). */
  escalation?: { policy: { id: string | null; name: string | null }; levels: number; nextLevel: number | null } | null;
}

export interface TargetResult {
  targetSeconds: number | null;
  actualSeconds: number | null;
  met: boolean | null;
  outcome: 'met' | 'missed' | 'pending' | 'notApplicable';
}

export interface TimelineEvent {
  id: string;
  incidentId: string;
  at: string;
  kind: string;
  actor: { type: string; id: string | null; name: string };
  body: string;
  data: Record<string, unknown>;
}

export interface Severity {
  key: string;
  rank: number;
  name: string;
  description: string;
  ackTargetSeconds: number | null;
  resolveTargetSeconds: number | null;
  updateCadenceSeconds: number | null;
  /** Incidents of this severity cannot be closed until their post-mortem is published. */
  postmortemRequired?: boolean;
}

/** From GET /users and /services when the server has them; the UI falls back to free text. */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
}

export interface ServiceSummary {
  id: string;
  slug: string;
  name: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}
