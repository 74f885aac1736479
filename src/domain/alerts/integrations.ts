import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { notFound, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { parseGenericMapping } from './generic-mapping.js';
import { grafanaHmacSettingsSchema } from './grafana-hmac-settings.js';
import { INGEST_FORMATS } from './signal.js';
import { parseOrThrow } from '../../core/field-issues.js';
import type { Db, Tx } from '../../store/index.js';
import type { IntegrationTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { assertNotManaged } from '../config/managed.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findService } from '../lookups.js';
import { integrationSettingsSchema, readSettings, type IntegrationSettings } from './settings.js';

/**
 * Integrations: an ingest endpoint with its own secret key, a format and a target service.
 * Keys are 32 lowercase hex characters (128 bits) for every format, because strict PagerDuty
 * clients reject routing keys of any other length. Only the sha-256 is stored; the key is shown
 * at creation and on rotation. A Grafana HMAC secret is stored (it verifies signatures) but
 * never shown again once set.
 */
export const INTEGRATION_FORMATS = [...INGEST_FORMATS, 'heartbeat'] as const;
export type IntegrationFormat = (typeof INTEGRATION_FORMATS)[number];

export const hashIntegrationKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
export const newIntegrationKey = (): string => randomBytes(16).toString('hex');

export interface IntegrationView {
  id: string;
  name: string;
  format: IntegrationFormat;
  service: { id: string; slug: string; name: string } | null;
  keyHint: string;
  settings: IntegrationSettings;
  disabled: boolean;
  managedBy: string | null;
  lastHeartbeatAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const CreateInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  format: z.enum(INTEGRATION_FORMATS),
  service: z.string().trim().min(1).nullish(),
  settings: z.record(z.string(), z.unknown()).default({}),
});
const UpdateInput = z.strictObject({
  integration: z.string().min(1),
  name: z.string().trim().min(1).max(200).optional(),
  service: z.string().trim().min(1).nullable().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  disabled: z.boolean().optional(),
});
const RefInput = z.strictObject({ integration: z.string().min(1) });

/** Settings are checked against the format's own schema as well, so a bad mapping fails here, not at 3 a.m. */
export function validateSettings(format: IntegrationFormat, raw: unknown): IntegrationSettings {
  const settings = parseOrThrow(integrationSettingsSchema, raw, 'settings');
  if (format === 'generic-webhook') {
    if (settings.mapping === undefined) throw validation('settings.mapping', 'a generic webhook needs a field mapping');
    parseGenericMapping(settings.mapping);
  }
  if (format === 'grafana-webhook' && settings.hmac !== undefined) parseOrThrow(grafanaHmacSettingsSchema, settings.hmac, 'settings.hmac');
  if (format === 'heartbeat' && settings.heartbeat === undefined) throw validation('settings.heartbeat', 'a heartbeat integration needs {intervalSeconds}');
  return settings;
}

export async function findIntegrationRow(db: Db | Tx, ref: string): Promise<IntegrationTable> {
  const row = await db.selectFrom('integrations').selectAll().where(ref.startsWith('int_') ? 'id' : 'name', '=', ref).executeTakeFirst();
  if (!row) throw notFound('integration', ref);
  return row;
}

/**
 * Settings as shown to readers: a Grafana HMAC secret is write-only (any reader could otherwise
 * sign payloads); `hasSecret` says one is set. An update that sends `hmac` without a secret
 * keeps the stored one (see keepStoredSecret), so GET → edit → PATCH round-trips.
 */
export function visibleSettings(settings: IntegrationSettings): IntegrationSettings {
  const hmac = settings.hmac;
  if (hmac === null || typeof hmac !== 'object' || Array.isArray(hmac)) return settings;
  const { secret, ...rest } = hmac as Record<string, unknown>;
  return { ...settings, hmac: { ...rest, hasSecret: typeof secret === 'string' && secret !== '' } };
}

/** An incoming `hmac` without a secret (or the `hasSecret` marker read back) keeps the stored secret. */
function keepStoredSecret(incoming: Record<string, unknown>, stored: IntegrationSettings): Record<string, unknown> {
  const hmac = incoming.hmac;
  if (hmac === null || typeof hmac !== 'object' || Array.isArray(hmac)) return incoming;
  const { hasSecret: _marker, ...given } = hmac as Record<string, unknown>;
  const storedSecret = (stored.hmac as { secret?: unknown } | undefined)?.secret;
  if (given.secret === undefined && typeof storedSecret === 'string') given.secret = storedSecret;
  return { ...incoming, hmac: given };
}

export async function toIntegrationView(db: Db | Tx, row: IntegrationTable): Promise<IntegrationView> {
  const service = row.service_id ? await db.selectFrom('services').select(['id', 'slug', 'name']).where('id', '=', row.service_id).executeTakeFirst() : undefined;
  return {
    id: row.id,
    name: row.name,
    format: row.format as IntegrationFormat,
    service: service ?? null,
    keyHint: `…${row.key_hint}`,
    settings: visibleSettings(readSettings(row.settings)),
    disabled: row.disabled === 1,
    managedBy: row.managed_by,
    lastHeartbeatAt: row.last_heartbeat_at === null ? null : new Date(row.last_heartbeat_at).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function createIntegration({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ integration: IntegrationView; key: string }> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(CreateInput, input);
  const settings = validateSettings(data.format, data.settings);
  return ctx.store.transaction(async (tx) => {
    const service = data.service ? await findService(tx, data.service).catch(asFieldError('service')) : null;
    const now = ctx.clock.now();
    const key = newIntegrationKey();
    const id = newId('int', now);
    await tx
      .insertInto('integrations')
      .values({
        id, name: data.name, format: data.format, key_hash: hashIntegrationKey(key), key_hint: key.slice(-4), service_id: service?.id ?? null,
        settings: JSON.stringify(settings), disabled: 0, managed_by: null, last_heartbeat_at: data.format === 'heartbeat' ? now : null,
        created_at: now, updated_at: now,
      })
      .execute();
    await recordAudit(ctx, tx, { action: 'integration.create', target: id, data: { name: data.name, format: data.format, service: service?.slug ?? null } });
    return { integration: await toIntegrationView(tx, await findIntegrationRow(tx, id)), key };
  });
}

export async function listIntegrations({ ctx }: { ctx: Ctx; input?: unknown }): Promise<IntegrationView[]> {
  authorize(ctx.actor, 'read');
  const rows = await ctx.store.db.selectFrom('integrations').selectAll().orderBy('name').execute();
  return Promise.all(rows.map((r) => toIntegrationView(ctx.store.db, r)));
}

export async function getIntegration({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IntegrationView> {
  authorize(ctx.actor, 'read');
  const { integration } = parseInput(RefInput, input);
  return toIntegrationView(ctx.store.db, await findIntegrationRow(ctx.store.db, integration));
}

export async function updateIntegration({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IntegrationView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(UpdateInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await findIntegrationRow(tx, data.integration);
    // Disabling stays possible on a managed integration: stopping a noisy sender must not wait for a deploy.
    if (Object.keys(data).some((k) => k !== 'integration' && k !== 'disabled')) assertNotManaged(row, `integration ${row.name}`);
    const now = ctx.clock.now();
    const set: Partial<IntegrationTable> = { updated_at: now };
    if (data.name !== undefined) set.name = data.name;
    if (data.disabled !== undefined) set.disabled = data.disabled ? 1 : 0;
    if (data.settings !== undefined) set.settings = JSON.stringify(validateSettings(row.format as IntegrationFormat, keepStoredSecret(data.settings, readSettings(row.settings))));
    if (data.service !== undefined) set.service_id = data.service === null ? null : (await findService(tx, data.service).catch(asFieldError('service'))).id;
    await tx.updateTable('integrations').set(set).where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'integration.update', target: row.id, data: { fields: Object.keys(data).filter((k) => k !== 'integration') } });
    return toIntegrationView(tx, await findIntegrationRow(tx, row.id));
  });
}

/** A new key replaces the old one at once; senders must be updated (documented). */
export async function rotateIntegrationKey({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ integration: IntegrationView; key: string }> {
  authorize(ctx.actor, 'admin');
  const { integration } = parseInput(RefInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await findIntegrationRow(tx, integration);
    assertNotManaged(row, `integration ${row.name} (its key is in the file's keyFile/keyEnv)`);
    const key = newIntegrationKey();
    await tx.updateTable('integrations').set({ key_hash: hashIntegrationKey(key), key_hint: key.slice(-4), updated_at: ctx.clock.now() }).where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'integration.rotate_key', target: row.id, data: {} });
    return { integration: await toIntegrationView(tx, await findIntegrationRow(tx, row.id)), key };
  });
}

/** Deleting keeps the alerts (they reference the id) but the key stops working at once. */
export async function deleteIntegration({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<void> {
  authorize(ctx.actor, 'admin');
  const { integration } = parseInput(RefInput, input);
  await ctx.store.transaction(async (tx) => {
    const row = await findIntegrationRow(tx, integration);
    assertNotManaged(row, `integration ${row.name}`);
    await tx.deleteFrom('integrations').where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'integration.delete', target: row.id, data: { name: row.name } });
  });
}

/**
 * Alertmanager templates that carry the `severity` label through `pagerduty_configs` and
 * `opsgenie_configs` as the value the built-in severity map reads the same way it reads the
 * label from `webhook_configs`: critical → the most severe level, error (and no label) → the
 * second, warning → the third, info → the fourth. Without them Alertmanager sends PagerDuty
 * `error` and Opsgenie `P3` whatever the label says. PagerDuty accepts only those four values,
 * so any other label value becomes `error`, as an unknown value does through the webhook.
 * test/ingest/sender-severity.test.ts runs the snippets through a real Alertmanager.
 */
export const PAGERDUTY_SEVERITY_TEMPLATE = '{{ if eq .CommonLabels.severity "critical" "warning" "info" }}{{ .CommonLabels.severity }}{{ else }}error{{ end }}';
export const OPSGENIE_PRIORITY_TEMPLATE = '{{ if eq .CommonLabels.severity "critical" }}P1{{ else if eq .CommonLabels.severity "warning" }}P3{{ else if eq .CommonLabels.severity "info" }}P4{{ else }}P2{{ end }}';

/** The sender-side configuration to paste, per format. */
export function senderConfig(view: IntegrationView, publicUrl: string, key: string | null): { url: string; snippet: string } {
  const base = publicUrl.replace(/\/+$/, '');
  const k = key ?? '<integration key>';
  switch (view.format) {
    case 'alertmanager-webhook':
      return { url: `${base}/ingest/alertmanager/${k}`, snippet: `receivers:\n  - name: firebreak\n    webhook_configs:\n      - url: ${base}/ingest/alertmanager/${k}\n        send_resolved: true\n` };
    case 'pagerduty-events-v2':
      return { url: `${base}/v2/enqueue`, snippet: `receivers:\n  - name: firebreak\n    pagerduty_configs:\n      - url: ${base}/v2/enqueue\n        routing_key: ${k}\n        send_resolved: true\n        severity: '${PAGERDUTY_SEVERITY_TEMPLATE}'\n` };
    case 'opsgenie':
      return { url: `${base}/`, snippet: `receivers:\n  - name: firebreak\n    opsgenie_configs:\n      - api_url: ${base}/\n        api_key: ${k}\n        send_resolved: true\n        priority: '${OPSGENIE_PRIORITY_TEMPLATE}'\n` };
    case 'grafana-webhook':
      return { url: `${base}/ingest/grafana/${k}`, snippet: `Grafana → Alerting → Contact points → Webhook\n  URL: ${base}/ingest/grafana/${k}\n  HTTP method: POST\n` };
    case 'alertmanager-api':
      return { url: `${base}/api/v2/alerts`, snippet: `# prometheus.yml\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['${new URL(base).host}']\n      scheme: ${new URL(base).protocol.replace(':', '')}\n      authorization:\n        credentials: ${k}\n` };
    case 'generic-webhook':
      return { url: `${base}/ingest/generic/${k}`, snippet: `curl -X POST -H 'content-type: application/json' -d '{...}' ${base}/ingest/generic/${k}\n` };
    case 'heartbeat':
      return { url: `${base}/ingest/heartbeat/${k}`, snippet: `# every ${view.settings.heartbeat?.intervalSeconds ?? 60}s:\ncurl -fsS -X POST ${base}/ingest/heartbeat/${k}\n` };
  }
}
