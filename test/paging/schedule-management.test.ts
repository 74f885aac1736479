import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * What the schedules page needs from the API, on both databases: the timeline of each layer, the
 * overrides and the final result with gaps; deleting a schedule a policy pages is refused naming
 * the policy; "cover for me" overrides added and removed; bad input named by field.
 */
const H = 3_600_000;

describe.each(DIALECTS)('schedule management API (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let responder: { userId: string; token: string };
  let ann = '';
  let bob = '';
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, token = admin) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  beforeAll(async () => {
    t = await createTestApp(dialect, { start: '2026-03-02T00:00:00Z' });
    admin = (await t.userWithKey('admin')).token;
    responder = await t.userWithKey('responder');
    ann = (await t.userWithKey('responder')).userId;
    bob = (await t.userWithKey('responder')).userId;
  });
  afterAll(async () => t?.close());

  it('draws the layers, overrides and final timeline with gaps', async () => {
    const created = await call('POST', '/schedules', {
      name: 'Timeline rota', timeZone: 'UTC',
      layers: [{ id: 'day', name: 'Office hours', rotation: { type: 'daily', handoffTime: '00:00', startDate: '2026-03-02', members: [ann, bob] }, restrictions: [{ type: 'daily', from: '09:00', to: '17:00' }] }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const cover = await call('POST', `/schedules/${id}/overrides`, { user: responder.userId, replacesUser: ann, start: '2026-03-02T12:00:00Z', end: '2026-03-02T14:00:00Z' }, responder.token);
    expect(cover.statusCode, cover.body).toBe(201);

    const res = await call('GET', `/schedules/${id}/timeline?from=2026-03-02T00:00:00Z&days=2`);
    expect(res.statusCode, res.body).toBe(200);
    const tl = res.json();
    expect(tl.from).toBe('2026-03-02T00:00:00.000Z');
    expect(tl.to).toBe('2026-03-04T00:00:00.000Z');
    const T0 = Date.parse(tl.from);
    const hours = (bars: { start: number; end: number; userId: string }[]) => bars.map((b) => [(b.start - T0) / H, (b.end - T0) / H, b.userId]);
    expect(hours(tl.layers[0].bars)).toEqual([[9, 17, ann], [33, 41, bob]]);
    expect(hours(tl.final)).toEqual([[9, 12, ann], [12, 14, responder.userId], [14, 17, ann], [33, 41, bob]]);
    expect(tl.final[1].overrideId).toBe(tl.overrides[0].id);
    expect(tl.gaps.map((g: { start: number; end: number }) => [(g.start - T0) / H, (g.end - T0) / H])).toEqual([[0, 9], [17, 33], [41, 48]]);

    // The override is listed on the schedule, and removed by whoever may respond.
    const view = (await call('GET', `/schedules/${id}`)).json();
    expect(view.overrides).toHaveLength(1);
    expect(view.overrides[0].replacesUserId).toBe(ann);
    const removed = await call('DELETE', `/schedules/${id}/overrides/${view.overrides[0].id}`, undefined, responder.token);
    expect(removed.statusCode, removed.body).toBe(204);
    const again = await call('DELETE', `/schedules/${id}/overrides/${view.overrides[0].id}`, undefined, responder.token);
    expect(again.statusCode).toBe(404);
    expect((await call('GET', `/schedules/${id}`)).json().overrides).toEqual([]);
  });

  it('names the field for bad timeline and override input', async () => {
    const id = (await call('POST', '/schedules', { name: 'Bad input rota', timeZone: 'UTC', layers: [] })).json().id as string;
    const tooLong = await call('GET', `/schedules/${id}/timeline?days=400`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().issues.map((i: { field: string }) => i.field)).toEqual(['days']);
    const zero = await call('GET', `/schedules/${id}/timeline?days=0`);
    expect(zero.statusCode).toBe(400);
    expect(zero.body).toContain('days');
    const badFrom = await call('GET', `/schedules/${id}/timeline?from=yesterday`);
    expect(badFrom.statusCode).toBe(400);
    expect(badFrom.body).toContain('from');
    expect((await call('GET', '/schedules/sch_nope/timeline')).statusCode).toBe(404);
    // An empty schedule is one long gap.
    const empty = (await call('GET', `/schedules/${id}/timeline?from=2026-03-02T00:00:00Z&days=1`)).json();
    expect(empty.final).toEqual([]);
    expect(empty.gaps).toEqual([{ start: Date.parse('2026-03-02T00:00:00Z'), end: Date.parse('2026-03-03T00:00:00Z') }]);

    const backwards = await call('POST', `/schedules/${id}/overrides`, { user: ann, start: '2026-03-03T12:00:00Z', end: '2026-03-03T10:00:00Z' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().issues[0].field).toBe('end');
    const nobody = await call('POST', `/schedules/${id}/overrides`, { user: 'nobody@example.test', start: '2026-03-03T10:00:00Z', end: '2026-03-03T12:00:00Z' });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json().issues[0].field).toBe('user');
    const team = await call('POST', '/teams', { slug: 'rota-team', name: 'Rota team' });
    expect(team.statusCode, team.body).toBe(201);
    expect((await call('PUT', `/schedules/${id}`, { team: 'rota-team' })).json().teamId).toBe(team.json().id);
    expect((await call('PUT', `/schedules/${id}`, { name: 'Renamed rota' })).json().teamId).toBe(team.json().id);
    expect((await call('PUT', `/schedules/${id}`, { team: null })).json().teamId).toBeNull();
    const noTeam = await call('PUT', `/schedules/${id}`, { team: 'no-such-team' });
    expect(noTeam.statusCode).toBe(400);
    expect(noTeam.json().issues[0].field).toBe('team');
    const badZone = await call('PUT', `/schedules/${id}`, { timeZone: 'Mars/Olympus' });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().issues[0].field).toBe('timeZone');
  });

  it('refuses to delete a schedule an escalation policy pages, naming the policy', async () => {
    const id = (await call('POST', '/schedules', { name: 'Paged rota', timeZone: 'Europe/Berlin', layers: [{ id: 'base', name: 'Base', rotation: { type: 'weekly', handoffTime: '09:00', startDate: '2026-03-02', members: [ann] } }] })).json().id as string;
    const policy = await call('POST', '/escalation-policies', { name: 'Checkout paging', levels: [{ delaySeconds: 0, targets: [{ type: 'schedule', id }] }] });
    expect(policy.statusCode, policy.body).toBe(201);
    expect((await call('GET', `/schedules/${id}`)).json().usedBy).toEqual(['escalation policy Checkout paging']);
    const listed = (await call('GET', '/schedules')).json().items as { id: string; usedBy: string[] }[];
    expect(listed.find((s) => s.id === id)!.usedBy).toEqual(['escalation policy Checkout paging']);
    expect(listed.filter((s) => s.id !== id).every((s) => s.usedBy.length === 0)).toBe(true);

    const refused = await call('DELETE', `/schedules/${id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('"Checkout paging"');
    expect((await call('GET', `/schedules/${id}`)).statusCode).toBe(200);

    // Once the policy pages someone else, the schedule goes.
    const changed = await call('PUT', `/escalation-policies/${policy.json().id}`, { name: 'Checkout paging', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: ann }] }] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await call('DELETE', `/schedules/${id}`)).statusCode).toBe(204);
    expect((await call('GET', `/schedules/${id}`)).statusCode).toBe(404);
  });
});
