import type { FirebreakConfig } from '../../config/config-file.js';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { MANAGED_BY_CONFIG } from '../names.js';
import { writeReportSchedule } from '../report-schedules/set-report-schedule.js';
import { isAppError, validation } from '../../core/errors.js';

/**
 * `reports:` in firebreak.yaml: the file owns the schedules it declares (by name); one it no
 * longer declares is removed with its record of sent periods. A schedule made over the API with
 * the same name becomes the file's, keeping what it already sent (no repeat of a sent period).
 */
export async function applyReportSchedules(ctx: Ctx, tx: Tx, config: FirebreakConfig, changes: string[]): Promise<void> {
  const declared = new Set<string>();
  for (const [i, spec] of config.reports.entries()) {
    declared.add(spec.name);
    const outcome = await writeReportSchedule(ctx, tx, spec, MANAGED_BY_CONFIG).catch((e: unknown) => {
      // A missing service or team is reported at its place in the file.
      const issue = isAppError(e) ? e.issues[0] : undefined;
      if (issue && (issue.field === 'service' || issue.field === 'team')) throw validation(`reports.${i}.${issue.field}`, issue.message);
      throw e;
    });
    if (outcome !== 'unchanged') changes.push(`report schedule ${spec.name}: ${outcome}`);
  }
  const existing = await tx.selectFrom('report_schedules').select(['id', 'name', 'managed_by']).execute();
  for (const row of existing) {
    if (row.managed_by !== MANAGED_BY_CONFIG || declared.has(row.name)) continue;
    await tx.deleteFrom('report_sends').where('schedule_id', '=', row.id).execute();
    await tx.deleteFrom('report_schedules').where('id', '=', row.id).execute();
    changes.push(`report schedule ${row.name}: removed`);
  }
}
