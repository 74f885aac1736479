import { notFound, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import type { Tx } from '../../store/index.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { toRuleViews, type AudienceRuleView } from './group-view.js';
import { RuleInput } from './schemas.js';

/** Resolves a rule's names: the group, severity keys (stored spelling) and service slugs; a 400 names what is unknown. */
export async function resolveRule(tx: Tx, data: RuleInput): Promise<{ groupId: string; severities: string[]; services: string[] }> {
  const group = await tx.selectFrom('audience_groups').select('id').where(data.group.startsWith('aug_') ? 'id' : 'slug', '=', data.group).executeTakeFirst();
  if (!group) throw validation('group', `audience group ${data.group} was not found`);
  const known = await tx.selectFrom('severities').select('key').execute();
  const severities = data.severities.map((s, i) => {
    const found = known.find((k) => k.key.toLowerCase() === s.toLowerCase());
    if (!found) throw validation(`severities.${i}`, `unknown severity ${s} (known: ${known.map((k) => k.key).join(', ')})`);
    return found.key;
  });
  const services: string[] = [];
  for (const [i, ref] of data.services.entries()) {
    const svc = await tx.selectFrom('services').select('slug').where(ref.startsWith('svc_') ? 'id' : 'slug', '=', ref).executeTakeFirst();
    if (!svc) throw validation(`services.${i}`, `service ${ref} was not found`);
    services.push(svc.slug);
  }
  return { groupId: group.id, severities: [...new Set(severities)], services: [...new Set(services)] };
}

/** Creates a rule, or replaces rule `id`: "SEV1 on payments → executives". */
export async function saveAudienceRule({ ctx, input, id }: { ctx: Ctx; input: unknown; id?: string }): Promise<AudienceRuleView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(RuleInput, input);
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const r = await resolveRule(tx, data);
    const values = { group_id: r.groupId, severities: JSON.stringify(r.severities), services: JSON.stringify(r.services), updated_at: now };
    let ruleId = id;
    if (ruleId) {
      const existing = await tx.selectFrom('audience_rules').selectAll().where('id', '=', ruleId).executeTakeFirst();
      if (!existing) throw notFound('audience rule', ruleId);
      assertNotManaged(existing, 'this audience rule');
      await tx.updateTable('audience_rules').set(values).where('id', '=', ruleId).execute();
    } else {
      ruleId = newId('aur', now);
      await tx.insertInto('audience_rules').values({ id: ruleId, ...values, managed_by: null, created_at: now }).execute();
    }
    await recordAudit(ctx, tx, { action: id ? 'audience_rule.update' : 'audience_rule.create', target: ruleId, data: { group: data.group, severities: r.severities, services: r.services } });
    const [view] = await toRuleViews(tx, [await tx.selectFrom('audience_rules').selectAll().where('id', '=', ruleId).executeTakeFirstOrThrow()]);
    return view!;
  });
}
