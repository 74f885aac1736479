import { createHash } from 'node:crypto';
import { notFound, validation } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';
import type { RunbookTable, RunbookVersionTable } from '../../store/schema.js';
import { iso, isoOrNull } from '../incidents/incident-view.js';
import type { RunbookDraft, RunbookPhase, RunbookStep } from './import-runbooks.js';
import type { MatcherRow } from './match-runbooks.js';

/** Shapes the API returns for runbooks, and the row helpers the runbook verbs share. */

export interface RunbookSummaryView {
  id: string;
  slug: string;
  title: string;
  summary: string;
  service: string | null;
  severity: string | null;
  owner: string | null;
  reviewIntervalDays: number | null;
  lastReviewed: string | null;
  /** The review date plus the interval has passed. */
  reviewOverdue: boolean;
  version: number;
  managedBy: string | null;
  sourcePath: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RunbookVersionView {
  id: string;
  version: number;
  createdBy: string;
  createdAt: string;
}

const DAY_MS = 86_400_000;

export function toRunbookSummary(row: RunbookTable, now: number): RunbookSummaryView {
  let reviewOverdue = false;
  if (row.review_interval_days !== null) {
    const reviewed = row.last_reviewed ? Date.parse(`${row.last_reviewed}T00:00:00Z`) : NaN;
    reviewOverdue = !Number.isFinite(reviewed) || now > reviewed + row.review_interval_days * DAY_MS;
  }
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    service: row.service,
    severity: row.severity,
    owner: row.owner,
    reviewIntervalDays: row.review_interval_days,
    lastReviewed: row.last_reviewed,
    reviewOverdue,
    version: row.current_version,
    managedBy: row.managed_by,
    sourcePath: row.source_path,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toVersionView(row: Pick<RunbookVersionTable, 'id' | 'version' | 'created_by' | 'created_at'>): RunbookVersionView {
  return { id: row.id, version: row.version, createdBy: row.created_by, createdAt: iso(row.created_at) };
}

/** A runbook by id (`rb_…`) or slug. */
export async function findRunbookRow(db: Db | Tx, ref: string): Promise<RunbookTable> {
  const trimmed = ref.trim();
  const row = await db.selectFrom('runbooks').selectAll().where(trimmed.startsWith('rb_') ? 'id' : 'slug', '=', trimmed).executeTakeFirst();
  if (!row) throw notFound('runbook', ref);
  return row;
}

export async function findVersionRow(db: Db | Tx, id: string): Promise<RunbookVersionTable> {
  const row = await db.selectFrom('runbook_versions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('runbook version', id);
  return row;
}

export function parseStructure(row: Pick<RunbookVersionTable, 'structure'>): RunbookDraft {
  return JSON.parse(row.structure) as RunbookDraft;
}

/** Steps in reading order with their phase; a step's number in the API is its index here. */
export function flattenSteps(draft: RunbookDraft): { index: number; phase: RunbookPhase; phaseIndex: number; step: RunbookStep }[] {
  const out: { index: number; phase: RunbookPhase; phaseIndex: number; step: RunbookStep }[] = [];
  draft.phases.forEach((phase, phaseIndex) => {
    for (const step of phase.steps) out.push({ index: out.length, phase, phaseIndex, step });
  });
  return out;
}

/**
 * Content identity of a runbook: the parsed structure without its line number, so re-importing
 * an unchanged document (or one where only another section moved) makes no new version.
 */
export function contentHash(draft: RunbookDraft, runbookUrls: readonly string[]): string {
  const { line: _line, ...rest } = draft;
  return createHash('sha256').update(JSON.stringify({ rest, runbookUrls })).digest('hex');
}

/** Matcher rows stored for a draft: its label matchers, service, severity and runbook URLs. */
export function matcherRowsOf(draft: RunbookDraft, runbookUrls: readonly string[]): MatcherRow[] {
  const rows: MatcherRow[] = draft.matchers.map((m) => ({ kind: 'label', name: m.name, op: m.op, value: m.value }));
  if (draft.service) rows.push({ kind: 'service', name: 'service', op: '=', value: draft.service });
  if (draft.severity) rows.push({ kind: 'severity', name: 'severity', op: '=', value: draft.severity });
  for (const url of runbookUrls) rows.push({ kind: 'runbook_url', name: 'runbook_url', op: '=', value: url });
  return rows;
}

export async function loadMatchers(db: Db | Tx, runbookIds?: readonly string[]): Promise<Map<string, MatcherRow[]>> {
  let query = db.selectFrom('runbook_matchers').selectAll().orderBy('runbook_id').orderBy('position');
  if (runbookIds) {
    if (runbookIds.length === 0) return new Map();
    query = query.where('runbook_id', 'in', [...runbookIds]);
  }
  const rows = await query.execute();
  const out = new Map<string, MatcherRow[]>();
  for (const r of rows) {
    const list = out.get(r.runbook_id) ?? [];
    list.push({ kind: r.kind as MatcherRow['kind'], name: r.name, op: r.op as MatcherRow['op'], value: r.value });
    out.set(r.runbook_id, list);
  }
  return out;
}

/** `inc_…`/number path params and step numbers come in as text. */
export function stepNumber(value: unknown): number {
  const text = String(value ?? '');
  if (!/^\d{1,4}$/.test(text)) throw validation('step', 'must be a step number (0, 1, 2, …)');
  return Number(text);
}

export { iso, isoOrNull };
