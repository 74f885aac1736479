import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { notFound } from '../../core/errors.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { iso } from '../incidents/incident-view.js';
import type { RunbookDraft } from './import-runbooks.js';
import { lintRunbook, type LintWarning } from './lint-runbook.js';
import type { MatcherRow } from './match-runbooks.js';
import { findRunbookRow, loadMatchers, parseStructure, toRunbookSummary, toVersionView, type RunbookSummaryView, type RunbookVersionView } from './runbook-records.js';

export const GetRunbookInput = z.object({
  runbook: z.string().trim().min(1).max(120),
  version: z.number().int().min(1).optional(),
});

export interface RunbookDetailView extends RunbookSummaryView {
  matchers: MatcherRow[];
  versions: RunbookVersionView[];
  /** The version shown (the current one unless asked). */
  shown: RunbookVersionView & { sourceMarkdown: string; structure: RunbookDraft };
  lint: LintWarning[];
  incidents: { id: string; number: number; title: string; status: string; isDrill: boolean; version: number; attachedAt: string; reason: string }[];
}

/** One runbook with its versions, matchers, lint and the incidents that followed it. */
export async function getRunbook({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RunbookDetailView> {
  authorize(ctx.actor, 'read');
  const data = parseInput(GetRunbookInput, input);
  const db = ctx.store.db;
  const row = await findRunbookRow(db, data.runbook);
  const versions = await db.selectFrom('runbook_versions').selectAll().where('runbook_id', '=', row.id).orderBy('version', 'desc').execute();
  const shown = versions.find((v) => v.version === (data.version ?? row.current_version));
  if (!shown) throw notFound('runbook version', `${row.slug}@${data.version}`);
  const structure = parseStructure(shown);
  const matchers = (await loadMatchers(db, [row.id])).get(row.id) ?? [];
  const runs = await db
    .selectFrom('runbook_runs')
    .innerJoin('incidents', 'incidents.id', 'runbook_runs.incident_id')
    .innerJoin('runbook_versions', 'runbook_versions.id', 'runbook_runs.runbook_version_id')
    .select(['incidents.id', 'incidents.number', 'incidents.title', 'incidents.status', 'incidents.is_drill', 'runbook_versions.version', 'runbook_runs.started_at', 'runbook_runs.reason'])
    .where('runbook_runs.runbook_id', '=', row.id)
    .orderBy('runbook_runs.started_at', 'desc')
    .limit(100)
    .execute();
  const now = ctx.clock.now();
  return {
    ...toRunbookSummary(row, now),
    matchers,
    versions: versions.map(toVersionView),
    shown: { ...toVersionView(shown), sourceMarkdown: shown.source_markdown, structure },
    lint: lintRunbook(structure, { now }),
    incidents: runs.map((r) => ({ id: r.id, number: r.number, title: r.title, status: r.status, isDrill: r.is_drill === 1, version: r.version, attachedAt: iso(r.started_at), reason: r.reason })),
  };
}
