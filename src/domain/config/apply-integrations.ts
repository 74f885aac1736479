import type { FirebreakConfig } from '../../config/config-file.js';
import { AppError, isAppError, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { IntegrationTable } from '../../store/schema.js';
import { hashIntegrationKey, validateSettings, type IntegrationFormat } from '../alerts/integrations.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findService } from '../lookups.js';
import { MANAGED_BY_CONFIG } from '../names.js';

/**
 * Why a key read for a declared integration is unusable, or null. Keys go into URL paths and
 * headers, so only URL-safe characters; PagerDuty clients (Alertmanager included) refuse a
 * routing key that is not exactly 32 characters, so that format gets exactly 32.
 */
export function integrationKeyProblem(format: IntegrationFormat, key: string): string | null {
  if (format === 'pagerduty-events-v2' && key.length !== 32) {
    return `the key is ${key.length} characters; a PagerDuty routing key must be exactly 32 (make one with \`openssl rand -hex 16\`)`;
  }
  if (!/^[A-Za-z0-9._~-]+$/.test(key)) return 'the key may contain only letters, digits and . _ ~ - (it is sent in URLs and headers)';
  if (key.length < 16) return `the key is ${key.length} characters; use at least 16 (make one with \`openssl rand -hex 16\`)`;
  // The ingest key lookup refuses longer keys outright (ingest-service.ts).
  if (key.length > 200) return 'the key is longer than 200 characters';
  return null;
}

/** Re-raises a settings error with its fields under `integrations.<i>.`, so it is located in the file. */
function settingsFor(format: IntegrationFormat, raw: Record<string, unknown>, i: number): string {
  try {
    return JSON.stringify(validateSettings(format, raw));
  } catch (e) {
    if (!isAppError(e) || e.code !== 'VALIDATION') throw e;
    const issues = (e.issues.length ? e.issues : [{ field: 'settings', message: e.message }]).map((issue) => ({ field: `integrations.${i}.${issue.field}`, message: issue.message }));
    throw new AppError('VALIDATION', issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '), { issues });
  }
}

/**
 * The `integrations:` section, inside applyConfig's transaction. Identity is the name; an
 * API-made integration with the declared name is adopted (its key replaced by the file's).
 * `disabled` is left to the API, so an emergency disable sticks until the file is changed.
 * Keys are compared by hash only and never reach a change line or the audit log.
 */
export async function applyIntegrations(ctx: Ctx, tx: Tx, config: FirebreakConfig, keys: ReadonlyMap<string, string>, changes: string[]): Promise<void> {
  const now = ctx.clock.now();
  const declared = new Set(config.integrations.map((i) => i.name));
  // Removals first, so a key may move from a removed integration to a new one in one apply.
  const rows: IntegrationTable[] = [];
  for (const row of await tx.selectFrom('integrations').selectAll().orderBy('id').execute()) {
    if (row.managed_by === MANAGED_BY_CONFIG && !declared.has(row.name)) {
      await tx.deleteFrom('integrations').where('id', '=', row.id).execute();
      changes.push(`integration ${row.name}: removed`);
    } else {
      rows.push(row);
    }
  }
  const byName = new Map<string, IntegrationTable>();
  for (const row of rows) if (!byName.has(row.name) || row.managed_by === MANAGED_BY_CONFIG) byName.set(row.name, row);

  for (const [i, integration] of config.integrations.entries()) {
    const keyField = `integrations.${i}.${integration.keyEnv !== undefined ? 'keyEnv' : 'keyFile'}`;
    const key = keys.get(integration.name);
    if (key === undefined) throw validation(keyField, 'no key was read for this integration');
    const keyProblem = integrationKeyProblem(integration.format, key);
    if (keyProblem) throw validation(keyField, keyProblem);
    const keyHash = hashIntegrationKey(key);
    const row = byName.get(integration.name);
    const holder = rows.find((r) => r.key_hash === keyHash && r.id !== row?.id);
    if (holder) {
      throw new AppError('CONFLICT', `${keyField}: is already the key of integration '${holder.name}'`, { issues: [{ field: keyField, message: `is already the key of integration '${holder.name}'; every integration needs its own key` }] });
    }
    const serviceId = integration.service === undefined ? null : (await findService(tx, integration.service).catch(asFieldError(`integrations.${i}.service`))).id;
    const settings = settingsFor(integration.format, integration.settings, i);
    if (!row) {
      await tx.insertInto('integrations').values({
        id: newId('int', now), name: integration.name, format: integration.format, key_hash: keyHash, key_hint: key.slice(-4), service_id: serviceId,
        settings, disabled: 0, managed_by: MANAGED_BY_CONFIG, last_heartbeat_at: integration.format === 'heartbeat' ? now : null, created_at: now, updated_at: now,
      }).execute();
      changes.push(`integration ${integration.name}: created (${integration.format})`);
      continue;
    }
    const adopting = row.managed_by !== MANAGED_BY_CONFIG;
    const what = [
      adopting ? 'now managed by the file' : '',
      row.format !== integration.format ? `format ${row.format} → ${integration.format}` : '',
      row.service_id !== serviceId ? `service → ${integration.service ?? 'none'}` : '',
      row.settings !== settings ? 'settings changed' : '',
      row.key_hash !== keyHash ? 'key replaced' : '',
      adopting && row.disabled === 1 ? 'enabled' : '',
    ].filter(Boolean);
    if (what.length === 0) continue;
    const becomesHeartbeat = integration.format === 'heartbeat' && row.format !== 'heartbeat';
    await tx.updateTable('integrations').set({
      format: integration.format, key_hash: keyHash, key_hint: key.slice(-4), service_id: serviceId, settings, managed_by: MANAGED_BY_CONFIG,
      disabled: adopting ? 0 : row.disabled, last_heartbeat_at: becomesHeartbeat ? now : row.last_heartbeat_at, updated_at: now,
    }).where('id', '=', row.id).execute();
    changes.push(`integration ${integration.name}: ${what.join(', ')}`);
  }
}
