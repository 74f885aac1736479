import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import type { Tx } from '../../store/index.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findService, findTeam } from '../lookups.js';
import { toReportScheduleView, type ReportScheduleView } from './report-schedule-view.js';
import { ReportScheduleInput, type ReportScheduleSpec } from './schemas.js';

/**
 * Writes one schedule (created, or replaced by name). Service and team must exist now: a typo
 * is a 400 on the field, not a weekly e-mail about nothing. The schedule owes reports from the
 * period it was created in; changing it later keeps its history of sent periods.
 */
export async function writeReportSchedule(ctx: Ctx, tx: Tx, spec: ReportScheduleSpec, managedBy: string | null): Promise<'created' | 'changed' | 'unchanged'> {
  if (spec.service) await findService(tx, spec.service).catch(asFieldError('service'));
  if (spec.team) await findTeam(tx, spec.team).catch(asFieldError('team'));
  const now = ctx.clock.now();
  const values = {
    every: spec.every,
    range_days: spec.rangeDays ?? null,
    filters: JSON.stringify({ service: spec.service ?? null, team: spec.team ?? null, severity: spec.severity, bucket: spec.bucket }),
    recipients: JSON.stringify(spec.recipients),
    enabled: spec.enabled ? 1 : 0,
    managed_by: managedBy,
  };
  const existing = await tx.selectFrom('report_schedules').selectAll().where('name', '=', spec.name).executeTakeFirst();
  if (!existing) {
    await tx.insertInto('report_schedules').values({ id: newId('rsch', now), name: spec.name, ...values, created_at: now, updated_at: now }).execute();
    return 'created';
  }
  const same = existing.every === values.every && (existing.range_days === null ? null : Number(existing.range_days)) === values.range_days
    && existing.filters === values.filters && existing.recipients === values.recipients && Number(existing.enabled) === values.enabled && existing.managed_by === managedBy;
  if (same) return 'unchanged';
  await tx.updateTable('report_schedules').set({ ...values, updated_at: now }).where('id', '=', existing.id).execute();
  return 'changed';
}

/** PUT /api/v1/report-schedules/:name and `firebreak report schedule set`. */
export async function setReportSchedule({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ReportScheduleView> {
  authorize(ctx.actor, 'admin');
  const spec = parseInput(ReportScheduleInput, input);
  return ctx.store.transaction(async (tx) => {
    const existing = await tx.selectFrom('report_schedules').selectAll().where('name', '=', spec.name).executeTakeFirst();
    if (existing) assertNotManaged(existing, `report schedule ${spec.name}`);
    const outcome = await writeReportSchedule(ctx, tx, spec, null);
    const row = await tx.selectFrom('report_schedules').selectAll().where('name', '=', spec.name).executeTakeFirstOrThrow();
    await recordAudit(ctx, tx, { action: 'report_schedule.set', target: row.id, data: { name: spec.name, outcome, recipients: spec.recipients.length } });
    return toReportScheduleView(row, undefined);
  });
}
