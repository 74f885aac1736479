import { AppError } from '../../../core/errors.js';
import { re2SyntaxError } from '../../../core/re2.js';
import { normaliseSeverityId } from '../severity-scheme.js';
import type { RunbookTargets } from '../targets.js';
import { parseReviewIntervalDays, targetSeconds } from '../targets.js';
import type { Ctx } from './context.js';
import type { Section } from './sections.js';
import { allBlocks, trimEmphasisEnd } from './sections.js';
import type { AlertMatcher, RunbookDraft } from './types.js';

/** Owner, review cycle and last-reviewed date (italic footers, front matter), and front-matter overrides. */

export function readMetadataFooter(ctx: Ctx, root: Section): void {
  for (const block of allBlocks(root)) {
    if (block.type !== 'paragraph') continue;
    let all = true;
    const found: [string, string][] = [];
    for (const line of block.text.split('\n')) {
      // The key by regex; the value's trailing `*`, `_` and spaces by hand (a lazy `(.+?)[*_\s]*$`
      // was quadratic on a long line).
      const m = /^[*_\s]*(last updated|last reviewed|reviewed|owner|owned by|maintainer|review cycle|review interval|review)[*_\s]*:/i.exec(line);
      const value = m ? trimEmphasisEnd(line.slice(m[0].length)).trim() : '';
      if (m && value !== '') found.push([m[1]!.toLowerCase(), value]);
      else all = false;
    }
    if (!all || found.length === 0) continue;
    ctx.consumed.add(block);
    for (const [key, value] of found) {
      if (/owner|maintainer/.test(key)) ctx.document.owner = value;
      else if (/cycle|interval/.test(key) || key === 'review') {
        const days = parseReviewIntervalDays(value);
        if (days) ctx.document.reviewIntervalDays = days;
      } else {
        const date = lenientDate(value);
        if (date) ctx.document.reviewedAt = date;
      }
    }
  }
}

/**
 * "2024" or "March 2024" names a period; we take its last day so a review is never reported
 * overdue earlier than the author's words allow.
 */
export function lenientDate(text: string): string | undefined {
  const t = text.trim();
  const year = /^(\d{4})$/.exec(t);
  if (year) return `${year[1]}-12-31`;
  const ym = /^(\d{4})-(\d{2})$/.exec(t);
  if (ym) {
    const last = new Date(Date.UTC(Number(ym[1]), Number(ym[2]), 0));
    return last.toISOString().slice(0, 10);
  }
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) return undefined;
  if (/^[A-Za-z]+\s+\d{4}$/.test(t)) {
    const d = new Date(ms);
    return new Date(Date.UTC(d.getFullYear(), d.getMonth() + 1, 0)).toISOString().slice(0, 10);
  }
  return new Date(ms).toISOString().slice(0, 10);
}

export interface RunbookFields {
  matchers?: AlertMatcher[];
  service?: string;
  severity?: string;
  owner?: string;
  reviewIntervalDays?: number;
  reviewedAt?: string;
  targets?: RunbookTargets;
}

export function frontMatterError(field: string, message: string): AppError {
  return new AppError('VALIDATION', `frontMatter.${field}: ${message}`, { issues: [{ field: `frontMatter.${field}`, message }] });
}

/**
 * `name=value`, `name=~"re"`: what /^\s*(name)\s*(op)\s*"?(.*?)"?\s*$/ matched, by hand (that regex
 * backtracked cubically on a long front-matter string).
 */
export function matcherText(entry: string): AlertMatcher | undefined {
  const head = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)/.exec(entry);
  if (!head) return undefined;
  let value = entry.slice(head[0].length).trim();
  if (value.startsWith('"')) value = value.slice(1);
  if (value.endsWith('"')) value = value.slice(0, -1);
  if (/[\n\r\u2028\u2029]/.test(value)) return undefined;
  return { name: head[1]!, op: head[2] as AlertMatcher['op'], value };
}

export function readMatchers(value: unknown, field: string): AlertMatcher[] {
  const list = Array.isArray(value) ? value : [value];
  const out: AlertMatcher[] = [];
  list.forEach((entry, i) => {
    const first = out.length;
    if (typeof entry === 'string') {
      const m = matcherText(entry);
      if (m) out.push(m);
      else out.push({ name: 'alertname', op: '=', value: entry.trim() });
    } else if (entry && typeof entry === 'object') {
      const e = entry as Record<string, unknown>;
      if (typeof e['name'] === 'string' && typeof e['value'] === 'string') {
        const op = e['op'] ?? '=';
        if (op !== '=' && op !== '!=' && op !== '=~' && op !== '!~') throw frontMatterError(`${field}.${i}.op`, 'must be one of =, !=, =~, !~');
        out.push({ name: e['name'], op, value: e['value'] });
      } else {
        for (const [k, v] of Object.entries(e)) {
          if (typeof v !== 'string' && typeof v !== 'number') throw frontMatterError(`${field}.${i}`, 'label values must be strings');
          out.push({ name: k, op: '=', value: String(v) });
        }
      }
    } else throw frontMatterError(`${field}.${i}`, 'must be a string or a mapping');
    // Checked at import, so a pattern RE2 refuses is named instead of silently never matching.
    for (const m of out.slice(first)) {
      const error = m.op === '=~' || m.op === '!~' ? re2SyntaxError(m.value) : null;
      if (error !== null) throw frontMatterError(`${field}.${i}`, `invalid regular expression (RE2) in ${m.name}${m.op}"${m.value}": ${error}`);
    }
  });
  return out;
}

