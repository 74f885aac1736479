import { z } from 'zod';
import { forbidden, notFound, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import type { Db, Tx } from '../../store/index.js';
import type { ContactMethodTable } from '../../store/schema.js';
import { authorize, can } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { findUser } from '../lookups.js';

/**
 * Contact methods and notification rules belong to a user: people manage their own, admins
 * anyone's. The address check (the SSRF guard for URL channels) is passed in by the caller,
 * because it does network lookups, which domain code does not do itself.
 */
export type AddressCheck = (kind: ContactKind, address: string) => Promise<void>;
export type ContactKind = 'webhook' | 'slack' | 'email' | 'ntfy';

const CreateInput = z.object({
  user: z.string().optional(),
  kind: z.enum(['webhook', 'slack', 'email', 'ntfy']),
  label: z.string().trim().min(1).max(100).optional(),
  address: z.string().trim().min(3).max(2000),
  /** Webhook signing secret (`whsec_…`); generated when absent. ntfy: an access token. Write-only. */
  secret: z.string().min(8).max(500).optional(),
});

const RuleInput = z.object({
  user: z.string().optional(),
  contactMethod: z.string(),
  delaySeconds: z.number().int().min(0).max(86_400),
});

export interface ContactMethodView {
  id: string;
  userId: string;
  kind: ContactKind;
  label: string;
  address: string;
  verified: boolean;
  hasSecret: boolean;
  disabledReason: string | null;
  createdAt: string;
}

export const contactMethodView = (row: ContactMethodTable): ContactMethodView => ({
  id: row.id,
  userId: row.user_id,
  kind: row.kind as ContactKind,
  label: row.label,
  address: row.address,
  verified: row.verified === 1,
  hasSecret: row.secret !== null,
  disabledReason: row.disabled_reason,
  createdAt: new Date(row.created_at).toISOString(),
});

/** The user a request is about: named, or the caller. Someone else's needs admin. */
async function subjectUser(ctx: Ctx, db: Db | Tx, ref: string | undefined): Promise<string> {
  const self = ctx.actor.type === 'user' ? ctx.actor.id : ctx.actor.type === 'apiKey' ? ctx.actor.userId : null;
  if (!ref) {
    if (!self) throw validation('user', 'name the user these belong to');
    return self;
  }
  const user = await findUser(db, ref).catch(() => { throw validation('user', `user ${ref} was not found`); });
  if (user.id !== self && !can(ctx.actor, 'admin')) throw forbidden("only an admin can change someone else's contact methods");
  return user.id;
}

export async function createContactMethod({ ctx, input, checkAddress, newSecret }: { ctx: Ctx; input: unknown; checkAddress: AddressCheck; newSecret: () => string }): Promise<ContactMethodView & { secret?: string }> {
  authorize(ctx.actor, 'read');
  const data = parseInput(CreateInput, input);
  const userId = await subjectUser(ctx, ctx.store.db, data.user);
  await checkAddress(data.kind, data.address);
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    const id = newId('cm', now);
    const secret = data.kind === 'webhook' ? (data.secret ?? newSecret()) : (data.secret ?? null);
    const row: ContactMethodTable = {
      id, user_id: userId, kind: data.kind, label: data.label ?? data.kind, address: data.address,
      verified: 0, secret, disabled_reason: null, created_at: now, updated_at: now,
    };
    await tx.insertInto('contact_methods').values(row).execute();
    await recordAudit(ctx, tx, { action: 'contact_method.created', target: id, data: { user: userId, kind: data.kind } });
    // The generated webhook secret is shown once, like an API key.
    return { ...contactMethodView(row), ...(data.kind === 'webhook' && !data.secret && secret ? { secret } : {}) };
  });
}

export async function listContactMethods({ ctx, input }: { ctx: Ctx; input: { user?: string | undefined } }): Promise<{ items: ContactMethodView[]; rules: { id: string; contactMethodId: string; delaySeconds: number }[] }> {
  authorize(ctx.actor, 'read');
  const userId = await subjectUser(ctx, ctx.store.db, input.user);
  const rows = await ctx.store.db.selectFrom('contact_methods').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
  const rules = await ctx.store.db.selectFrom('notification_rules').selectAll().where('user_id', '=', userId).orderBy('delay_seconds').execute();
  return { items: rows.map(contactMethodView), rules: rules.map((r) => ({ id: r.id, contactMethodId: r.contact_method_id, delaySeconds: r.delay_seconds })) };
}

export async function findContactMethod(ctx: Ctx, db: Db | Tx, id: string): Promise<ContactMethodTable> {
  const row = await db.selectFrom('contact_methods').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('contact method', id);
  await subjectUser(ctx, db, row.user_id);
  return row;
}

export async function deleteContactMethod({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  authorize(ctx.actor, 'read');
  await ctx.store.transaction(async (tx) => {
    const row = await findContactMethod(ctx, tx, input.id);
    await tx.deleteFrom('contact_methods').where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'contact_method.deleted', target: row.id, data: { user: row.user_id } });
  });
}

export async function createNotificationRule({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ id: string; contactMethodId: string; delaySeconds: number }> {
  authorize(ctx.actor, 'read');
  const data = parseInput(RuleInput, input);
  return ctx.store.transaction(async (tx) => {
    const cm = await findContactMethod(ctx, tx, data.contactMethod).catch(() => { throw validation('contactMethod', `contact method ${data.contactMethod} was not found`); });
    const userId = await subjectUser(ctx, tx, data.user ?? cm.user_id);
    if (cm.user_id !== userId) throw validation('contactMethod', 'belongs to another user');
    const now = ctx.clock.now();
    const id = newId('nr', now);
    await tx.insertInto('notification_rules').values({ id, user_id: userId, contact_method_id: cm.id, delay_seconds: data.delaySeconds, created_at: now }).execute();
    await recordAudit(ctx, tx, { action: 'notification_rule.created', target: id, data: { user: userId, contactMethod: cm.id, delaySeconds: data.delaySeconds } });
    return { id, contactMethodId: cm.id, delaySeconds: data.delaySeconds };
  });
}

export async function deleteNotificationRule({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  authorize(ctx.actor, 'read');
  await ctx.store.transaction(async (tx) => {
    const rule = await tx.selectFrom('notification_rules').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!rule) throw notFound('notification rule', input.id);
    await subjectUser(ctx, tx, rule.user_id);
    await tx.deleteFrom('notification_rules').where('id', '=', rule.id).execute();
    await recordAudit(ctx, tx, { action: 'notification_rule.deleted', target: rule.id, data: {} });
  });
}

/** Queues a test notification to one contact method; the worker sends it like any page. */
export async function testContactMethod({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<{ deliveryId: string }> {
  authorize(ctx.actor, 'read');
  return ctx.store.transaction(async (tx) => {
    const cm = await findContactMethod(ctx, tx, input.id);
    const now = ctx.clock.now();
    const id = newId('dlv', now);
    await tx.insertInto('deliveries').values({
      id, incident_id: null, action_key: `test:${id}`, user_id: cm.user_id, contact_method_id: cm.id, channel: cm.kind, purpose: 'test', status: 'pending',
      attempts: 0, due_at: now, next_attempt_at: now, locked_by: null, locked_until: null, last_error: null, last_status_code: null, latency_ms: null, created_at: now, sent_at: null,
    }).execute();
    return { deliveryId: id };
  });
}
