/** The server's escalation policy views (src/domain/paging/manage-policies.ts, preview-escalation.ts). */
export type TargetType = 'user' | 'schedule' | 'team';

export interface Target {
  type: TargetType;
  id: string;
}

export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface Condition {
  matchers?: LabelMatcher[];
  severities?: string[];
  firingAlerts?: { atLeast: number; matchers?: LabelMatcher[] };
}

export interface Level {
  delaySeconds: number;
  targets: Target[];
  roundRobin?: boolean;
  condition?: Condition;
}

export interface UnresolvedEntry {
  afterSeconds: number;
  targets: Target[];
}

export interface Policy {
  id: string;
  name: string;
  teamId: string | null;
  levels: Level[];
  repeat: number;
  repeatDelaySeconds: number;
  ackTimeoutSeconds?: number | null;
  catchUp: 'late-but-once' | 'skip-to-current';
  condition?: Condition;
  ifUnresolved?: UnresolvedEntry[];
  severities: string[];
  usedBy: string[];
  version: number;
}

export interface PreviewPerson {
  id: string;
  name: string;
  email: string;
  disabled: boolean;
  reachable: boolean;
}

export interface PreviewStep {
  at: string;
  offsetSeconds: number;
  kind: 'page' | 'skip' | 'if-unresolved';
  level: number | null;
  round: number | null;
  targets: { type: TargetType; id: string; name: string; people: PreviewPerson[] }[];
  paged: PreviewPerson[];
  reason: string;
}

export interface Preview {
  policy: { id: string; name: string };
  severity: string | null;
  labels: Record<string, string>;
  startsAt: string;
  steps: PreviewStep[];
  end: string;
}

/** What a target picker offers: every user, schedule and team by id with a name to show. */
export interface TargetChoices {
  user: { id: string; name: string; disabled?: boolean }[];
  schedule: { id: string; name: string }[];
  team: { id: string; name: string }[];
}