export function readTargets(value: unknown, field: string): RunbookTargets {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw frontMatterError(field, 'must be a mapping');
  const out: RunbookTargets = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = /ack|respon/i.test(k) ? 'acknowledgeSeconds' : /mitigat/i.test(k) ? 'mitigateSeconds' : /resol|recover|mttr/i.test(k) ? 'resolveSeconds' : undefined;
    if (!key) throw frontMatterError(`${field}.${k}`, 'unknown target (use acknowledge, mitigate or resolve)');
    const seconds = typeof v === 'number' ? v : typeof v === 'string' ? targetSeconds(v) : undefined;
    if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) throw frontMatterError(`${field}.${k}`, 'must be a duration such as "15 minutes"');
    out[key] = seconds;
  }
  return out;
}

export function readFields(data: Record<string, unknown>, prefix: string): RunbookFields {
  const f: RunbookFields = {};
  const str = (key: string): string | undefined => {
    const v = data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') throw frontMatterError(`${prefix}${key}`, 'must be a string');
    return String(v);
  };
  if (data['matchers'] !== undefined) f.matchers = readMatchers(data['matchers'], `${prefix}matchers`);
  if (data['alerts'] !== undefined) f.matchers = [...(f.matchers ?? []), ...readMatchers(data['alerts'], `${prefix}alerts`)];
  const service = str('service');
  if (service) f.service = service;
  const owner = str('owner');
  if (owner) f.owner = owner;
  const severity = str('severity');
  if (severity) {
    const id = normaliseSeverityId(severity);
    if (!id) throw frontMatterError(`${prefix}severity`, 'must be a level such as P1 or SEV-2');
    f.severity = id;
  }
  const review = data['review_interval'] ?? data['reviewInterval'] ?? data['review_interval_days'] ?? data['reviewIntervalDays'];
  if (review !== undefined) {
    const days = parseReviewIntervalDays(review);
    if (!days) throw frontMatterError(`${prefix}review_interval`, 'must be a number of days or e.g. "quarterly"');
    f.reviewIntervalDays = days;
  }
  const reviewed = data['reviewed'] ?? data['last_reviewed'] ?? data['lastReviewed'];
  if (reviewed !== undefined) {
    const date = reviewed instanceof Date ? reviewed.toISOString().slice(0, 10) : typeof reviewed === 'string' ? lenientDate(reviewed) : undefined;
    if (!date) throw frontMatterError(`${prefix}reviewed`, 'must be a date (YYYY-MM-DD)');
    f.reviewedAt = date;
  }
  if (data['targets'] !== undefined) f.targets = readTargets(data['targets'], `${prefix}targets`);
  return f;
}

export function applyFields(rb: RunbookDraft, f: RunbookFields, withMatchers: boolean): void {
  if (withMatchers && f.matchers) rb.matchers = f.matchers;
  if (f.service) rb.service = f.service;
  if (f.owner) rb.owner = f.owner;
  if (f.severity) rb.severity = f.severity;
  if (f.reviewIntervalDays) rb.reviewIntervalDays = f.reviewIntervalDays;
  if (f.reviewedAt) rb.reviewedAt = f.reviewedAt;
  if (f.targets) rb.targets = { ...rb.targets, ...f.targets };
}

/** Front matter is the author being exact: it overrides whatever was inferred. */
export function applyFrontMatter(ctx: Ctx): void {
  const data = ctx.parsed.frontMatter?.data;
  if (!data) return;
  const fields = readFields(data, '');
  const single = ctx.runbooks.length === 1;
  if (fields.matchers && !single) {
    ctx.report.warnings.push({ code: 'front-matter-matchers-ignored', message: `top-level matchers apply only to a single-runbook document (this one has ${ctx.runbooks.length}); use runbooks.<slug>.matchers` });
  }
  for (const rb of ctx.runbooks) applyFields(rb, fields, single);
  const per = data['runbooks'];
  if (per === undefined) return;
  if (!per || typeof per !== 'object' || Array.isArray(per)) throw frontMatterError('runbooks', 'must be a mapping of runbook slug to fields');
  for (const [slug, value] of Object.entries(per as Record<string, unknown>)) {
    const rb = ctx.runbooks.find((r) => r.slug === slug);
    if (!rb) throw frontMatterError(`runbooks.${slug}`, `no runbook with this slug (found: ${ctx.runbooks.map((r) => r.slug).join(', ')})`);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw frontMatterError(`runbooks.${slug}`, 'must be a mapping');
    applyFields(rb, readFields(value as Record<string, unknown>, `runbooks.${slug}.`), true);
  }
}

export function applyDocumentDefaults(ctx: Ctx): void {
  const doc = ctx.document;
  for (const rb of ctx.runbooks) {
    if (!rb.owner && doc.owner) rb.owner = doc.owner;
    if (!rb.reviewIntervalDays && doc.reviewIntervalDays) rb.reviewIntervalDays = doc.reviewIntervalDays;
    if (!rb.reviewedAt && doc.reviewedAt) rb.reviewedAt = doc.reviewedAt;
    // The severity scheme's response target is the runbook's acknowledge target by default.
    if (rb.targets.acknowledgeSeconds === undefined && rb.severity && doc.severityScheme) {
      const level = doc.severityScheme.levels.find((l) => l.id === rb.severity);
      if (level?.responseSeconds !== undefined) rb.targets.acknowledgeSeconds = level.responseSeconds;
    }
  }
}
