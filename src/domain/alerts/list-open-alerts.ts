import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { toAlertView, type AlertView } from './alert-queries.js';
import { matchesAll, parseMatchers, type LabelMatcher } from './matchers.js';

/**
 * The alerts not yet resolved, filtered by label matchers and by whether something holds them:
 * what `amtool alert query` and Grafana's Alertmanager data source ask an Alertmanager for.
 * Matchers run on labels after the read, so the scan is bounded: newest first, in pages, at most
 * SCAN_LIMIT rows looked at and RESULT_LIMIT returned (`truncated` says when it stopped early).
 */
const PAGE = 1000;
const SCAN_LIMIT = 50_000;
const RESULT_LIMIT = 5_000;

export const ListOpenAlertsInput = z.object({
  filter: z.array(z.string().max(4096)).max(64).default([]),
  /** Firing and not held by a silence or maintenance window. */
  active: z.boolean().default(true),
  /** Held by a silence or maintenance window. */
  silenced: z.boolean().default(true),
  integration: z.string().max(200).optional(),
});

export interface OpenAlert extends AlertView {
  integrationName: string;
  /** `active` (firing, paging as usual) or `suppressed` (held by `suppressedBy`). */
  state: 'active' | 'suppressed';
  /** When the sender said it ends (Alertmanager API alerts), else null. */
  endsAt: string | null;
}

export async function listOpenAlerts({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ alerts: OpenAlert[]; truncated: boolean }> {
  authorize(ctx.actor, 'read');
  const q = parseInput(ListOpenAlertsInput, input, 'query');
  const matchers = q.filter.flatMap((text, i) => parseMatchers(text, `filter.${i}`));
  return scanOpenAlerts(ctx, matchers, q);
}

/** The open alerts matching `matchers` (already parsed), newest first, within the scan bounds. */
export async function scanOpenAlerts(ctx: Ctx, matchers: readonly LabelMatcher[], q: { active: boolean; silenced: boolean; integration?: string | undefined }): Promise<{ alerts: OpenAlert[]; truncated: boolean }> {
  const integrations = new Map((await ctx.store.db.selectFrom('integrations').select(['id', 'name']).execute()).map((r) => [r.id, r.name]));
  const alerts: OpenAlert[] = [];
  let before: string | null = null;
  let scanned = 0;
  while (scanned < SCAN_LIMIT && alerts.length < RESULT_LIMIT) {
    let query = ctx.store.db.selectFrom('alerts').selectAll().where('status', '<>', 'resolved').orderBy('id', 'desc').limit(PAGE);
    if (q.integration) query = query.where('integration_id', '=', q.integration);
    if (before) query = query.where('id', '<', before);
    const rows = await query.execute();
    for (const row of rows) {
      const state = row.suppressed_by && row.status === 'firing' ? 'suppressed' : 'active';
      if (state === 'active' ? !q.active : !q.silenced) continue;
      const view = toAlertView(row);
      if (!matchesAll(matchers, view.labels)) continue;
      alerts.push({ ...view, integrationName: integrations.get(row.integration_id) ?? row.integration_id, state, endsAt: row.ends_at === null ? null : new Date(row.ends_at).toISOString() });
      if (alerts.length >= RESULT_LIMIT) break;
    }
    scanned += rows.length;
    if (rows.length < PAGE) return { alerts, truncated: false };
    before = rows.at(-1)!.id;
  }
  return { alerts, truncated: true };
}
