/** Shapes of /api/v1/alerts, /silences and /maintenance-windows (src/http/routes/alert-admin.ts); kept by hand so the UI builds on its own. */

export type AlertStatus = 'firing' | 'acknowledged' | 'resolved';
export const ALERT_STATUS_FILTERS = ['open', 'firing', 'acknowledged', 'suppressed', 'resolved'] as const;
export type AlertStatusFilter = (typeof ALERT_STATUS_FILTERS)[number];

export interface AlertDecision {
  kind: string;
  message: string;
  ruleId?: string | null;
}

export interface Alert {
  id: string;
  integrationId: string;
  dedupKey: string;
  status: AlertStatus;
  summary: string;
  description: string | null;
  severity: string | null;
  severityRaw: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  source: string | null;
  generatorUrl: string | null;
  runbookUrl: string | null;
  serviceId: string | null;
  incidentId: string | null;
  suppressedBy: string | null;
  flapping: boolean;
  count: number;
  decision: AlertDecision | null;
  startedAt: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

export interface AlertPage {
  alerts: Alert[];
  next: string | null;
  scanLimited: boolean;
}

export interface AlertDetail extends Alert {
  integrationName: string | null;
  incident: { id: string; number: number; title: string; status: string } | null;
  rawPayload: { id: string; receivedAt: string; format: string; body: string } | null;
}

/** The silences API's matcher (Alertmanager API v2). */
export interface ApiMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export type MatchOp = '=' | '!=' | '=~' | '!~';
export const MATCH_OPS: MatchOp[] = ['=', '!=', '=~', '!~'];

export function opOf(m: ApiMatcher): MatchOp {
  return m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
}

export function toApiMatcher(name: string, op: MatchOp, value: string): ApiMatcher {
  return { name, value, isRegex: op === '=~' || op === '!~', isEqual: op === '=' || op === '=~' };
}

export function matcherText(m: ApiMatcher): string {
  return `${m.name}${opOf(m)}${JSON.stringify(m.value)}`;
}

export type SilenceState = 'active' | 'pending' | 'expired';

export interface Silence {
  id: string;
  matchers: ApiMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  updatedAt: string;
  status: { state: SilenceState };
}

export interface PreviewAlert extends Alert {
  integrationName: string;
  state: 'active' | 'suppressed';
}

export interface SilencePreview {
  matchers: ApiMatcher[];
  total: number;
  alerts: PreviewAlert[];
  truncated: boolean;
}

export type MaintenanceState = 'pending' | 'active' | 'ended';

export interface MaintenanceWindow {
  id: string;
  services: string[];
  startsAt: string;
  endsAt: string;
  reason: string;
  active: boolean;
  state: MaintenanceState;
  createdBy: string | null;
  scheduledMaintenance: string | null;
}

/** `datetime-local` input value (local time, minutes) for an ISO instant. */
export function toLocalInput(iso: string | number): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The ISO instant of a `datetime-local` value, or undefined when empty (the server names a bad one). */
export function fromLocalInput(value: string): string | undefined {
  if (!value.trim()) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}
