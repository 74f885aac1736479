import { notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { ReportScheduleRef } from './schemas.js';

/** Removes a schedule and its record of sent periods (a schedule made again starts afresh). */
export async function deleteReportSchedule({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<void> {
  authorize(ctx.actor, 'admin');
  const { name } = parseInput(ReportScheduleRef, input);
  await ctx.store.transaction(async (tx) => {
    const row = await tx.selectFrom('report_schedules').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw notFound('report schedule', name);
    assertNotManaged(row, `report schedule ${name}`);
    await tx.deleteFrom('report_sends').where('schedule_id', '=', row.id).execute();
    await tx.deleteFrom('report_schedules').where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'report_schedule.delete', target: row.id, data: { name } });
  });
}
