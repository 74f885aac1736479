import { actorId } from '../../core/actor.js';
import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { hashAuditEntry } from './audit-chain.js';

/**
 * Appends one audit entry inside the caller's transaction, so the change and its record commit
 * together or not at all. The chain head row is locked first: on PostgreSQL that serialises
 * writers from every instance, so the chain never forks.
 */
export async function recordAudit(
  ctx: Ctx,
  tx: Tx,
  entry: { action: string; target?: string | null; data?: Record<string, unknown> },
): Promise<void> {
  const head = await ctx.store.dialect
    .forUpdate(tx.selectFrom('audit_head').select(['seq', 'hash']).where('chain', '=', 'main'))
    .executeTakeFirstOrThrow();
  const at = ctx.clock.now();
  const fields = {
    seq: head.seq + 1,
    id: newId('aud', at),
    at,
    actor_type: ctx.actor.type,
    actor_id: actorId(ctx.actor),
    actor_name: ctx.actor.name,
    action: entry.action,
    target: entry.target ?? null,
    data: JSON.stringify(entry.data ?? {}),
    ip: ctx.ip ?? null,
  };
  const hash = hashAuditEntry(head.hash, fields);
  await tx.insertInto('audit_log').values({ ...fields, prev_hash: head.hash, hash }).execute();
  await tx.updateTable('audit_head').set({ seq: fields.seq, hash }).where('chain', '=', 'main').execute();
}
