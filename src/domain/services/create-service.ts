import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findEscalationPolicy, findTeam } from '../lookups.js';
import { DisplayName, Slug } from '../names.js';
import { toServiceViews, type ServiceView } from './service-view.js';

export const ServiceDescription = z.string().max(2000);

const CreateServiceInput = z.object({
  slug: Slug,
  name: DisplayName,
  description: ServiceDescription.default(''),
  team: z.string().min(1).nullable().default(null),
  /** Id or name of the policy that pages for this service instead of the severity's default. */
  escalationPolicy: z.string().min(1).nullable().default(null),
});

export async function createService({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ServiceView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(CreateServiceInput, input);
  try {
    return await ctx.store.transaction(async (tx) => {
      const team = data.team === null ? null : await findTeam(tx, data.team).catch(asFieldError('team'));
      const policy = data.escalationPolicy === null ? null : await findEscalationPolicy(tx, data.escalationPolicy).catch(asFieldError('escalationPolicy'));
      if (await tx.selectFrom('services').select('id').where('slug', '=', data.slug).executeTakeFirst()) throw conflict(`a service with slug ${data.slug} already exists`);
      const now = ctx.clock.now();
      const row = { id: newId('svc', now), slug: data.slug, name: data.name, description: data.description, team_id: team?.id ?? null, managed_by: null, created_at: now, updated_at: now, escalation_policy_id: policy?.id ?? null };
      await tx.insertInto('services').values(row).execute();
      await recordAudit(ctx, tx, { action: 'service.create', target: row.id, data: { slug: data.slug, name: data.name, team: team?.slug ?? null, escalationPolicy: policy?.name ?? null } });
      return (await toServiceViews(tx, [row]))[0]!;
    });
  } catch (e) {
    if (ctx.store.dialect.isUniqueViolation(e)) throw conflict(`a service with slug ${data.slug} already exists`);
    throw e;
  }
}
