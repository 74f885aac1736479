import { z } from 'zod';
import { AppError, notFound, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { matcherFromApi, matcherToApi, matchesEmpty, parseMatchers, type ApiMatcher, type LabelMatcher } from './matchers.js';
import type { SilenceTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { assertNotManaged } from '../config/managed.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findEscalationPolicy, findService, findSeverity } from '../lookups.js';
import { bumpAlertConfigVersion } from './alert-config.js';
import { findIntegrationRow } from './integrations.js';

/**
 * Noise control: routing rules (ordered, first match wins), silences (Alertmanager semantics,
 * so amtool works against the mirror API); maintenance windows are in maintenance-windows.ts.
 * Each write is audited.
 */

const iso = (ms: number): string => new Date(ms).toISOString();
export const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { error: 'is not an ISO 8601 date-time' }).transform((s) => Date.parse(s));

/** Matchers as text (`alertname="X", severity=~"crit|page"`) or the silences API objects. */
export const matchersInput = z.union([z.string().min(1), z.array(z.unknown()).min(1, { error: 'at least one matcher is required' })]);
export function toMatchers(input: string | unknown[], field: string): LabelMatcher[] {
  return typeof input === 'string' ? parseMatchers(input, field) : input.map((m, i) => matcherFromApi(m, `${field}.${i}`));
}

// ---------------------------------------------------------------------------------------------
// Routing rules

export interface RoutingRuleView {
  id: string;
  position: number;
  name: string;
  integrationId: string | null;
  matchers: ApiMatcher[];
  setService: string | null;
  setSeverity: string | null;
  drop: boolean;
  /** `config` when declared in firebreak.yaml: the API then refuses to delete it. */
  managedBy: string | null;
  /** Incidents opened by alerts this rule matched page with this policy (id), ahead of the service's and severity's. */
  escalationPolicy: string | null;
}

const RuleInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  position: z.number().int().min(0).optional(),
  integration: z.string().min(1).nullish(),
  matchers: matchersInput,
  service: z.string().min(1).nullish(),
  severity: z.string().min(1).nullish(),
  drop: z.boolean().default(false),
  escalationPolicy: z.string().min(1).nullish(),
});

export async function listRoutingRules({ ctx }: { ctx: Ctx }): Promise<RoutingRuleView[]> {
  authorize(ctx.actor, 'read');
  const rows = await ctx.store.db.selectFrom('routing_rules').selectAll().orderBy('position').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, position: r.position, name: r.name, integrationId: r.integration_id, matchers: (JSON.parse(r.matchers) as LabelMatcher[]).map(matcherToApi),
    setService: r.set_service_id, setSeverity: r.set_severity, drop: r.drop_alert === 1, managedBy: r.managed_by,
    escalationPolicy: r.escalation_policy_id,
  }));
}

