import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { toRunbookSummary, type RunbookSummaryView } from './runbook-records.js';

export const ListRunbooksInput = z.object({
  q: z.string().trim().max(200).optional(),
  service: z.string().trim().max(80).optional(),
  limit: z.number().int().min(1).max(500).default(200),
});

/** The runbook library, by title; `q` searches slug, title and summary. */
export async function listRunbooks({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ items: RunbookSummaryView[] }> {
  authorize(ctx.actor, 'read');
  const data = parseInput(ListRunbooksInput, input);
  let query = ctx.store.db.selectFrom('runbooks').selectAll();
  if (data.q) {
    // `like` patterns escaped by hand: both dialects take the same ESCAPE-free form for these characters.
    const words = data.q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
    for (const word of words) {
      const pattern = `%${word.replace(/[%_]/g, '')}%`;
      query = query.where((eb) =>
        eb.or([eb(eb.fn('lower', ['slug']), 'like', pattern), eb(eb.fn('lower', ['title']), 'like', pattern), eb(eb.fn('lower', ['summary']), 'like', pattern)]),
      );
    }
  }
  if (data.service) query = query.where('service', '=', data.service);
  const rows = await query.orderBy('title').orderBy('id').limit(data.limit).execute();
  const now = ctx.clock.now();
  return { items: rows.map((r) => toRunbookSummary(r, now)) };
}
