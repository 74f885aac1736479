import { fullMatchRe2 } from '../../core/re2.js';

/**
 * Which runbooks belong to an incident. Pure: the caller reads the runbooks' matchers, the
 * incident's alerts and fields. A runbook is attached when
 *
 * - an alert's `runbook_url` annotation names it (its slug is the URL's last path segment or
 *   fragment, or a `runbook_url` matcher of the runbook matches the URL), or
 * - all of its label matchers match one alert's labels (Alertmanager semantics: regexes are
 *   anchored, a missing label reads as ""), or
 * - its service is the incident's service and, when it names a severity, the severity agrees.
 *
 * Severity alone never attaches a runbook: "every P1" is far too broad to be a match.
 */

export type MatcherKind = 'label' | 'service' | 'severity' | 'runbook_url';
export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface MatcherRow {
  kind: MatcherKind;
  name: string;
  op: MatchOp;
  value: string;
}

export interface MatchCandidate {
  id: string;
  slug: string;
  matchers: readonly MatcherRow[];
}

export interface MatchSubject {
  alerts: readonly { labels: Readonly<Record<string, string>>; runbookUrl: string | null }[];
  service: string | null;
  severity: string;
}

function test(op: MatchOp, value: string, actual: string): boolean {
  switch (op) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    // A pattern RE2 refuses (only in rows imported before RE2 validation) matches nothing.
    case '=~':
      return fullMatchRe2(value, actual) === true;
    case '!~':
      return fullMatchRe2(value, actual) === false;
  }
}

/** `SEV-1`, `sev1` and `Sev 1` are one level; P1 and SEV1 are not (different schemes). */
export function sameSeverity(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return norm(a) === norm(b);
}

/** Slug-like names a runbook URL carries: `…/runbooks/disk-full.md#mitigation` → disk-full, mitigation. */
export function namesInRunbookUrl(url: string): string[] {
  const names: string[] = [];
  let path = url;
  let fragment = '';
  try {
    const parsed = new URL(url, 'http://relative.invalid');
    path = parsed.pathname;
    fragment = parsed.hash.slice(1);
  } catch {
    // Keep the raw text.
  }
  const last = decodeURIComponentSafe(path.split('/').filter(Boolean).pop() ?? '');
  const base = last.replace(/\.(md|markdown|html?)$/i, '').toLowerCase();
  if (base) names.push(base);
  if (fragment) names.push(decodeURIComponentSafe(fragment).toLowerCase());
  return names;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Why the candidate matches the subject, or null. */
export function matchRunbook(candidate: MatchCandidate, subject: MatchSubject): string | null {
  const urlMatchers = candidate.matchers.filter((m) => m.kind === 'runbook_url');
  for (const alert of subject.alerts) {
    if (!alert.runbookUrl) continue;
    if (namesInRunbookUrl(alert.runbookUrl).includes(candidate.slug)) return `runbook_url: ${alert.runbookUrl}`;
    if (urlMatchers.some((m) => test(m.op, m.value, alert.runbookUrl!))) return `runbook_url: ${alert.runbookUrl}`;
  }
  const labels = candidate.matchers.filter((m) => m.kind === 'label');
  if (labels.length > 0) {
    for (const alert of subject.alerts) {
      if (labels.every((m) => test(m.op, m.value, alert.labels[m.name] ?? ''))) {
        return `labels: ${labels.map((m) => `${m.name}${m.op}${m.value}`).join(', ')}`;
      }
    }
  }
  const service = candidate.matchers.find((m) => m.kind === 'service');
  if (service && subject.service !== null && service.value === subject.service) {
    const severity = candidate.matchers.find((m) => m.kind === 'severity');
    if (!severity) return `service: ${service.value}`;
    if (sameSeverity(severity.value, subject.severity)) return `service: ${service.value}, severity: ${severity.value}`;
  }
  return null;
}
