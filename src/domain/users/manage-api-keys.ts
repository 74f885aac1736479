import { z } from 'zod';
import { actorId } from '../../core/actor.js';
import { notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize, can } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { iso, isoOrNull } from '../incidents/incident-view.js';
import { generateApiKey } from './api-key-format.js';

const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(['read', 'write', 'admin', 'ingest'])).min(1).default(['read']),
});

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  userId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/**
 * A user makes keys that act as themselves, limited by scopes. The token is returned once and
 * only its hash is kept. With a system actor (the operator on the host) the key has no owner.
 */
export async function createApiKey({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ApiKeyView & { token: string }> {
  const data = parseInput(CreateApiKeyInput, input);
  // Asking for a scope needs the permission it grants.
  authorize(ctx.actor, data.scopes.includes('admin') || data.scopes.includes('ingest') ? 'admin' : data.scopes.includes('write') ? 'respond' : 'read');
  const userId = ctx.actor.type === 'user' ? ctx.actor.id : ctx.actor.type === 'apiKey' ? ctx.actor.userId : null;
  const now = ctx.clock.now();
  const key = generateApiKey();
  const row = {
    id: newId('key', now),
    name: data.name,
    lookup: key.lookup,
    secret_hash: key.secretHash,
    scopes: JSON.stringify(data.scopes),
    user_id: userId,
    created_by: actorId(ctx.actor),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await ctx.store.transaction(async (tx) => {
    await tx.insertInto('api_keys').values(row).execute();
    await recordAudit(ctx, tx, { action: 'apikey.create', target: row.id, data: { name: data.name, scopes: data.scopes } });
  });
  return { ...toView(row), token: key.token };
}

export async function listApiKeys({ ctx }: { ctx: Ctx }): Promise<ApiKeyView[]> {
  authorize(ctx.actor, 'read');
  let query = ctx.store.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc');
  // Admins see every key; others only their own.
  if (!can(ctx.actor, 'admin')) {
    query = query.where('user_id', '=', ctx.actor.type === 'user' ? ctx.actor.id : ctx.actor.type === 'apiKey' ? (ctx.actor.userId ?? '') : '');
  }
  return (await query.execute()).map(toView);
}

export async function revokeApiKey({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<ApiKeyView> {
  authorize(ctx.actor, 'read');
  return ctx.store.transaction(async (tx) => {
    const row = await tx.selectFrom('api_keys').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!row) throw notFound('API key', input.id);
    const own = (ctx.actor.type === 'user' && row.user_id === ctx.actor.id) || (ctx.actor.type === 'apiKey' && row.user_id !== null && row.user_id === ctx.actor.userId);
    if (!own) authorize(ctx.actor, 'admin');
    if (row.revoked_at === null) {
      const now = ctx.clock.now();
      await tx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', row.id).where('revoked_at', 'is', null).execute();
      await recordAudit(ctx, tx, { action: 'apikey.revoke', target: row.id, data: { name: row.name } });
      row.revoked_at = now;
    }
    return toView(row);
  });
}

function toView(row: { id: string; name: string; lookup: string; scopes: string; user_id: string | null; created_at: number; last_used_at: number | null; revoked_at: number | null }): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: `fbk_${row.lookup}_…`,
    scopes: JSON.parse(row.scopes) as string[],
    userId: row.user_id,
    createdAt: iso(row.created_at),
    lastUsedAt: isoOrNull(row.last_used_at),
    revokedAt: isoOrNull(row.revoked_at),
  };
}
