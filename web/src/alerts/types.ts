/** Alerts, silences and maintenance windows (src/http/routes/alert-admin.ts): aliases of the server's views and the UI's words. */
import type { components } from '../api/schema.js';

type View = components['schemas'];

export const ALERT_STATUS_FILTERS = ['open', 'firing', 'acknowledged', 'suppressed', 'resolved'] as const;
export type AlertStatusFilter = (typeof ALERT_STATUS_FILTERS)[number];

export type Alert = View['Alert'];
export type AlertPage = View['AlertPage'];
export type AlertDetail = View['AlertDetail'];
export type IncidentAlert = View['IncidentAlert'];
export type IncidentAlertsPage = View['IncidentAlertsPage'];
export type ApiMatcher = View['ApiMatcher'];
export type Silence = View['Silence'];
export type SilenceState = Silence['status']['state'];
export type SilencePreview = View['SilencePreview'];
export type MaintenanceWindow = View['MaintenanceWindow'];

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
