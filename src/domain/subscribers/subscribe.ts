import { randomToken, newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import type { Ctx } from '../context.js';
import { findPageRow } from '../statuspages/find-page.js';
import { SubscribeInput } from './schemas.js';
import { CONFIRM_RESEND_MS, enqueueConfirmation, resolveComponents } from './subscriber-view.js';

/** The one answer of the public form, whatever the address's state: it reveals nothing. */
export const SUBSCRIBE_ANSWER = 'If this address can be subscribed, a confirmation e-mail is on its way. Follow its link to start receiving updates.';

/**
 * The public subscribe form (no account, no actor): records an unconfirmed e-mail subscriber and
 * queues the confirmation mail. An address already confirmed is left exactly as it is (nobody
 * can change another person's subscription from the form); an unconfirmed one gets its mail
 * again, at most every few minutes. The answer is the same in every case.
 */
export async function subscribe({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ message: string }> {
  const data = parseInput(SubscribeInput, input);
  await ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    const components = await resolveComponents(tx, page, data.components);
    const now = ctx.clock.now();
    const existing = await tx.selectFrom('status_subscribers').selectAll().where('page_id', '=', page.id).where('kind', '=', 'email').where('address_key', '=', data.email).executeTakeFirst();
    if (existing?.confirmed_at != null) return;
    if (existing) {
      await tx.updateTable('status_subscribers').set({ components: JSON.stringify(components), updated_at: now }).where('id', '=', existing.id).execute();
      if (existing.confirm_sent_at === null || now - existing.confirm_sent_at >= CONFIRM_RESEND_MS) await enqueueConfirmation(tx, existing.id, now);
      return;
    }
    const id = newId('sub', now);
    await tx.insertInto('status_subscribers').values({
      id, page_id: page.id, kind: 'email', address: data.email, address_key: data.email, token: randomToken(24), secret: null,
      components: JSON.stringify(components), confirmed_at: null, confirm_sent_at: null, created_at: now, updated_at: now,
    }).onConflict((oc) => oc.columns(['page_id', 'kind', 'address_key']).doNothing()).execute();
    await enqueueConfirmation(tx, id, now);
  });
  return { message: SUBSCRIBE_ANSWER };
}
