import { AppError } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import type { Ctx } from '../context.js';
import { findPageRow } from '../statuspages/find-page.js';
import { SubscriberTokenInput } from './schemas.js';

const invalid = () => new AppError('NOT_FOUND', 'this link is not valid (any more): subscribe again from the status page');

/** The double opt-in link (POSTed from its confirm page): the subscriber starts receiving updates. */
export async function confirmSubscriber({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ page: string }> {
  const data = parseInput(SubscriberTokenInput, input);
  return ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    const row = await tx.selectFrom('status_subscribers').select(['id', 'confirmed_at']).where('page_id', '=', page.id).where('token', '=', data.token).executeTakeFirst();
    if (!row) throw invalid();
    const now = ctx.clock.now();
    if (row.confirmed_at === null) await tx.updateTable('status_subscribers').set({ confirmed_at: now, updated_at: now }).where('id', '=', row.id).execute();
    return { page: page.name };
  });
}

/**
 * One-click unsubscribe (RFC 8058: the mail's List-Unsubscribe POST, or the link's button): the
 * subscriber and its unsent deliveries are deleted. An unknown token answers the same, so a
 * repeated click is not an error.
 */
export async function unsubscribe({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ page: string }> {
  const data = parseInput(SubscriberTokenInput, input);
  return ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    const row = await tx.selectFrom('status_subscribers').select('id').where('page_id', '=', page.id).where('token', '=', data.token).executeTakeFirst();
    if (row) await removeSubscriberRow(tx, row.id);
    return { page: page.name };
  });
}

export async function removeSubscriberRow(tx: import('../../store/index.js').Tx, id: string): Promise<void> {
  await tx.deleteFrom('deliveries').where('subscriber_id', '=', id).where('status', '=', 'pending').execute();
  await tx.deleteFrom('status_subscribers').where('id', '=', id).execute();
}
