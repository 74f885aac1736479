import { sql } from 'kysely';
import { newId } from '../../core/ids.js';
import type { Ctx } from '../context.js';
import type { Bucket } from '../metrics/build-report.js';
import type { FollowUpRecordsSource } from '../metrics/follow-up-completion.js';
import { getIncidentReport } from '../metrics/get-incident-report.js';
import { periodsDue } from './periods.js';
import { renderReportEmail, type ReportMail } from './render-report-email.js';
import { filtersOf } from './report-schedule-view.js';

export type SendReportMail = (mail: ReportMail) => Promise<{ ok: true } | { ok: false; retryable: boolean; error: string }>;

/** A claimed send is someone else's until this passes (a crashed sender's claim runs out). */
const LEASE_MS = 5 * 60_000;
const MAX_ATTEMPTS = 8;
const backoffMs = (attempts: number) => Math.min(6 * 3600_000, 60_000 * 2 ** (attempts - 1));

export interface SendDueReportsDeps {
  send: SendReportMail;
  publicUrl: string;
  followUps?: FollowUpRecordsSource;
}

/**
 * One pass of the report schedule, with the clock passed in (`ctx.clock`): records each period
 * that ended as a pending send (unique per schedule and period, so two servers or a restart
 * record it once), then claims the pending sends that are due, builds and mails each, and marks
 * it sent. A crash between the SMTP server's "250 OK" and the mark leaves a claimed send that is
 * retried once its lease runs out: at least once, with the same Message-ID, never a skipped
 * period. Reports are not pages: this runs on its own interval, never in the paging worker's lane.
 */
export async function sendDueReports(ctx: Ctx, deps: SendDueReportsDeps): Promise<{ queued: number; sent: number; failed: number }> {
  const db = ctx.store.db;
  const now = ctx.clock.now();
  let queued = 0;
  for (const s of await db.selectFrom('report_schedules').selectAll().where('enabled', '=', 1).execute()) {
    for (const p of periodsDue(Number(s.created_at), now, s.every as Bucket)) {
      const r = await db
        .insertInto('report_sends')
        .values({ id: newId('rsnd', now), schedule_id: s.id, period_start: p.start, period_end: p.end, status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null, last_error: null, created_at: now, sent_at: null })
        .onConflict((oc) => oc.columns(['schedule_id', 'period_start']).doNothing())
        .executeTakeFirst();
      queued += Number(r.numInsertedOrUpdatedRows ?? 0n);
    }
  }

  let sent = 0;
  let failed = 0;
  const due = await db
    .selectFrom('report_sends as r')
    .innerJoin('report_schedules as s', 's.id', 'r.schedule_id')
    .select(['r.id', 'r.period_start', 'r.period_end', 'r.attempts', 's.name', 's.range_days', 's.filters', 's.recipients'])
    .where('r.status', '=', 'pending')
    .where('r.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('r.locked_until', 'is', null), eb('r.locked_until', '<', now)]))
    .orderBy('r.period_start')
    .limit(20)
    .execute();
  for (const row of due) {
    const claim = await db
      .updateTable('report_sends')
      .set({ locked_until: now + LEASE_MS, attempts: sql<number>`attempts + 1` })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) continue; // another sender has it
    const attempts = Number(row.attempts) + 1;
    const outcome = await buildAndSend(ctx, deps, row, now).catch((e: unknown) => ({ ok: false as const, retryable: false, error: e instanceof Error ? e.message : String(e) }));
    if (outcome.ok) {
      await db.updateTable('report_sends').set({ status: 'sent', sent_at: ctx.clock.now(), locked_until: null, last_error: null }).where('id', '=', row.id).execute();
      sent += 1;
    } else {
      const gaveUp = !outcome.retryable || attempts >= MAX_ATTEMPTS;
      await db.updateTable('report_sends')
        .set({ status: gaveUp ? 'failed' : 'pending', next_attempt_at: now + backoffMs(attempts), locked_until: null, last_error: outcome.error.slice(0, 500) })
        .where('id', '=', row.id)
        .execute();
      if (gaveUp) failed += 1;
      ctx.log.warn('notify', 'scheduled report not sent', { schedule: row.name, periodStart: new Date(Number(row.period_start)).toISOString(), error: outcome.error, gaveUp });
    }
  }
  return { queued, sent, failed };
}

async function buildAndSend(
  ctx: Ctx,
  deps: SendDueReportsDeps,
  row: { id: string; period_start: number; period_end: number; name: string; range_days: number | null; filters: string; recipients: string },
  now: number,
) {
  const f = filtersOf({ filters: row.filters } as never);
  const to = Number(row.period_end);
  const from = row.range_days === null ? Number(row.period_start) : to - Number(row.range_days) * 86_400_000;
  const reportCtx: Ctx = { ...ctx, actor: { type: 'system', name: `report schedule ${row.name}` }, clock: { now: () => now } };
  const report = await getIncidentReport({
    ctx: reportCtx,
    input: { from, to, severity: f.severity, bucket: f.bucket, ...(f.service ? { service: f.service } : {}), ...(f.team ? { team: f.team } : {}) },
    ...(deps.followUps ? { followUps: deps.followUps } : {}),
  });
  const mail = renderReportEmail({ scheduleName: row.name, report, to: JSON.parse(row.recipients) as string[], sendId: row.id, publicUrl: deps.publicUrl });
  return deps.send(mail);
}
