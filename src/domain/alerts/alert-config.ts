import type { LabelMatcher } from './matchers.js';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import type { ActiveMaintenance, ActiveSilence, RoutingRule } from './plan-alert-batch.js';

/**
 * What every ingest batch needs besides the alerts themselves: routing rules, silences,
 * maintenance windows and severity keys. They change rarely, so each store keeps them in
 * process and a batch re-reads them only when the `alert_config` counter moved. Every write to
 * those tables bumps the counter in its own transaction ({@link bumpAlertConfigVersion}), so the
 * check is right across instances sharing a PostgreSQL database, at the cost of one primary-key
 * read per batch instead of four queries.
 */
export const ALERT_CONFIG_COUNTER = 'alert_config';

/** Belt and braces for a write that bypassed the counter (a hand-edited database). */
const MAX_AGE_MS = 60_000;

export interface AlertConfig {
  rules: RoutingRule[];
  silences: ActiveSilence[];
  maintenance: ActiveMaintenance[];
  /** Severity keys, most severe first. */
  severities: string[];
}

interface Cached extends AlertConfig {
  version: number;
  loadedAt: number;
}

const caches = new WeakMap<object, Cached>();

/** Call in the same transaction as any write to routing rules, silences, maintenance windows or severities. */
export async function bumpAlertConfigVersion(tx: Tx): Promise<void> {
  await tx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', ALERT_CONFIG_COUNTER)
    .execute();
}

/** The configuration in force at `now`, from the cache when the counter has not moved. */
export async function alertConfigAt(ctx: Ctx, tx: Tx, now: number): Promise<AlertConfig> {
  const key = ctx.store.dialect;
  // Read the version before the rows: a write committing in between is then seen by the next batch.
  const version = await ctx.store.dialect.alertWriter.readCounter(tx, ALERT_CONFIG_COUNTER);
  let cached = caches.get(key);
  if (!cached || version === null || cached.version !== version || now < cached.loadedAt || now - cached.loadedAt > MAX_AGE_MS) {
    cached = { ...(await loadAlertConfig(tx, now)), version: version ?? -1, loadedAt: now };
    if (version === null) caches.delete(key);
    else caches.set(key, cached);
  }
  const active = (w: { startsAt: number; endsAt: number }): boolean => w.startsAt <= now && now < w.endsAt;
  return {
    rules: cached.rules,
    silences: cached.silences.filter(active),
    maintenance: cached.maintenance.filter(active),
    severities: cached.severities,
  };
}

/** Rules, severities, and the silences and windows not over at `now` (active or still to come). */
async function loadAlertConfig(tx: Tx, now: number): Promise<AlertConfig> {
  const ruleRows = await tx.selectFrom('routing_rules').selectAll().orderBy('position').orderBy('id').execute();
  const silenceRows = await tx.selectFrom('silences').selectAll().where('ends_at', '>', now).orderBy('id').execute();
  const maintenanceRows = await tx.selectFrom('maintenance_windows').selectAll().where('ends_at', '>', now).orderBy('id').execute();
  const severityRows = await tx.selectFrom('severities').select(['key']).orderBy('rank').execute();
  return {
    rules: ruleRows.map((r) => ({
      id: r.id, integrationId: r.integration_id, matchers: JSON.parse(r.matchers) as LabelMatcher[],
      setServiceId: r.set_service_id, setSeverity: r.set_severity, drop: r.drop_alert === 1, name: r.name, escalationPolicyId: r.escalation_policy_id,
    })),
    silences: silenceRows.map((s) => ({ id: s.id, matchers: JSON.parse(s.matchers) as LabelMatcher[], startsAt: s.starts_at, endsAt: s.ends_at })),
    maintenance: maintenanceRows.map((m) => ({ id: m.id, serviceIds: JSON.parse(m.service_ids) as string[], startsAt: m.starts_at, endsAt: m.ends_at })),
    severities: severityRows.map((s) => s.key),
  };
}
