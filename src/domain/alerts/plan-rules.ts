import { storableKey } from '../../core/storable-text.js';
import { matchesAll } from './matchers.js';
import type { AlertDecision, DecisionKind, RoutingRule } from './plan-alert-batch.js';
import type { IntegrationSettings } from './settings.js';
import type { AlertSignal } from './signal.js';

/**
 * The rules the alert-batch planner applies to one signal, each pure: the keys open alerts and
 * groups are found by, routing, the grouping key, severity mapping and ranking, and how long an
 * Alertmanager-API alert is kept after its `endsAt`.
 */

export const alertKey = (integrationId: string, dedupKey: string): string => `${integrationId}\u0000${dedupKey}`;
export const groupMapKey = (scope: string, groupKey: string): string => `${scope}\u0000${groupKey}`;

/** First matching rule wins; rules scoped to another integration are skipped. */
export function routeSignal(rules: readonly RoutingRule[], integrationId: string, labels: Record<string, string>): RoutingRule | null {
  for (const rule of rules) {
    if (rule.integrationId !== null && rule.integrationId !== integrationId) continue;
    if (matchesAll(rule.matchers, labels)) return rule;
  }
  return null;
}

/** The grouping key of a signal under the integration's settings. */
export function groupKeyFor(settings: IntegrationSettings, signal: AlertSignal): string {
  // Label values and senders' group keys have no length limit; the key is indexed.
  return storableKey(unboundedGroupKey(settings, signal));
}

function unboundedGroupKey(settings: IntegrationSettings, signal: AlertSignal): string {
  if (settings.grouping === 'alert') return `alert:${signal.dedupKey}`;
  if (settings.grouping === 'labels') {
    return `labels:${settings.groupBy.map((name) => `${name}=${JSON.stringify(signal.labels[name] ?? '')}`).join(',')}`;
  }
  if (signal.groupKey) return `sender:${signal.groupKey}`;
  const name = signal.labels.alertname;
  return name ? `alertname:${name}` : `alert:${signal.dedupKey}`;
}

export function scopeFor(serviceId: string | null, integrationId: string): string {
  return serviceId ?? `int:${integrationId}`;
}

const BUILTIN_SEVERITY_RANK: Record<string, number> = {
  critical: 0, crit: 0, page: 0, p1: 0, sev1: 0, 'sev-1': 0, emergency: 0, fatal: 0, disaster: 0,
  error: 1, high: 1, major: 1, p2: 1, sev2: 1, 'sev-2': 1, alert: 1,
  warning: 2, warn: 2, medium: 2, average: 2, p3: 2, sev3: 2, 'sev-3': 2,
  info: 3, low: 3, minor: 3, p4: 3, p5: 3, sev4: 3, 'sev-4': 3, notice: 3, information: 3,
};

/**
 * Sender severity → Firebreak severity key: the integration's map, then the built-in map onto
 * the configured levels by rank (`critical` → the most severe level), else the second level.
 */
export function mapSeverity(raw: string | null, settings: IntegrationSettings, severities: readonly string[]): string | null {
  if (severities.length === 0) return null;
  const lower = raw?.trim().toLowerCase() ?? '';
  for (const [from, to] of Object.entries(settings.severityMap)) {
    if (from.toLowerCase() === lower) return severities.find((s) => s.toLowerCase() === to.toLowerCase()) ?? to;
  }
  const direct = severities.find((s) => s.toLowerCase() === lower);
  if (direct) return direct;
  const rank = BUILTIN_SEVERITY_RANK[lower] ?? 1;
  return severities[Math.min(rank, severities.length - 1)] ?? null;
}

export function mostSevere(a: string | null, b: string | null, severities: readonly string[]): string | null {
  if (a === null) return b;
  if (b === null) return a;
  const ia = severities.indexOf(a);
  const ib = severities.indexOf(b);
  if (ia === -1) return b;
  if (ib === -1) return a;
  return ia <= ib ? a : b;
}

/** Expiry is stored late by up to this much, so a client re-posting every interval does not write every time. */
const MAX_EXPIRY_SLACK_MS = 60_000;

/**
 * The expiry to store for an alert posted with `expiresAt`, or null when the stored one already
 * covers it (no write). Stored with slack (a quarter of the time left, at most a minute): a
 * Prometheus re-posting every minute with `endsAt` four intervals ahead then writes every other
 * post instead of every post. The alert never expires before the `endsAt` it was last sent with,
 * and at most the slack after it.
 */
export function expiryToStore(expiresAt: number, stored: number | null | undefined, now: number): number | null {
  if (stored !== null && stored !== undefined && expiresAt <= stored) return null;
  return expiresAt + Math.min(Math.max(0, Math.floor((expiresAt - now) / 4)), MAX_EXPIRY_SLACK_MS);
}

/** True when `candidate` is a level of the scheme above `current` (an unknown level never is, nor is it raised from). */
export function isMoreSevere(candidate: string | null, current: string | null, severities: readonly string[]): boolean {
  if (candidate === null || current === null) return false;
  const c = severities.indexOf(candidate);
  const i = severities.indexOf(current);
  return c !== -1 && i !== -1 && c < i;
}

/** A decision with nothing but its kind, key and message set; `extra` fills in the rest. */
export function decision(kind: DecisionKind, dedupKey: string, message: string, extra: Partial<AlertDecision> = {}): AlertDecision {
  return { kind, dedupKey, alertId: null, incidentId: null, ruleId: null, suppressedBy: null, message, ...extra };
}
