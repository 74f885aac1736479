import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { getRunbook } from './get-runbook.js';
import { lintDocumentOffLoop } from './import-off-loop.js';
import type { LintWarning } from './lint-runbook.js';

export const LintRunbookSourceInput = z
  .object({ markdown: z.string().optional(), runbook: z.string().trim().min(1).max(120).optional(), sourceName: z.string().max(300).default('lint.md') })
  .refine((v) => (v.markdown === undefined) !== (v.runbook === undefined), { message: 'give exactly one of markdown or runbook', path: ['markdown'] });

/** Lint warnings for a Markdown document (nothing stored) or for a stored runbook's current version. */
export async function lintRunbookSource({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ items: { runbook: string; warnings: LintWarning[] }[]; warnings: number }> {
  authorize(ctx.actor, 'read');
  const data = parseInput(LintRunbookSourceInput, input);
  let items: { runbook: string; warnings: LintWarning[] }[];
  if (data.markdown !== undefined) {
    items = await lintDocumentOffLoop(data.markdown, { sourceName: data.sourceName, now: ctx.clock.now() });
  } else {
    const rb = await getRunbook({ ctx, input: { runbook: data.runbook } });
    items = [{ runbook: rb.slug, warnings: rb.lint }];
  }
  return { items, warnings: items.reduce((n, i) => n + i.warnings.length, 0) };
}
