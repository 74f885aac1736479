import { z } from 'zod';
import { wholeNumberText } from '../../core/input-schemas.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { iso } from '../incidents/incident-view.js';

export interface AuditEntryView {
  seq: number;
  id: string;
  at: string;
  actor: { type: string; id: string | null; name: string };
  action: string;
  target: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  hash: string;
}

const ListAuditInput = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: wholeNumberText('is not a cursor this server gave out').optional(),
  /** `user.update` matches that action; `user` matches every `user.*` action. */
  action: z.string().trim().min(1).max(100).optional(),
});

/** Newest first, paged by sequence number. */
export async function listAudit({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(ListAuditInput, input);
  let query = ctx.store.db.selectFrom('audit_log').selectAll();
  if (data.cursor) query = query.where('seq', '<', Number(data.cursor));
  if (data.action) {
    const action = data.action;
    query = action.includes('.')
      ? query.where('action', '=', action)
      : query.where((eb) => eb.or([eb('action', '=', action), eb('action', 'like', `${action.replace(/[\\%_]/g, '')}.%`)]));
  }
  const rows = await query.orderBy('seq', 'desc').limit(data.limit + 1).execute();
  const page = rows.slice(0, data.limit);
  return {
    items: page.map((r) => ({
      seq: r.seq,
      id: r.id,
      at: iso(r.at),
      actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
      action: r.action,
      target: r.target,
      data: JSON.parse(r.data) as Record<string, unknown>,
      ip: r.ip,
      hash: r.hash,
    })),
    nextCursor: rows.length > data.limit ? String(page.at(-1)!.seq) : null,
  };
}
