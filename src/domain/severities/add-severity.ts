import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { editLadder, levelIndex } from './edit-ladder.js';
import type { SeverityView } from './list-severities.js';
import { SeverityLevelInput } from './severity-scheme.js';

const AddSeverityInput = SeverityLevelInput.extend({
  /** Where on the ladder, 0 = most severe; default: the bottom. */
  position: z.number().int().min(0).max(9).optional(),
});

/** Adds one level to the ladder; answers the whole ladder. */
export async function addSeverity({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<SeverityView[]> {
  authorize(ctx.actor, 'admin');
  const { position, ...level } = parseInput(AddSeverityInput, input);
  return editLadder(ctx, { action: 'severity.create', key: level.key }, (levels) => {
    if (levelIndex(levels, level.key) >= 0) throw conflict(`severity ${level.key} already exists`);
    if (levels.length >= 10) throw conflict('a ladder has at most 10 levels; delete one first');
    const at = Math.min(position ?? levels.length, levels.length);
    return { levels: [...levels.slice(0, at), level, ...levels.slice(at)], index: at };
  });
}
