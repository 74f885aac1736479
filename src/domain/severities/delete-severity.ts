import { notFound } from '../../core/errors.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { editLadder, levelIndex } from './edit-ladder.js';
import type { SeverityView } from './list-severities.js';

/**
 * Removes one level; answers the ladder left. Refused (409) while open incidents use it (they
 * are named) or when it is the last level.
 */
export async function deleteSeverity({ ctx, input }: { ctx: Ctx; input: { key: string } }): Promise<SeverityView[]> {
  authorize(ctx.actor, 'admin');
  return editLadder(ctx, { action: 'severity.delete', key: input.key }, (levels) => {
    const index = levelIndex(levels, input.key);
    if (index < 0) throw notFound('severity', input.key);
    return { levels: levels.filter((_, i) => i !== index), index: null };
  });
}
