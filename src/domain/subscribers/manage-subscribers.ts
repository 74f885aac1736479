import { conflict, notFound } from '../../core/errors.js';
import { newId, randomToken } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { Email } from '../names.js';
import { findPageRow } from '../statuspages/find-page.js';
import { removeSubscriberRow } from './confirm-subscriber.js';
import { AddSubscriberInput, RemoveSubscriberInput } from './schemas.js';
import { enqueueConfirmation, resolveComponents, toSubscriberView, type SubscriberView } from './subscriber-view.js';
import { validation } from '../../core/errors.js';

/** Subscribers of a page with their addresses (admin only: addresses are private). */
export async function listSubscribers({ ctx, input }: { ctx: Ctx; input: { page: string } }): Promise<SubscriberView[]> {
  authorize(ctx.actor, 'admin');
  const page = await findPageRow(ctx.store.db, input.page);
  const rows = await ctx.store.db.selectFrom('status_subscribers').selectAll().where('page_id', '=', page.id).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => toSubscriberView(r, page.slug));
}

/**
 * An admin adds a subscriber. E-mail: unconfirmed with a confirmation mail, unless `confirmed`
 * (an import of people who agreed elsewhere). Webhook: confirmed at once, with a new signing
 * secret returned this once. The caller has checked a webhook URL against the outbound guard.
 */
export async function addSubscriber({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<SubscriberView & { secret?: string }> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(AddSubscriberInput, input);
  let address = data.address;
  if (data.kind === 'email') {
    const parsed = Email.safeParse(address);
    if (!parsed.success) throw validation('address', 'is not an email address');
    address = parsed.data;
  }
  const key = data.kind === 'email' ? address.toLowerCase() : address;
  return ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    const components = await resolveComponents(tx, page, data.components);
    if (await tx.selectFrom('status_subscribers').select('id').where('page_id', '=', page.id).where('kind', '=', data.kind).where('address_key', '=', key).executeTakeFirst()) {
      throw conflict(`this ${data.kind} subscriber is already on page ${page.slug}`);
    }
    const now = ctx.clock.now();
    const secret = data.kind === 'webhook' ? `whsec_${Buffer.from(randomToken(32), 'base64url').toString('base64')}` : null;
    const confirmed = data.kind === 'webhook' || data.confirmed;
    const row = {
      id: newId('sub', now), page_id: page.id, kind: data.kind, address, address_key: key, token: randomToken(24), secret,
      components: JSON.stringify(components), confirmed_at: confirmed ? now : null, confirm_sent_at: null, created_at: now, updated_at: now,
    };
    await tx.insertInto('status_subscribers').values(row).execute();
    if (!confirmed) await enqueueConfirmation(tx, row.id, now);
    // The address is not written to the audit log: it is the subscriber's private data.
    await recordAudit(ctx, tx, { action: 'statuspage.subscriber.add', target: row.id, data: { page: page.slug, kind: data.kind, confirmed } });
    return { ...toSubscriberView(row, page.slug), ...(secret ? { secret } : {}) };
  });
}

export async function removeSubscriber({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<void> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(RemoveSubscriberInput, input);
  await ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    const row = await tx.selectFrom('status_subscribers').select('id').where('page_id', '=', page.id)
      .where((eb) => eb.or([eb('id', '=', data.subscriber), eb('address_key', '=', data.subscriber.toLowerCase()), eb('address_key', '=', data.subscriber)])).executeTakeFirst();
    if (!row) throw notFound('subscriber', data.subscriber);
    await removeSubscriberRow(tx, row.id);
    await recordAudit(ctx, tx, { action: 'statuspage.subscriber.remove', target: row.id, data: { page: page.slug } });
  });
}
