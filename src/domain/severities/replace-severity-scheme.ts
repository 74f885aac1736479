import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { listSeverities, type SeverityView } from './list-severities.js';
import { SeveritySchemeInput, validateSeverityScheme } from './severity-scheme.js';
import { hasSchemeChanges, writeSeverityScheme } from './write-severity-scheme.js';

const ReplaceSchemeInput = z.object({ items: SeveritySchemeInput });

/** Replaces the whole ladder at once (order is rank, most severe first). */
export async function replaceSeverityScheme({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<SeverityView[]> {
  authorize(ctx.actor, 'admin');
  const levels = renameFields(() => validateSeverityScheme(parseInput(ReplaceSchemeInput, input).items));
  await ctx.store.transaction(async (tx) => {
    const managed = await tx.selectFrom('severities').select('managed_by').where('managed_by', 'is not', null).executeTakeFirst();
    if (managed) assertNotManaged(managed, 'the severity scheme');
    const changes = await writeSeverityScheme(ctx, tx, levels, null);
    if (hasSchemeChanges(changes)) {
      await recordAudit(ctx, tx, { action: 'severity.replace_scheme', target: null, data: { keys: levels.map((l) => l.key), ...changes } });
    }
  });
  return listSeverities({ ctx });
}

/** The shared check names fields `severities.N…`; in this body they are `items.N…`. */
function renameFields<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'VALIDATION') throw e;
    const issues = e.issues.map((i) => ({ ...i, field: i.field.replace(/^severities\./, 'items.') }));
    throw new AppError('VALIDATION', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
  }
}
