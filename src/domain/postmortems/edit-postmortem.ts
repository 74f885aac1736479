import { conflict, validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { resolveUsers } from './create-postmortem.js';
import { scheduleDueReminder } from './due-reminder.js';
import { findPostmortemRow, toPostmortemView, type PostmortemView } from './postmortem-view.js';
import { EditPostmortemInput } from './schemas.js';

/**
 * Saves the editor's changes: text, public text, owner, reviewers, due date. Conditional on the
 * version read (when given), so two people saving at once do not silently overwrite each other.
 * A published post-mortem is edited by returning it to draft first.
 */
export async function editPostmortem({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PostmortemView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(EditPostmortemInput, input);
  const now = ctx.clock.now();
  if (data.dueAt !== undefined && data.dueAt !== null && data.dueAt <= now) throw validation('dueAt', 'is in the past; a due date must be in the future');
  return ctx.store.transaction(async (tx) => {
    const row = await findPostmortemRow(tx, data.postmortem);
    if (data.version !== undefined && data.version !== Number(row.version)) throw conflict(`post-mortem ${row.id} was changed by someone else (version ${row.version}, you edited ${data.version}); reload and try again`);
    if (row.status === 'published' && (data.body !== undefined || data.title !== undefined)) throw conflict('the post-mortem is published; return it to draft to change its text');
    const set: Record<string, unknown> = {};
    if (data.title !== undefined) set['title'] = data.title;
    if (data.body !== undefined) set['body'] = data.body;
    if (data.publicBody !== undefined) set['public_body'] = data.publicBody;
    if (data.owner !== undefined) set['owner_id'] = data.owner === null ? null : (await resolveUsers(tx, [data.owner], 'owner'))[0];
    if (data.reviewers !== undefined) set['reviewers'] = JSON.stringify(await resolveUsers(tx, data.reviewers, 'reviewers'));
    if (data.dueAt !== undefined) set['due_at'] = data.dueAt;
    const updated = await tx
      .updateTable('postmortems')
      .set({ ...set, updated_at: now, version: Number(row.version) + 1 })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict(`post-mortem ${row.id} changed while you were saving; reload and try again`);
    if (data.dueAt !== undefined && row.status !== 'published') await scheduleDueReminder(ctx, tx, row.id, data.dueAt);
    await recordAudit(ctx, tx, { action: 'postmortem.edit', target: row.id, data: { fields: Object.keys(set) } });
    return toPostmortemView(tx, await findPostmortemRow(tx, row.id), now);
  });
}
