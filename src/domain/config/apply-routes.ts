import type { FirebreakConfig } from '../../config/config-file.js';
import { newId } from '../../core/ids.js';
import { parseMatcher } from '../alerts/matchers.js';
import type { Tx } from '../../store/index.js';
import type { RoutingRuleTable } from '../../store/schema.js';
import { bumpAlertConfigVersion } from '../alerts/alert-config.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findService, findSeverity } from '../lookups.js';
import { MANAGED_BY_CONFIG } from '../names.js';
import { configPolicy } from './config-policy.js';
import { findIntegrationRow } from '../alerts/integrations.js';

/** The columns a declared rule decides; compared one by one to describe a change. */
type RuleValues = Pick<RoutingRuleTable, 'position' | 'integration_id' | 'matchers' | 'set_service_id' | 'set_severity' | 'drop_alert' | 'escalation_policy_id'>;

const DESCRIBE: Record<keyof RuleValues, string> = {
  position: 'moved',
  integration_id: 'integration changed',
  matchers: 'matchers changed',
  set_service_id: 'service changed',
  set_severity: 'severity changed',
  drop_alert: 'drop changed',
  escalation_policy_id: 'escalation policy changed',
};

/**
 * The `routes:` section, inside applyConfig's transaction (after integrations, which rules may
 * name). Identity is the name; an API-made rule with the declared name is adopted. The file's
 * rules are evaluated first, in file order: they take positions -n … -1, below every API-made
 * rule (the API accepts positions ≥ 0 only), so the two never interleave and the API's own
 * ordering is left as it was. Any change bumps the alert-config counter so every instance's
 * ingest cache reloads the rules with its next batch.
 */
export async function applyRoutes(ctx: Ctx, tx: Tx, config: FirebreakConfig, changes: string[]): Promise<void> {
  const now = ctx.clock.now();
  const before = changes.length;
  const declared = new Set(config.routes.map((r) => r.name));
  const existing = await tx.selectFrom('routing_rules').selectAll().orderBy('position').orderBy('id').execute();
  const byName = new Map<string, RoutingRuleTable>();
  for (const row of existing) {
    if (row.managed_by === MANAGED_BY_CONFIG && !declared.has(row.name)) {
      await tx.deleteFrom('routing_rules').where('id', '=', row.id).execute();
      changes.push(`route ${row.name}: removed`);
      continue;
    }
    // A managed rule of that name wins over an API-made namesake; otherwise the first one is adopted.
    if (!byName.has(row.name) || row.managed_by === MANAGED_BY_CONFIG) byName.set(row.name, row);
  }

  for (const [i, route] of config.routes.entries()) {
    const field = `routes.${i}`;
    const matchers = route.matchers.map((text, j) => parseMatcher(text, `${field}.matchers.${j}`));
    const integration = route.integration === undefined ? null : await findIntegrationRow(tx, route.integration).catch(asFieldError(`${field}.integration`));
    const service = route.service === undefined ? null : await findService(tx, route.service).catch(asFieldError(`${field}.service`));
    const severity = route.severity === undefined ? null : await findSeverity(tx, route.severity).catch(asFieldError(`${field}.severity`));
    const policy = await configPolicy(tx, route.escalationPolicy);
    const values: RuleValues = {
      position: i - config.routes.length,
      integration_id: integration?.id ?? null,
      matchers: JSON.stringify(matchers),
      set_service_id: service?.id ?? null,
      set_severity: severity?.key ?? null,
      drop_alert: route.drop ? 1 : 0,
      escalation_policy_id: policy.id,
    };
    const row = byName.get(route.name);
    if (!row) {
      await tx.insertInto('routing_rules').values({ id: newId('rr', now), name: route.name, ...values, managed_by: MANAGED_BY_CONFIG, created_at: now, updated_at: now }).execute();
      changes.push(`route ${route.name}: created${policy.note ? ` (${policy.note})` : ''}`);
      continue;
    }
    const what = (Object.keys(values) as (keyof RuleValues)[]).filter((k) => values[k] !== row[k]).map((k) => (k === 'escalation_policy_id' && policy.note ? policy.note : DESCRIBE[k]));
    if (row.managed_by !== MANAGED_BY_CONFIG) what.unshift('now managed by the file');
    if (what.length === 0) continue;
    await tx.updateTable('routing_rules').set({ ...values, managed_by: MANAGED_BY_CONFIG, updated_at: now }).where('id', '=', row.id).execute();
    changes.push(`route ${route.name}: ${what.join(', ')}`);
  }
  if (changes.length > before) await bumpAlertConfigVersion(tx);
}
