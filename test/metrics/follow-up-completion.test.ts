import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 13: the report counts post-mortem and action-item completion over the incidents it
 * covers: post-mortems for resolved incidents whose severity requires one (published = done;
 * past due = overdue), action items but those closed as "won't do" (done; open past due).
 */
describe.each(DIALECTS)('follow-up completion in the incident report (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  const DAY = 86_400_000;
  const post = (url: string, body: unknown = {}) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(admin) });
  const report = async (query = '') => (await t.app.inject({ method: 'GET', url: `/api/v1/reports/incidents?from=2026-03-01&to=2026-03-10${query}`, headers: bearer(admin) })).json();

  beforeAll(async () => {
    t = await createTestApp(dialect, { start: '2026-03-02T10:00:00Z' });
    const user = await t.userWithKey('admin');
    admin = user.token;
    const owner = user.email;
    // Three SEV1s (post-mortem required by the default ladder), resolved; one SEV3 (not required).
    const incidents = [];
    for (const severity of ['SEV1', 'SEV1', 'SEV1', 'SEV3']) {
      const inc = (await post('/api/v1/incidents', { title: `${severity} outage`, severity })).json();
      expect((await post(`/api/v1/incidents/${inc.number}/resolve`)).statusCode).toBe(200);
      incidents.push(inc);
    }
    // #1: published; #2: a draft; #3: none at all.
    const pm = await post(`/api/v1/incidents/${incidents[0].number}/postmortem`, {});
    expect(pm.statusCode, pm.body).toBe(201);
    expect((await post(`/api/v1/postmortems/${pm.json().id}/submit`)).statusCode).toBe(200);
    expect((await post(`/api/v1/postmortems/${pm.json().id}/publish`)).statusCode).toBe(200);
    expect((await post(`/api/v1/incidents/${incidents[1].number}/postmortem`, {})).statusCode).toBe(201);
    // Action items: one done, one open due tomorrow, one open due in 2 days, one won't do.
    const add = async (title: string, days: number) => {
      const res = await post(`/api/v1/incidents/${incidents[0].number}/action-items`, { title, owner, dueAt: new Date(t.clock.now() + days * DAY).toISOString() });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const done = await add('circuit breaker', 3);
    await add('alert on queue depth', 1);
    await add('runbook for failover', 2);
    const dropped = await add('rewrite in Rust', 5);
    expect((await post(`/api/v1/action-items/${done}/status`, { status: 'done' })).statusCode).toBe(200);
    expect((await post(`/api/v1/action-items/${dropped}/status`, { status: 'wont_do', reason: 'not worth it' })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('counts them now, nothing overdue yet', async () => {
    const r = await report();
    expect(r.followUps.postMortems).toEqual({ available: true, total: 3, completed: 1, overdue: 0, completedShare: 0.333 });
    expect(r.followUps.actionItems).toEqual({ available: true, total: 3, completed: 1, overdue: 0, completedShare: 0.333 });
  });

  it('a week on, the unfinished ones are overdue', async () => {
    t.clock.advance(7 * DAY);
    const r = await report();
    expect(r.followUps.postMortems).toMatchObject({ total: 3, completed: 1, overdue: 2 });
    expect(r.followUps.actionItems).toMatchObject({ total: 3, completed: 1, overdue: 2 });
  });

  it('follows the report filters', async () => {
    const r = await report('&severity=SEV3');
    expect(r.followUps.postMortems).toMatchObject({ total: 0, completed: 0, completedShare: null });
    expect(r.followUps.actionItems).toMatchObject({ total: 0 });
  });
});
