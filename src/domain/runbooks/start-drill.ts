import { z } from 'zod';
import { AppError, conflict, isAppError, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import type { Db, Tx } from '../../store/index.js';
import type { IntegrationTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import { hashIntegrationKey, newIntegrationKey } from '../alerts/integrations.js';
import { processAlertBatch, type BatchItem } from '../alerts/process-alert-batch.js';
import type { IngestContext, IngestFormat, IngestResult } from '../alerts/signal.js';
import { integrationSettingsSchema, readSettings } from '../alerts/settings.js';
import type { Ctx } from '../context.js';
import type { IncidentView } from '../incidents/incident-view.js';
import { findIncidentRow, toIncidentView } from '../incidents/incident-view.js';
import { findSeverity, findUser } from '../lookups.js';
import { sameSeverity } from './match-runbooks.js';
import { findRunbookRow } from './runbook-records.js';
import { loadRunViews, type RunView } from './run-view.js';

export const StartDrillInput = z.object({
  runbook: z.string().trim().min(1).max(120),
  participants: z.array(z.string().trim().min(1).max(254)).min(1, 'name at least one participant').max(50),
  severity: z.string().trim().min(1).max(20).optional(),
  service: z.string().trim().min(1).max(80).optional(),
});

/** The built-in integration drill alerts arrive through; created on the first drill. */
export const MANAGED_BY_DRILL = 'drill';
const DRILL_FORMAT = 'alertmanager-api';
/** The label every drill alert carries, so routing rules can tell drills apart. */
export const DRILL_LABEL = 'firebreak_drill';

/**
 * Rehearses a runbook: a synthetic `[DRILL]` alert goes through the real ingest pipeline
 * (`processAlertBatch`, the function the ingest queue commits with) for the built-in drill
 * integration, so routing rules apply and the incident opens through the same hooks as a real
 * one — `isDrill`, with `ctx.drill` set so the paging hook pages only the chosen participants
 * and the runbook hook attaches the rehearsed runbook. Silences and maintenance windows do not
 * swallow drill alerts. Drills are excluded from incident lists and metrics unless asked for.
 */
/** The ingest edge's parser for a sender's format, handed in so the domain never imports ingest/. */
export type ParseAlertPayload = (format: IngestFormat, body: unknown, ctx: IngestContext) => IngestResult;

export async function startDrill({ ctx, input, parseAlert }: { ctx: Ctx; input: unknown; parseAlert: ParseAlertPayload }): Promise<{ incident: IncidentView; run: RunView | null }> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(StartDrillInput, input);
  const db = ctx.store.db;
  const runbook = await findRunbookRow(db, data.runbook).catch(fieldError('runbook'));
  const participants: string[] = [];
  for (const [i, ref] of data.participants.entries()) {
    const user = await findUser(db, ref).catch(fieldError(`participants.${i}`));
    if (user.disabled) throw validation(`participants.${i}`, `${ref} is disabled`);
    if (!participants.includes(user.id)) participants.push(user.id);
  }
  let severity = data.severity;
  if (severity) severity = (await findSeverity(db, severity).catch(fieldError('severity'))).key;
  if (!severity && runbook.severity) {
    // The runbook may write SEV-1 where the configuration says SEV1.
    const levels = await db.selectFrom('severities').select(['key']).execute();
    severity = levels.find((l) => sameSeverity(l.key, runbook.severity!))?.key;
  }
  if (!severity) {
    // No level named: the least urgent configured level, so a drill never looks like an outage.
    const levels = await db.selectFrom('severities').select(['key']).orderBy('rank', 'desc').limit(1).execute();
    severity = levels[0]?.key;
    if (!severity) throw validation('severity', 'no severity levels are configured');
  }
  let serviceId: string | null = null;
  if (data.service) {
    const found = await db.selectFrom('services').select('id').where((eb) => eb.or([eb('slug', '=', data.service!), eb('id', '=', data.service!)])).executeTakeFirst();
    if (!found) throw validation('service', `no service ${data.service}`);
    serviceId = found.id;
  } else if (runbook.service) {
    serviceId = (await db.selectFrom('services').select('id').where('slug', '=', runbook.service).executeTakeFirst())?.id ?? null;
  }

  // The alert a monitoring system would send for this runbook: its exact label matchers and the
  // drill label.
  const now = ctx.clock.now();
  const labels: Record<string, string> = {};
  const matchers = await db.selectFrom('runbook_matchers').selectAll().where('runbook_id', '=', runbook.id).orderBy('position').execute();
  for (const m of matchers) if (m.kind === 'label' && m.op === '=') labels[m.name] = m.value;
  labels['alertname'] ??= 'FirebreakDrill';
  labels[DRILL_LABEL] = 'true';
  // A matcher's own severity label stays (routing rules may test it); it maps to the chosen level.
  labels['severity'] ??= severity;
  const severityMap = { [labels['severity']]: severity };
  const title = `[DRILL] ${runbook.title}`.slice(0, 200);
  const body = [{
    labels,
    annotations: {
      summary: title,
      description: `DRILL: a rehearsal of the runbook ${runbook.title} (v${runbook.current_version}). Nothing is broken.`,
    },
    startsAt: new Date(now).toISOString(),
  }];
  const result = parseAlert(DRILL_FORMAT, body, { now });
  // One alert per drill, never merged with an earlier drill's still-open alert.
  const drillKey = `drill:${newId('raw', now)}`;
  for (const signal of result.signals) signal.dedupKey = drillKey;

  const drillCtx: Ctx = { ...ctx, drill: { runbookId: runbook.id, participants } };
  const integration = await drillIntegration(ctx);
  const settings = readSettings(integration.settings);
  const item: BatchItem = {
    integration: { id: integration.id, format: integration.format, serviceId: serviceId ?? integration.service_id, settings: { ...settings, severityMap: { ...settings.severityMap, ...severityMap } }, repeatsAreNoops: false, drill: true },
    result,
    rawBody: JSON.stringify(body),
  };
  const [outcome] = await ctx.store.transaction((tx) => processAlertBatch(drillCtx, tx, [item]));
  const decision = outcome?.decisions[0];
  if (!decision?.incidentId) {
    // A routing rule may drop alerts like this one: the drill then shows what production would do.
    throw conflict(`the drill alert opened no incident: ${decision?.message ?? 'no decision'}`);
  }
  const row = await findIncidentRow(db, decision.incidentId);
  const runs = await loadRunViews(db, row, ctx.clock.now());
  return { incident: await toIncidentView(db, row), run: runs.find((r) => r.runbook.id === runbook.id) ?? null };
}

/**
 * The drill integration, created on first use. It has no usable key (only a hash of one nobody
 * saw), so drill alerts come only from `startDrill`. Each alert is its own incident and never
 * counts as flapping. Two first drills at once may create two; the oldest is used.
 */
async function drillIntegration(ctx: Ctx): Promise<IntegrationTable> {
  const find = (db: Db | Tx) =>
    db.selectFrom('integrations').selectAll().where('managed_by', '=', MANAGED_BY_DRILL).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  const existing = await find(ctx.store.db);
  if (existing) return existing;
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    const settings = integrationSettingsSchema.parse({ grouping: 'alert', flap: null, autoResolve: true });
    await tx
      .insertInto('integrations')
      .values({
        id: newId('int', now), name: 'Firebreak drills', format: DRILL_FORMAT, key_hash: hashIntegrationKey(newIntegrationKey()), key_hint: '----',
        service_id: null, settings: JSON.stringify(settings), disabled: 0, managed_by: MANAGED_BY_DRILL, last_heartbeat_at: null, created_at: now, updated_at: now,
      })
      .execute();
    return (await find(tx))!;
  });
}

function fieldError(field: string) {
  return (error: unknown): never => {
    if (isAppError(error) && error.code === 'NOT_FOUND') throw validation(field, error.message);
    throw error instanceof Error ? error : new AppError('INTERNAL', String(error));
  };
}
