import type { LabelMatcher } from './types.js';

/**
 * Label matchers as people write them, one per line or comma-separated, Alertmanager style:
 * `service="checkout"`, `env!=staging`, `instance=~"db-.*"`. Quotes are optional.
 */
const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_.\-/]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^,"]*?))\s*$/;

export function parseMatchers(text: string): { matchers: LabelMatcher[]; error: string | null } {
  const matchers: LabelMatcher[] = [];
  for (const part of text.split(/\n|,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    if (part.trim() === '') continue;
    const m = MATCHER.exec(part);
    if (!m) return { matchers, error: `"${part.trim()}" is not a matcher like name="value", name!=value, name=~regex or name!~regex` };
    const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
    matchers.push({ name: m[1]!, op: m[2] as LabelMatcher['op'], value });
  }
  return { matchers, error: null };
}

export function formatMatchers(matchers: readonly LabelMatcher[] | undefined): string {
  return (matchers ?? []).map((m) => `${m.name}${m.op}"${m.value.replace(/(["\\])/g, '\\$1')}"`).join(', ');
}

/** `name=value` lines (dry-run labels) → a record; a line without `=` is an error. */
export function parseLabels(text: string): { labels: Record<string, string>; error: string | null } {
  const labels: Record<string, string> = {};
  for (const line of text.split(/\n|,/)) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq < 1) return { labels, error: `"${line.trim()}" is not name=value` };
    labels[line.slice(0, eq).trim()] = line.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { labels, error: null };
}
