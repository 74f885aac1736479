import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findEscalationPolicy, findService, findTeam } from '../lookups.js';
import { DisplayName, Slug } from '../names.js';
import { ServiceDescription } from './create-service.js';
import { toServiceViews, type ServiceView } from './service-view.js';

const UpdateServiceInput = z.object({
  service: z.string().min(1),
  slug: Slug.optional(),
  name: DisplayName.optional(),
  description: ServiceDescription.optional(),
  team: z.string().min(1).nullable().optional(),
  escalationPolicy: z.string().min(1).nullable().optional(),
});

export async function updateService({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ServiceView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(UpdateServiceInput, input);
  try {
    return await ctx.store.transaction(async (tx) => {
      const row = await findService(tx, data.service);
      const team = data.team === undefined ? undefined : data.team === null ? null : await findTeam(tx, data.team).catch(asFieldError('team'));
      const policy = data.escalationPolicy === undefined ? undefined
        : data.escalationPolicy === null ? null : await findEscalationPolicy(tx, data.escalationPolicy).catch(asFieldError('escalationPolicy'));
      const next = {
        slug: data.slug ?? row.slug,
        name: data.name ?? row.name,
        description: data.description ?? row.description,
        team_id: team === undefined ? row.team_id : (team?.id ?? null),
        escalation_policy_id: policy === undefined ? row.escalation_policy_id : (policy?.id ?? null),
      };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of ['slug', 'name', 'description', 'team_id', 'escalation_policy_id'] as const) {
        if (next[key] === row[key]) continue;
        if (key === 'team_id') changes.team = { from: row[key], to: team?.slug ?? null };
        else if (key === 'escalation_policy_id') changes.escalationPolicy = { from: row[key], to: policy?.name ?? null };
        else changes[key] = { from: row[key], to: next[key] };
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
