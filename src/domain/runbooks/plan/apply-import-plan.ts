import { z } from 'zod';
import { ConfigFileSchema, severityLevelsFromConfig, type FirebreakConfig } from '../../../config/config-file.js';
import { AppError, conflict, validation } from '../../../core/errors.js';
import { parseInput } from '../../../core/validate.js';
import { authorize } from '../../access/authorize.js';
import { recordAudit } from '../../audit/record-audit.js';
import { applyChecklists, applySeverities } from '../../config/apply-config.js';
import { applyEscalationPolicies } from '../../config/apply-escalation-policies.js';
import { applyIncidentRoles } from '../../config/apply-incident-roles.js';
import { applyPostmortemTemplates } from '../../config/apply-postmortem-templates.js';
import { applyUpdateTemplates } from '../../config/apply-update-templates.js';
import { IMPORT_SCOPE } from '../../config/scope.js';
import type { Ctx } from '../../context.js';
import { validateSeverityScheme } from '../../severities/severity-scheme.js';
import { placeholdersOf } from './diff-plan.js';
import { parseProcess, PlanInput, preparePlan, type ProcessPlanView } from './process-plan.js';

export const ApplyPlanInput = PlanInput.extend({
  /** Plan entry ids to apply (`severities`, `checklist:<slug>`…); omitted: every added or changed object. */
  select: z.array(z.string().min(1).max(300)).max(500).optional(),
});

export interface ApplyPlanResult {
  applied: string[];
  changes: string[];
  /** The plan after applying: what was applied now shows as unchanged. */
  plan: ProcessPlanView;
}

/**
 * Applies a document's process plan, whole or the selected objects, with the config applier's
 * section functions in the import scope (ordinary objects, nothing removed, nothing the file
 * owns touched): one transaction, one `runbook.plan_applied` audit entry. Every placeholder the
 * selected objects page must be mapped; the mapping is remembered for the document.
 */
export async function applyImportPlan({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ApplyPlanResult> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(ApplyPlanInput, input);
  const parsed = await parseProcess(ctx, data);
  const result = await ctx.store.transaction(async (tx) => {
    // Serialises with firebreak.yaml applies and other plan applies (both read, then write).
    await ctx.store.dialect.forUpdate(tx.selectFrom('audit_head').select('seq').where('chain', '=', 'main')).execute();
    const prepared = await preparePlan(ctx, tx, data, parsed);
    const byId = new Map(prepared.view.entries.map((e) => [e.id, e]));
    data.select?.forEach((id, i) => {
      if (!byId.has(id)) throw validation(`select.${i}`, `'${id}' is not in the plan (it has ${[...byId.keys()].join(', ') || 'nothing'})`);
    });
    const selected = data.select ? new Set(data.select) : new Set(prepared.view.entries.filter((e) => e.action === 'add' || e.action === 'change').map((e) => e.id));
    for (const id of selected) {
      const entry = byId.get(id)!;
      if (entry.action === 'blocked') throw conflict(`${entry.title}: ${entry.reason}`);
    }
    const objects = prepared.resolved.filter((o) => selected.has(o.id) && byId.get(o.id)!.action !== 'unchanged');
    const unmapped = [...new Set(prepared.original.filter((o) => selected.has(o.id)).flatMap(placeholdersOf))].filter((name) => !prepared.mapping.has(name.toLowerCase()));
    if (unmapped.length > 0) {
      throw new AppError('VALIDATION', `map every placeholder the selected objects page: ${unmapped.join(', ')} (e.g. "${unmapped[0]}=team:SLUG")`, {
        issues: unmapped.map((name) => ({ field: `map.${name}`, message: `placeholder '${name}' is not mapped to user:EMAIL, team:SLUG or schedule:NAME` })),
      });
    }
    const base = ConfigFileSchema.parse({});
    const policyNames = new Set([...prepared.current.policies.keys(), ...objects.flatMap((o) => (o.kind === 'escalation-policy' ? [o.config.name] : []))]);
    const ladder = objects.some((o) => o.kind === 'severities') && prepared.ladder
      ? prepared.ladder.map((l) => {
        // A default policy neither applied now nor already there is left out rather than refused.
        const { escalationPolicy, ...rest } = l;
        return { ...rest, ...(escalationPolicy && policyNames.has(escalationPolicy) ? { escalationPolicy } : {}) };
      })
      : undefined;
    const keys = (ladder ?? prepared.current.severities).map((l) => l.key);
    const config: FirebreakConfig = {
      ...base,
      ...(ladder ? { severities: ladder } : {}),
      escalationPolicies: objects.flatMap((o) => (o.kind === 'escalation-policy' ? [o.config] : [])),
      // Checklists follow the ladder being written, or the one the database has.
      checklists: objects.flatMap((o) => (o.kind === 'checklist' ? [{ ...o.config, severities: keys }] : [])),
      updateTemplates: objects.flatMap((o) => (o.kind === 'update-template' ? [o.config] : [])),
      postmortemTemplates: objects.flatMap((o) => (o.kind === 'postmortem-template' ? [o.config] : [])),
      incidentRoles: objects.flatMap((o) => (o.kind === 'incident-role' ? [o.config] : [])),
    };
    const changes: string[] = [];
    await applyEscalationPolicies(ctx, tx, config, changes, IMPORT_SCOPE);
    if (config.severities) await applySeverities(ctx, tx, config, validateSeverityScheme(severityLevelsFromConfig(config.severities)), changes, IMPORT_SCOPE);
    await applyChecklists(ctx, tx, config, changes, IMPORT_SCOPE);
    await applyUpdateTemplates(ctx, tx, config, changes, IMPORT_SCOPE);
    await applyPostmortemTemplates(ctx, tx, config, changes, IMPORT_SCOPE);
    await applyIncidentRoles(ctx, tx, config, changes, IMPORT_SCOPE);
    const now = ctx.clock.now();
    for (const [placeholder, target] of Object.entries(data.map)) {
      await tx.insertInto('import_placeholder_maps').values({ document_key: prepared.view.documentKey, placeholder: placeholder.toLowerCase(), target, updated_at: now })
        .onConflict((oc) => oc.columns(['document_key', 'placeholder']).doUpdateSet({ target, updated_at: now })).execute();
    }
    if (changes.length > 0) {
      await recordAudit(ctx, tx, {
        action: 'runbook.plan_applied',
        target: data.sourceName,
        data: { objects: objects.map((o) => o.id), changes: changes.slice(0, 500), total: changes.length, map: data.map },
      });
    }
    return { applied: objects.map((o) => o.id), changes };
  });
  const plan = await preparePlan(ctx, ctx.store.db, { ...data, map: {} }, parsed);
  return { ...result, plan: plan.view };
}
