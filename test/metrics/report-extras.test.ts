import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 13: time spent acknowledged ends at the person's own hand-off (or the resolution), and
 * update-cadence adherence counts the timeline's deadline outcomes per severity, drills apart.
 */
const T = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

describe.each(DIALECTS)('report: time acknowledged and cadence adherence on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let alice: { token: string; userId: string; email: string };
  let bob: { token: string; userId: string; email: string };
  const call = async (method: 'POST' | 'PUT', url: string, body: unknown, token: string, status = 200) => {
    const res = await t.app.inject({ method, url, payload: body as object, headers: { 'content-type': 'application/json', ...bearer(token) } });
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const event = async (incidentId: string, kind: string, at: number) => {
    await t.store.db.insertInto('timeline_events').values({ id: `evt_${kind}_${at}_${incidentId}`, incident_id: incidentId, at, kind, actor_type: 'system', actor_id: null, actor_name: 'test', body: kind, data: '{}' }).execute();
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, { start: new Date(T).toISOString() });
    admin = (await t.userWithKey('admin')).token;
    alice = await t.userWithKey('responder');
    bob = await t.userWithKey('responder');
    // #1 (SEV1): Alice acknowledges at +2, is commander, hands off to Bob at +12; Bob acknowledges nothing; resolved at +60.
    const one = await call('POST', '/api/v1/incidents', { title: 'one', severity: 'SEV1' }, alice.token, 201);
    t.clock.set(T + 2 * MIN);
    await call('POST', `/api/v1/incidents/${one.number}/acknowledge`, {}, alice.token);
    await call('PUT', `/api/v1/incidents/${one.number}/roles/commander`, { user: alice.email }, alice.token);
    t.clock.set(T + 12 * MIN);
    await call('POST', `/api/v1/incidents/${one.number}/handoff`, { role: 'commander', to: bob.email, state: 'stable', nextSteps: 'watch' }, alice.token);
    t.clock.set(T + 60 * MIN);
    await call('POST', `/api/v1/incidents/${one.number}/resolve`, {}, alice.token);
    // #2 (SEV2): Bob acknowledges at +70, still open at "now" (+100).
    t.clock.set(T + 65 * MIN);
    const two = await call('POST', '/api/v1/incidents', { title: 'two', severity: 'SEV2' }, bob.token, 201);
    t.clock.set(T + 70 * MIN);
    await call('POST', `/api/v1/incidents/${two.number}/acknowledge`, {}, bob.token);
    // A drill: its acknowledgement and deadlines are left out.
    const drill = await call('POST', '/api/v1/incidents', { title: 'drill', severity: 'SEV1', isDrill: true }, alice.token, 201);
    await call('POST', `/api/v1/incidents/${drill.number}/acknowledge`, {}, alice.token);
    await event(one.id, 'update_deadline_kept', T + 20 * MIN);
    await event(one.id, 'update_deadline_kept', T + 40 * MIN);
    await event(one.id, 'update_deadline_missed', T + 50 * MIN);
    await event(one.id, 'update_posted_late', T + 55 * MIN);
    await event(two.id, 'update_deadline_missed', T + 90 * MIN);
    await event(drill.id, 'update_deadline_missed', T + 90 * MIN);
    t.clock.set(T + 100 * MIN);
  });
  afterAll(async () => { await t?.close(); });

  it('sums time acknowledged to the hand-off, the resolution, or now', async () => {
    const r = (await t.app.inject({ method: 'GET', url: '/api/v1/reports/incidents?from=2026-03-02&to=2026-03-03', headers: bearer(admin) })).json();
    const of = (id: string) => r.onCall.people.find((p: { userId: string }) => p.userId === id);
    expect(of(alice.userId)).toMatchObject({ acknowledgements: 1, acknowledgedSeconds: 10 * 60 }); // +2 → hand-off at +12
    expect(of(bob.userId)).toMatchObject({ acknowledgements: 1, acknowledgedSeconds: 30 * 60 }); // +70 → now (+100)
    expect(r.onCall.timeAcknowledgedDefinition).toMatch(/hand-off/);
  });

  it('counts update deadlines kept, missed and late per severity, drills apart', async () => {
    const r = (await t.app.inject({ method: 'GET', url: '/api/v1/reports/incidents?from=2026-03-02&to=2026-03-03', headers: bearer(admin) })).json();
    expect(r.cadence.bySeverity).toEqual([
      { severity: 'SEV1', kept: 2, missed: 1, late: 1, keptShare: 0.667 },
      { severity: 'SEV2', kept: 0, missed: 1, late: 0, keptShare: 0 },
    ]);
    expect(r.cadence.overall).toEqual({ severity: null, kept: 2, missed: 2, late: 1, keptShare: 0.5 });
    const sev2 = (await t.app.inject({ method: 'GET', url: '/api/v1/reports/incidents?from=2026-03-02&to=2026-03-03&severity=SEV2', headers: bearer(admin) })).json();
    expect(sev2.cadence.overall).toMatchObject({ kept: 0, missed: 1 });
    // Follow-up completion is counted (test/metrics/follow-up-completion.test.ts); none of these SEV1/SEV2 incidents is resolved.
    expect(r.followUps.postMortems).toMatchObject({ available: true });
  });
});