export async function createRoutingRule({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RoutingRuleView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(RuleInput, input);
  const matchers = toMatchers(data.matchers, 'matchers');
  if (!data.drop && !data.service && !data.severity && !data.escalationPolicy) throw validation('drop', 'a rule must set a service, a severity, an escalation policy, or drop the alert');
  if (data.drop && data.escalationPolicy) throw validation('escalationPolicy', 'a rule that drops alerts opens no incident to page for');
  const id = await ctx.store.transaction(async (tx) => {
    const service = data.service ? await findService(tx, data.service).catch(asFieldError('service')) : null;
    const severity = data.severity ? await findSeverity(tx, data.severity).catch(asFieldError('severity')) : null;
    const integration = data.integration ? await findIntegrationRow(tx, data.integration).catch(asFieldError('integration')) : null;
    const policy = data.escalationPolicy ? await findEscalationPolicy(tx, data.escalationPolicy).catch(asFieldError('escalationPolicy')) : null;
    const now = ctx.clock.now();
    const last = await tx.selectFrom('routing_rules').select((eb) => eb.fn.max('position').as('max')).executeTakeFirst();
    const ruleId = newId('rr', now);
    await tx
      .insertInto('routing_rules')
      .values({
        id: ruleId, position: data.position ?? Number(last?.max ?? 0) + 10, name: data.name, integration_id: integration?.id ?? null,
        matchers: JSON.stringify(matchers), set_service_id: service?.id ?? null, set_severity: severity?.key ?? null, drop_alert: data.drop ? 1 : 0,
        managed_by: null, created_at: now, updated_at: now, escalation_policy_id: policy?.id ?? null,
      })
      .execute();
    await bumpAlertConfigVersion(tx);
    await recordAudit(ctx, tx, { action: 'routing_rule.create', target: ruleId, data: { name: data.name } });
    return ruleId;
  });
  const rules = await listRoutingRules({ ctx });
  return rules.find((r) => r.id === id)!;
}

export async function deleteRoutingRule({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<void> {
  authorize(ctx.actor, 'admin');
  const { rule } = parseInput(z.strictObject({ rule: z.string().min(1) }), input);
  await ctx.store.transaction(async (tx) => {
    const row = await tx.selectFrom('routing_rules').select(['managed_by', 'name']).where('id', '=', rule).executeTakeFirst();
    if (!row) throw notFound('routing rule', rule);
    assertNotManaged(row, `routing rule ${row.name}`);
    await tx.deleteFrom('routing_rules').where('id', '=', rule).execute();
    await bumpAlertConfigVersion(tx);
    await recordAudit(ctx, tx, { action: 'routing_rule.delete', target: rule, data: {} });
  });
}

// ---------------------------------------------------------------------------------------------
// Silences (Alertmanager API v2 semantics)

export type SilenceState = 'pending' | 'active' | 'expired';

export interface SilenceView {
  id: string;
  matchers: ApiMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  updatedAt: string;
  status: { state: SilenceState };
}

export function silenceState(row: { starts_at: number; ends_at: number }, now: number): SilenceState {
  if (now < row.starts_at) return 'pending';
  if (now >= row.ends_at) return 'expired';
  return 'active';
}

function toSilenceView(row: SilenceTable, now: number): SilenceView {
  return {
    id: row.id, matchers: (JSON.parse(row.matchers) as LabelMatcher[]).map(matcherToApi), startsAt: iso(row.starts_at), endsAt: iso(row.ends_at),
    createdBy: row.created_by, comment: row.comment, updatedAt: iso(row.updated_at), status: { state: silenceState(row, now) },
  };
}

export const SilenceInput = z.looseObject({
  id: z.string().optional(),
  matchers: matchersInput,
  startsAt: isoTime.optional(),
  endsAt: isoTime,
  createdBy: z.string().trim().min(1).max(200).optional(),
  comment: z.string().max(10_000).default(''),
});

/**
 * Creates a silence, or edits one in place when Alertmanager would (same matchers, and either
 * active with unchanged start or still pending); otherwise the old one expires and a new id is
 * returned, as `silence.go canUpdate` does.
 */
export async function upsertSilence({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ silenceID: string }> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(SilenceInput, input);
  const matchers = toMatchers(data.matchers, 'matchers');
  if (matchers.every(matchesEmpty)) throw validation('matchers', 'at least one matcher must not match the empty string');
  const now = ctx.clock.now();
  let startsAt = data.startsAt ?? now;
  if (startsAt < now && !data.id) startsAt = now;
  if (data.endsAt < now) throw validation('endsAt', 'end time can not be in the past');
  if (startsAt >= data.endsAt) throw validation('endsAt', 'start time must be before end time');
  const createdBy = data.createdBy ?? ctx.actor.name;
  return ctx.store.transaction(async (tx) => {
    if (data.id) {
      const old = await tx.selectFrom('silences').selectAll().where('id', '=', data.id).executeTakeFirst();
      if (!old) throw notFound('silence', data.id);
      const state = silenceState(old, now);
      if (state === 'expired') throw new AppError('VALIDATION', 'silence is expired and cannot be edited', { issues: [{ field: 'id', message: 'silence is expired' }] });
      const sameMatchers = old.matchers === JSON.stringify(matchers);
      const canUpdate = sameMatchers && ((state === 'active' && startsAt === old.starts_at) || (state === 'pending' && startsAt >= now));
      if (canUpdate) {
        await tx.updateTable('silences').set({ starts_at: startsAt, ends_at: data.endsAt, comment: data.comment, created_by: createdBy, updated_at: now }).where('id', '=', old.id).execute();
        await bumpAlertConfigVersion(tx);
        await recordAudit(ctx, tx, { action: 'silence.update', target: old.id, data: {} });
        return { silenceID: old.id };
      }
      await tx.updateTable('silences').set({ ends_at: now, starts_at: state === 'pending' ? now : old.starts_at, updated_at: now }).where('id', '=', old.id).execute();
      if (startsAt < now) startsAt = now;
    }
    const id = newId('sil', now);
    await tx
      .insertInto('silences')
      .values({ id, matchers: JSON.stringify(matchers), starts_at: startsAt, ends_at: data.endsAt, created_by: createdBy, comment: data.comment, created_at: now, updated_at: now })
      .execute();
    await bumpAlertConfigVersion(tx);
    await recordAudit(ctx, tx, { action: 'silence.create', target: id, data: { matchers: matchers.length, endsAt: iso(data.endsAt) } });
    return { silenceID: id };
  });
}

/** `filter` are matcher strings; a silence is listed when it has a matcher equal to each. */
export async function listSilences({ ctx, input }: { ctx: Ctx; input: { filter?: string[] } }): Promise<SilenceView[]> {
  authorize(ctx.actor, 'read');
  const filters = (input.filter ?? []).flatMap((f, i) => parseMatchers(f, `filter.${i}`));
  const now = ctx.clock.now();
  const rows = await ctx.store.db.selectFrom('silences').selectAll().orderBy('ends_at', 'desc').limit(1000).execute();
  return rows
    .filter((r) => {
      const ms = JSON.parse(r.matchers) as LabelMatcher[];
      return filters.every((f) => ms.some((m) => m.name === f.name && m.value === f.value && m.type === f.type));
    })
    .map((r) => toSilenceView(r, now));
}

export async function getSilence({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<SilenceView> {
  authorize(ctx.actor, 'read');
  const row = await ctx.store.db.selectFrom('silences').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!row) throw notFound('silence', input.id);
  return toSilenceView(row, ctx.clock.now());
}

export async function expireSilence({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  authorize(ctx.actor, 'respond');
  await ctx.store.transaction(async (tx) => {
    const row = await tx.selectFrom('silences').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!row) throw notFound('silence', input.id);
    const now = ctx.clock.now();
    const state = silenceState(row, now);
    if (state === 'expired') return;
    await tx.updateTable('silences').set({ ends_at: now, starts_at: state === 'pending' ? now : row.starts_at, updated_at: now }).where('id', '=', row.id).execute();
    await bumpAlertConfigVersion(tx);
    await recordAudit(ctx, tx, { action: 'silence.expire', target: row.id, data: {} });
  });
}
