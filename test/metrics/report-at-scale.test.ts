import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import type { Ctx } from '../../src/domain/context.js';
import { getIncidentReport } from '../../src/domain/metrics/get-incident-report.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { referenceReport } from './reference-report.js';
import { seedHistory } from './seed-history.js';

/**
 * Issue 13: the report made to scale (indexes read alone, partial-index conditions, lookups in
 * memory instead of joins, page times from a per-day zone offset) gives exactly the figures of
 * the straightforward computation it replaced, on a generated history (the bench's generator,
 * small) with acknowledgements, hand-offs, cadence outcomes, pages in several time zones, drills
 * and open incidents.
 */
const END = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;
const SIZES = { incidents: 3_000, alertsPerIncident: 1, eventsPerIncident: 20, services: 30, years: 3, bigTimeline: 30 };

describe.each(DIALECTS)('the report at scale equals the reference computation on %s', (dialect) => {
  let t: TestDatabase;
  let ctx: Ctx;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    ctx = { actor: { type: 'system', name: 'test' }, clock: { now: () => END - DAY / 2 }, log: silentLogger, requestId: 'test', store: t.store, incidentHooks: [] } as unknown as Ctx;
    await seedHistory(t, ctx, SIZES, END);
    // Hand-offs by the acknowledging user on every fifth acknowledged incident (some before the
    // resolution, ending their time acknowledged early), one by someone else, and an
    // acknowledgement through an API key.
    await sql`insert into timeline_events (id, incident_id, at, kind, actor_type, actor_id, actor_name, body, data)
      select 'evt_h' || id, incident_id, at + 600000, 'handoff', 'user', actor_id, actor_name, 'Handed off', '{"role":"commander","fromUserId":"' || actor_id || '"}'
      from timeline_events where kind = 'status_changed' and data like '%"to":"acknowledged"%' and at % 5 = 0`.execute(t.store.db);
    await sql`insert into timeline_events (id, incident_id, at, kind, actor_type, actor_id, actor_name, body, data)
      select 'evt_o' || id, incident_id, at + 60000, 'handoff', 'user', actor_id, actor_name, 'Handed off', '{"role":"commander","fromUserId":"usr_someone_else"}'
      from timeline_events where kind = 'status_changed' and data like '%"to":"acknowledged"%' and at % 7 = 0`.execute(t.store.db);
    const someUser = await t.store.db.selectFrom('users').select('id').where('email', 'like', 'oncall3@%').executeTakeFirstOrThrow();
    await t.store.db.insertInto('api_keys').values({ id: 'key_bench', name: 'bench', lookup: 'bench', secret_hash: 'x', scopes: '["write"]', user_id: someUser.id, created_by: null, created_at: END - 3 * 365 * DAY, last_used_at: null, revoked_at: null }).execute();
    await sql`update timeline_events set actor_type = 'apiKey', actor_id = 'key_bench' where kind = 'status_changed' and data like '%"to":"acknowledged"%' and at % 11 = 0`.execute(t.store.db);
  }, 120_000);
  afterAll(async () => t?.drop());

  const cases: [string, Record<string, unknown>][] = [
    ['one year, all services, month buckets', { from: END - 365 * DAY, to: END, bucket: 'month' }],
    ['the whole history, week buckets', { from: END - 3 * 365 * DAY - DAY, to: END, bucket: 'week' }],
    ['one service, one quarter', { from: END - 91 * DAY, to: END, service: 'service-3' }],
    ['the noisiest service, a year', { from: END - 365 * DAY, to: END, service: 'service-0' }],
    ['one team, SEV1 and SEV2', { from: END - 2 * 365 * DAY, to: END, team: 'team-1', severity: ['SEV1', 'SEV2'] }],
    ['a range with nothing in it', { from: END + DAY, to: END + 2 * DAY }],
  ];

  const reference = async (input: Record<string, unknown>) => {
    const service = input.service ? await t.store.db.selectFrom('services').select('id').where('slug', '=', input.service as string).executeTakeFirstOrThrow() : null;
    const team = input.team ? await t.store.db.selectFrom('teams').select('id').where('slug', '=', input.team as string).executeTakeFirstOrThrow() : null;
    return referenceReport(t.store.db, {
      from: input.from as number, to: input.to as number, bucket: (input.bucket as 'week' | 'month' | undefined) ?? 'week', now: END - DAY / 2,
      serviceId: service?.id ?? null, teamId: team?.id ?? null, severity: (input.severity as string[] | undefined) ?? [],
    });
  };

  it.each(cases)('%s', async (_name, input) => {
    const report = await getIncidentReport({ ctx, input });
    const expected = await reference(input);
    expect(report).toEqual(expected);
    // Again, now from the day cache (the first report over these days built it), and with the cache bypassed.
    expect(await getIncidentReport({ ctx, input })).toEqual(expected);
    expect(await getIncidentReport({ ctx, input, dayCache: false })).toEqual(expected);
    if (input.to === END && !input.service && !input.team) {
      // The seeded history reaches every part of the report (a comparison of empty figures proves nothing).
      expect(report.overall.count).toBeGreaterThan(500);
      expect(report.onCall.people.some((p) => p.pages > 0 && p.outOfHours > 0 && p.acknowledgements > 0)).toBe(true);
      expect(report.cadence.overall.kept + report.cadence.overall.missed).toBeGreaterThan(0);
      expect(report.drills.count).toBeGreaterThan(0);
    }
  });

  it('serves settled days from the day cache, and any change to a settled day shows in the next report', async () => {
    const db = t.store.db;
    const year = { from: END - 365 * DAY, to: END, bucket: 'month' };
    const quarter = { from: END - 91 * DAY, to: END, service: 'service-3' };
    await getIncidentReport({ ctx, input: year });
    // The days of the range older than three days (by the database's clock) are cached, valid ones.
    const cached = await sql<{ n: number }>`select count(*) as n from report_days r left join report_day_changes c on c.day = r.day
      where r.day >= ${year.from} and r.version = coalesce(c.version, 0)`.execute(db);
    expect(Number(cached.rows[0]!.n)).toBeGreaterThanOrEqual(360);

    // Changes as any writer (another instance, a migration, psql) would make them, straight to the tables:
    // a settled incident moves to another severity and service, and is reopened and resolved later;
    const moved = await db.selectFrom('incidents').select(['id', 'detected_at']).where('detected_at', '>=', END - 200 * DAY).where('is_drill', '=', 0)
      .where('acknowledged_at', 'is not', null).orderBy('detected_at').limit(1).executeTakeFirstOrThrow();
    const service3 = await db.selectFrom('services').select('id').where('slug', '=', 'service-3').executeTakeFirstOrThrow();
    await db.updateTable('incidents').set({ severity: 'SEV1', service_id: service3.id, resolved_at: Number(moved.detected_at) + 5 * DAY }).where('id', '=', moved.id).execute();
    // its acknowledger hands it off (which ends their time acknowledged, cached on the acknowledgement's day);
    const ack = await db.selectFrom('timeline_events').select(['actor_id', 'at']).where('incident_id', '=', moved.id).where('kind', '=', 'status_changed')
      .where('data', 'like', '%"to":"acknowledged"%').where('actor_type', '=', 'user').executeTakeFirst();
    if (ack) {
      await db.insertInto('timeline_events').values({ id: 'evt_late_handoff', incident_id: moved.id, at: Number(ack.at) + 1_000, kind: 'handoff', actor_type: 'user', actor_id: ack.actor_id, actor_name: 'x', body: 'Handed off', data: `{"role":"commander","fromUserId":"${ack.actor_id}"}` }).execute();
    }
    // a page and a cadence outcome are recorded on an old day, and one incident of another old day is deleted.
    const paged = await db.selectFrom('users').select('id').where('email', 'like', 'oncall1@%').executeTakeFirstOrThrow();
    await db.insertInto('deliveries').values({
      id: 'dlv_late', incident_id: moved.id, action_key: 'late-step', user_id: paged.id, contact_method_id: null, channel: 'email', purpose: 'page', status: 'sent', attempts: 1,
      due_at: Number(moved.detected_at) + 3_600_000, next_attempt_at: Number(moved.detected_at) + 3_600_000, locked_by: null, locked_until: null, last_error: null, last_status_code: null,
      latency_ms: null, created_at: Number(moved.detected_at) + 3_600_000, sent_at: null, send_started_at: null,
    } as never).execute();
    await db.insertInto('timeline_events').values({ id: 'evt_late_cadence', incident_id: moved.id, at: Number(moved.detected_at) + 7_200_000, kind: 'update_deadline_missed', actor_type: 'system', actor_id: null, actor_name: 'Firebreak', body: 'missed', data: '{}' } as never).execute();
    const gone = await db.selectFrom('incidents').select('id').where('detected_at', '>=', END - 100 * DAY).where('id', '!=', moved.id).orderBy('detected_at').limit(1).executeTakeFirstOrThrow();
    await db.deleteFrom('alerts').where('incident_id', '=', gone.id).execute();
    await db.deleteFrom('incidents').where('id', '=', gone.id).execute();

    for (const input of [year, quarter]) expect(await getIncidentReport({ ctx, input })).toEqual(await reference(input));
    // A day stored in another format (an older build's) is rebuilt, not misread.
    await db.updateTable('report_days').set({ format: 0 }).execute();
    expect(await getIncidentReport({ ctx, input: year })).toEqual(await reference(year));
  });

  it("an instance's decoded days give way to a change that another instance rebuilt the day for", async () => {
    const db = t.store.db;
    const other = t.openAnother();
    const otherCtx = { ...ctx, store: other } as Ctx;
    const month = { from: END - 30 * DAY, to: END, bucket: 'week' };
    // Both instances read the month's days and keep them decoded.
    for (const c of [ctx, otherCtx]) expect(await getIncidentReport({ ctx: c, input: month })).toEqual(await reference(month));
    // A settled incident changes; the other instance's next report rebuilds its day at the day's new version.
    const changed = await db.selectFrom('incidents').select(['id', 'severity']).where('detected_at', '>=', END - 20 * DAY).where('detected_at', '<', END - 10 * DAY)
      .where('is_drill', '=', 0).orderBy('detected_at').limit(1).executeTakeFirstOrThrow();
    await db.updateTable('incidents').set({ severity: changed.severity === 'SEV1' ? 'SEV4' : 'SEV1', resolved_at: null }).where('id', '=', changed.id).execute();
    const expected = await reference(month);
    expect(await getIncidentReport({ ctx: otherCtx, input: month })).toEqual(expected);
    // This instance finds the stored day current at a version it holds no facts for, and reads it again.
    expect(await getIncidentReport({ ctx, input: month })).toEqual(expected);
  });
});
