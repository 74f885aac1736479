import { z } from 'zod';
import { parseInput } from '../../../core/validate.js';
import type { Db, Tx } from '../../../store/index.js';
import { authorize } from '../../access/authorize.js';
import type { Ctx } from '../../context.js';
import { documentKey } from '../document-key.js';
import { prepareImportOffLoop } from '../import-off-loop.js';
import { readCurrentState, type CurrentSeverity, type CurrentState } from './current-state.js';
import { alignRoleNames, diffPlan, effectiveLadder, placeholderViews, resolvePlaceholders } from './diff-plan.js';
import { planYaml } from './plan-yaml.js';
import type { PlaceholderView, PlanEntry, PlannedObject, ProcessPlan } from './types.js';

/** `team:platform`, `user:ana@example.com`, `schedule:Primary`: what a placeholder maps to. */
const MapTarget = z.string().trim().max(300).regex(/^(user|team|schedule):\S/, 'write user:EMAIL, team:SLUG or schedule:NAME');

export const PlanInput = z.object({
  markdown: z.string().max(5_000_000),
  sourceName: z.string().trim().min(1).max(300).default('upload.md'),
  /** Placeholder name → target; merged over the mapping this document was last applied with. */
  map: z.record(z.string().trim().min(1).max(200), MapTarget).default({}),
});

export interface ProcessPlanView {
  sourceName: string;
  documentKey: string;
  entries: PlanEntry[];
  placeholders: PlaceholderView[];
  notes: string[];
  summary: { add: number; change: number; unchanged: number; blocked: number };
}

export interface PreparedPlan {
  view: ProcessPlanView;
  original: PlannedObject[];
  resolved: PlannedObject[];
  current: CurrentState;
  mapping: Map<string, string>;
  /** The severity ladder as it would be written (document levels + what the database keeps). */
  ladder: CurrentSeverity[] | null;
}

/** The document's process, parsed off the event loop when the document is large (import-off-loop.ts), like an import. */
export async function parseProcess(ctx: Ctx, data: z.output<typeof PlanInput>): Promise<ProcessPlan> {
  return (await prepareImportOffLoop(data.markdown, { sourceName: data.sourceName, now: ctx.clock.now() })).process;
}

/** The document's process compared with the database (`db`, or the apply's transaction: parse before opening it). */
export async function preparePlan(ctx: Ctx, db: Db | Tx, data: z.output<typeof PlanInput>, parsed?: ProcessPlan): Promise<PreparedPlan> {
  const plan = parsed ?? (await parseProcess(ctx, data));
  const key = documentKey(data.sourceName);
  const current = await readCurrentState(db);
  const stored = await db.selectFrom('import_placeholder_maps').select(['placeholder', 'target']).where('document_key', '=', key).execute();
  const mapping = new Map(stored.map((r) => [r.placeholder, r.target]));
  for (const [name, target] of Object.entries(data.map)) mapping.set(name.toLowerCase(), target);
  // A mapped target written back by name (user:EMAIL…) compares with the database's spelling.
  const resolved = alignRoleNames(resolvePlaceholders(plan.objects, mapping), current);
  const entries = diffPlan(plan.objects, resolved, current);
  const severities = resolved.find((o) => o.kind === 'severities');
  const ladder = severities ? effectiveLadder(severities.config, current.severities) : null;
  const summary = { add: 0, change: 0, unchanged: 0, blocked: 0 };
  for (const e of entries) summary[e.action]++;
  return {
    view: { sourceName: data.sourceName, documentKey: key, entries, placeholders: placeholderViews(plan.objects, mapping), notes: plan.notes, summary },
    original: plan.objects, resolved, current, mapping, ladder,
  };
}

/** What importing the document would set up, compared with the database: nothing is written. */
export async function planRunbookImport({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ProcessPlanView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(PlanInput, input);
  return (await preparePlan(ctx, ctx.store.db, data)).view;
}

export const ExportInput = PlanInput.extend({ select: z.array(z.string().min(1).max(300)).max(500).optional() });

/** The plan (or the selected objects) as a firebreak.yaml fragment. */
export async function exportImportPlanYaml({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ yaml: string }> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(ExportInput, input);
  const prepared = await preparePlan(ctx, ctx.store.db, data);
  const chosen = data.select ? new Set(data.select) : null;
  const objects = prepared.resolved.filter((o) => !chosen || chosen.has(o.id));
  const ladder = objects.some((o) => o.kind === 'severities') ? prepared.ladder : null;
  return { yaml: planYaml(objects, ladder, prepared.view.placeholders, data.sourceName) };
}
