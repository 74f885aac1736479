import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findService, findTeam } from '../lookups.js';
import { DisplayName, Slug } from '../names.js';
import { ServiceDescription } from './create-service.js';
import { toServiceViews, type ServiceView } from './service-view.js';

const UpdateServiceInput = z.object({
  service: z.string().min(1),
  slug: Slug.optional(),
  name: DisplayName.optional(),
  description: ServiceDescription.optional(),
  team: z.string().min(1).nullable().optional(),
});

export async function updateService({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ServiceView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(UpdateServiceInput, input);
  try {
    return await ctx.store.transaction(async (tx) => {
      const row = await findService(tx, data.service);
      const team = data.team === undefined ? undefined : data.team === null ? null : await findTeam(tx, data.team).catch(asFieldError('team'));
      const next = {
        slug: data.slug ?? row.slug,
        name: data.name ?? row.name,
        description: data.description ?? row.description,
        team_id: team === undefined ? row.team_id : (team?.id ?? null),
      };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of ['slug', 'name', 'description', 'team_id'] as const) {
        if (next[key] !== row[key]) changes[key === 'team_id' ? 'team' : key] = { from: row[key], to: key === 'team_id' ? (team?.slug ?? null) : next[key] };
      }
      if (Object.keys(changes).length === 0) return (await toServiceViews(tx, [row]))[0]!;
      assertNotManaged(row, `service ${row.slug}`);
      const now = ctx.clock.now();
      await tx.updateTable('services').set({ ...next, updated_at: now }).where('id', '=', row.id).execute();
      await recordAudit(ctx, tx, { action: 'service.update', target: row.id, data: { slug: next.slug, changes } });
      return (await toServiceViews(tx, [{ ...row, ...next, updated_at: now }]))[0]!;
    });
  } catch (e) {
    if (ctx.store.dialect.isUniqueViolation(e)) throw conflict(`a service with slug ${data.slug} already exists`);
    throw e;
  }
}
