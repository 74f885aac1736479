import { z } from 'zod';
import { conflict, notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { editLadder, levelIndex } from './edit-ladder.js';
import type { SeverityView } from './list-severities.js';
import { SeverityLevelInput } from './severity-scheme.js';

/** Any field of a level; checked against the level's schema once merged with what is stored. */
const LevelPatch = z.strictObject({
  ...Object.fromEntries(Object.keys(SeverityLevelInput.shape).map((k) => [k, z.unknown().optional()])),
  /** Move the level: 0 = most severe. */
  position: z.number().int().min(0).max(9).optional(),
});

/**
 * Changes one level (by key) and/or moves it up or down the ladder; answers the whole ladder.
 * Renaming the key is refused while open incidents use the old one, like removing it.
 */
export async function updateSeverity({ ctx, input }: { ctx: Ctx; input: { key: string; patch: unknown } }): Promise<SeverityView[]> {
  authorize(ctx.actor, 'admin');
  const { position, ...patch } = parseInput(LevelPatch, input.patch);
  return editLadder(ctx, { action: 'severity.update', key: input.key }, (levels) => {
    const index = levelIndex(levels, input.key);
    if (index < 0) throw notFound('severity', input.key);
    const merged = parseInput(SeverityLevelInput, { ...levels[index], ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) });
    const clash = levelIndex(levels, merged.key);
    if (clash >= 0 && clash !== index) throw conflict(`severity ${merged.key} already exists`);
    const rest = levels.filter((_, i) => i !== index);
    const at = Math.min(position ?? index, rest.length);
    return { levels: [...rest.slice(0, at), merged, ...rest.slice(at)], index: at };
  });
}
