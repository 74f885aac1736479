import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * The escalation dry-run (POST /escalation-policies/:policy/preview): the real planner over the
 * policy's whole timeline, schedules resolved at each step's own time, level conditions
 * (severity, firing-alert counts), "if unresolved" entries, disabled users named but skipped,
 * and nothing written. Also where a user is named for paging (`pagedVia`), shown on disable.
 */
describe.each(DIALECTS)('escalation policy dry-run on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  let viewer: { token: string };
  let alice: { userId: string };
  let bob: { userId: string };
  let carol: { userId: string };
  let dave: { userId: string };
  let policyId: string;

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, token = admin.token) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
  const preview = (body: unknown, token?: string) => call('POST', `/api/v1/escalation-policies/${policyId}/preview`, body, token);

  beforeAll(async () => {
    // A Sunday, 10:00 UTC.
    t = await createTestApp(dialect, { start: '2026-03-01T10:00:00Z' });
    admin = await t.userWithKey('admin');
    viewer = await t.userWithKey('viewer');
    [alice, bob, carol, dave] = [await t.userWithKey('responder'), await t.userWithKey('responder'), await t.userWithKey('responder'), await t.userWithKey('responder')];
    // Only Alice can be reached: the preview says who has no contact method.
    const now = t.clock.now();
    await t.store.db.insertInto('contact_methods').values({ id: 'cm_alice', user_id: alice.userId, kind: 'email', label: 'mail', address: 'a@example.test', verified: 1, secret: null, disabled_reason: null, created_at: now, updated_at: now }).execute();
    // One-hour turns from 09:00: Alice 09–10, Bob 10–11, Alice 11–12 …
    const schedule = await call('POST', '/api/v1/schedules', {
      name: 'Primary', timeZone: 'UTC',
      layers: [{ id: 'base', name: 'hourly', rotation: { type: 'custom', shiftLengthSeconds: 3600, handoffTime: '09:00', startDate: '2026-03-01', members: [alice.userId, bob.userId] } }],
    });
    expect(schedule.statusCode, schedule.body).toBe(201);
    const team = await call('POST', '/api/v1/teams', { slug: 'ops', name: 'Ops' });
    expect(team.statusCode).toBe(201);
    expect((await call('PUT', `/api/v1/teams/ops/members/${carol.userId}`, {})).statusCode).toBe(200);
    expect((await call('PUT', `/api/v1/teams/ops/members/${dave.userId}`, {})).statusCode).toBe(200);
    const policy = await call('POST', '/api/v1/escalation-policies', {
      name: 'Checkout',
      levels: [
        { delaySeconds: 0, targets: [{ type: 'schedule', id: schedule.json().id }] },
        { delaySeconds: 3600, targets: [{ type: 'schedule', id: schedule.json().id }] },
        { delaySeconds: 600, targets: [{ type: 'team', id: team.json().id }], condition: { severities: ['SEV1'] } },
        { delaySeconds: 300, targets: [{ type: 'user', id: dave.userId }], condition: { firingAlerts: { atLeast: 3, matchers: [{ name: 'role', op: '=', value: 'worker' }] } } },
      ],
      repeat: 0,
      ifUnresolved: [{ afterSeconds: 1800, targets: [{ type: 'user', id: carol.userId }] }],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    policyId = policy.json().id;
    // Carol is disabled: still named by the team and the "if unresolved" entry, never paged.
    const disabled = await call('PATCH', `/api/v1/users/${carol.userId}`, { disabled: true });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().pagedVia).toEqual(['escalation policy Checkout, if unresolved 1', 'team ops']);
  });
  afterAll(() => t?.close());

  it('walks the whole timeline with schedules resolved at each step, conditions and disabled users', async () => {
    const res = await preview({ severity: 'sev1', labels: { role: 'worker' } }, viewer.token);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.severity).toBe('SEV1');
    expect(body.startsAt).toBe('2026-03-01T10:00:00.000Z');
    const steps = body.steps as { offsetSeconds: number; kind: string; level: number | null; paged: { id: string; reachable: boolean }[]; targets: { name: string; people: { id: string; disabled: boolean }[] }[]; reason: string }[];
    expect(steps.map((s) => [s.offsetSeconds, s.kind, s.level, s.paged.map((p) => p.id)])).toEqual([
      [0, 'page', 1, [bob.userId]],
      [1800, 'if-unresolved', null, []],
      [3600, 'page', 2, [alice.userId]],
      [4200, 'page', 3, [dave.userId]],
      [4500, 'skip', 4, []],
    ]);
    // Who the schedule names depends on the step's time; the team names Carol but skips her.
    expect(steps[0]!.targets[0]!.name).toBe('Primary');
    expect(steps[2]!.paged[0]!.reachable).toBe(true);
    expect(steps[0]!.paged[0]!.reachable).toBe(false);
    expect(steps[3]!.targets[0]!.people).toEqual(expect.arrayContaining([expect.objectContaining({ id: carol.userId, disabled: true }), expect.objectContaining({ id: dave.userId, disabled: false })]));
    expect(steps[1]!.reason).toContain('resolve to nobody');
    expect(steps[4]!.reason).toContain('1 firing alert matching role="worker"; the level needs at least 3');
    expect(body.end).toContain('finished after 1 round');
  });

  it('skips a level whose severity condition fails, and counts firing alerts', async () => {
    const sev2 = (await preview({ severity: 'SEV2', labels: { role: 'worker' }, firingAlerts: 3 })).json();
    const byLevel = new Map((sev2.steps as { level: number | null; kind: string; reason: string }[]).map((s) => [s.level, s]));
    expect(byLevel.get(3)).toMatchObject({ kind: 'skip' });
    expect(byLevel.get(3)!.reason).toContain('severity SEV2 is not one of SEV1');
    expect(byLevel.get(4)).toMatchObject({ kind: 'page' });
  });

  it('starts at a given time and writes nothing', async () => {
    const before = await Promise.all(['deliveries', 'incidents', 'timers'].map(async (table) => Number((await t.store.db.selectFrom(table as 'deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
    const res = await preview({ at: '2026-03-01T11:30:00Z' });
    expect(res.statusCode, res.body).toBe(200);
    // 11:30 is Alice's turn, 12:30 Bob's.
    const pages = (res.json().steps as { kind: string; paged: { id: string }[] }[]).filter((s) => s.kind === 'page');
    expect(pages[0]!.paged.map((p) => p.id)).toEqual([alice.userId]);
    expect(pages[1]!.paged.map((p) => p.id)).toEqual([bob.userId]);
    const after = await Promise.all(['deliveries', 'incidents', 'timers'].map(async (table) => Number((await t.store.db.selectFrom(table as 'deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
    expect(after).toEqual(before);
  });

  it('names the bad field', async () => {
    const unknownSeverity = await preview({ severity: 'SEV9' });
    expect(unknownSeverity.statusCode).toBe(400);
    expect(unknownSeverity.json().issues).toEqual([expect.objectContaining({ field: 'severity' })]);
    const bad = await preview({ firingAlerts: -1, at: 'yesterday', labels: { '': 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { field: string }) => i.field.split('.')[0]).sort()).toEqual(['at', 'firingAlerts', 'labels']);
    const missing = await call('POST', '/api/v1/escalation-policies/pol_nope/preview', {});
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain('pol_nope');
  });

  it('refuses to delete a policy in use and says where', async () => {
    const sev = await call('PUT', `/api/v1/escalation-policies/${policyId}`, { ...(await call('GET', `/api/v1/escalation-policies/${policyId}`)).json(), id: undefined, teamId: undefined, usedBy: undefined, version: undefined, severities: ['SEV3'] });
    expect(sev.statusCode, sev.body).toBe(200);
    const refused = await call('DELETE', `/api/v1/escalation-policies/${policyId}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('severity SEV3');
  });

  it('lists where a user is named for paging on their own page', async () => {
    const bobView = (await call('GET', `/api/v1/users/${bob.userId}`)).json();
    expect(bobView.pagedVia).toEqual(['schedule Primary, layer hourly']);
    const carolView = (await call('GET', `/api/v1/users/${carol.userId}`)).json();
    expect(carolView).toMatchObject({ disabled: true, pagedVia: ['escalation policy Checkout, if unresolved 1', 'team ops'] });
  });

  it('names targets by name when a level resolves to nobody enabled', async () => {
    const only = await call('POST', '/api/v1/escalation-policies', { name: 'Only Carol', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: carol.userId }] }] });
    expect(only.statusCode, only.body).toBe(201);
    const steps = (await call('POST', `/api/v1/escalation-policies/${only.json().id}/preview`, {})).json().steps as { kind: string; reason: string; targets: { people: { disabled: boolean }[] }[] }[];
    expect(steps).toHaveLength(1);
    expect(steps[0]!.kind).toBe('skip');
    const name = (await call('GET', `/api/v1/users/${carol.userId}`)).json().name as string;
    expect(steps[0]!.reason).toBe(`level 1, round 1: user ${name} names nobody enabled at that time`);
    expect(steps[0]!.targets[0]!.people[0]!.disabled).toBe(true);
  });
});
