import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { checkGroupDestinations, writeGroupMembers, type UrlCheck } from './group-members.js';
import { toGroupViews, type AudienceGroupView } from './group-view.js';
import { GroupInput } from './schemas.js';

/**
 * Creates or replaces an audience group (by slug) with its members. URLs pass the SSRF guard and
 * addresses are checked before anything is written. A generated webhook secret is shown once.
 */
export async function saveAudienceGroup({ ctx, input, checkUrl, newSecret }: { ctx: Ctx; input: unknown; checkUrl: UrlCheck; newSecret: () => string }): Promise<AudienceGroupView & { webhookSecret?: string }> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(GroupInput, input);
  await checkGroupDestinations(data, checkUrl);
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const existing = await tx.selectFrom('audience_groups').selectAll().where('slug', '=', data.slug).executeTakeFirst();
    if (existing) assertNotManaged(existing, `audience group ${data.slug}`);
    const id = existing?.id ?? newId('aug', now);
    if (existing) await tx.updateTable('audience_groups').set({ name: data.name, description: data.description, updated_at: now }).where('id', '=', id).execute();
    else await tx.insertInto('audience_groups').values({ id, slug: data.slug, name: data.name, description: data.description, managed_by: null, created_at: now, updated_at: now }).execute();
    const secret = await writeGroupMembers(tx, id, data, now, newSecret);
    await recordAudit(ctx, tx, { action: existing ? 'audience_group.update' : 'audience_group.create', target: id, data: { slug: data.slug } });
    const row = await tx.selectFrom('audience_groups').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const [view] = await toGroupViews(tx, [row]);
    return { ...view!, ...(secret ? { webhookSecret: secret } : {}) };
  });
}
