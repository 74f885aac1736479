import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 14: count conditions ("more than 2 workers down → page the team lead"): a level pages
 * only when at least N of the incident's firing alerts match its matchers at its due time.
 */
describe.each(DIALECTS)('escalation levels conditioned on a count of firing alerts (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let key: string;
  let oncall: string;
  let lead: string;

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(admin) });
  const notify = async (status: 'firing' | 'resolved', workers: string[]) => {
    const res = await t.app.inject({
      method: 'POST', url: `/ingest/alertmanager/${key}`, headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        version: '4', status, receiver: 'firebreak', groupKey: '{}:{alertname="WorkerDown"}', truncatedAlerts: 0, groupLabels: { alertname: 'WorkerDown' }, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
        alerts: workers.map((w) => ({ status, labels: { alertname: 'WorkerDown', severity: 'critical', role: 'worker', instance: w }, annotations: { summary: `${w} down` }, startsAt: '2026-03-01T09:59:00Z', endsAt: status === 'resolved' ? '2026-03-01T10:00:00Z' : '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: `fp-${w}` })),
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const incidentOf = async (worker: string) => (await t.store.db.selectFrom('alerts').select('incident_id').where('dedup_key', '=', `fp-${worker}`).executeTakeFirstOrThrow()).incident_id!;
  const pagingOf = async (incidentId: string) => {
    await t.paging.worker.drain();
    const items = (await get(`/api/v1/incidents/${incidentId}/timeline`)).json().items as { kind: string; body: string; data: Record<string, unknown> }[];
    return { paged: items.filter((e) => e.kind === 'paged').map((e) => e.data.userIds), skipped: items.filter((e) => e.kind === 'escalation_skipped').map((e) => e.body) };
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    oncall = (await t.userWithKey('responder')).userId;
    lead = (await t.userWithKey('responder')).userId;
    const policy = await t.app.inject({
      method: 'POST', url: '/api/v1/escalation-policies', headers: bearer(admin),
      payload: {
        name: 'Workers',
        levels: [
          { delaySeconds: 0, targets: [{ type: 'user', id: oncall }] },
          { delaySeconds: 300, targets: [{ type: 'user', id: lead }], condition: { firingAlerts: { atLeast: 3, matchers: [{ name: 'role', op: '=', value: 'worker' }] } } },
        ],
        severities: ['SEV1'],
      },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    key = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'am', format: 'alertmanager-webhook' } })).json().key;
  });
  afterAll(() => t?.close());

  it('two workers down: the lead level is skipped, and the timeline says why', async () => {
    await notify('firing', ['w1', 'w2']);
    const incident = await incidentOf('w1');
    expect((await pagingOf(incident)).paged).toEqual([[oncall]]);
    t.clock.advance(6 * 60_000);
    const { paged, skipped } = await pagingOf(incident);
    expect(paged).toEqual([[oncall]]);
    expect(skipped.join('\n')).toContain('2 firing alerts matching role="worker"; the level needs at least 3');
    // Close it out for the next case.
    await notify('resolved', ['w1', 'w2']);
  });

  it('three workers down by the time the level falls due: the lead is paged', async () => {
    await notify('firing', ['w3', 'w4']);
    const incident = await incidentOf('w3');
    expect((await pagingOf(incident)).paged).toEqual([[oncall]]);
    await notify('firing', ['w3', 'w4', 'w5']);
    expect(await incidentOf('w5')).toBe(incident);
    t.clock.advance(6 * 60_000);
    expect((await pagingOf(incident)).paged).toEqual([[oncall], [lead]]);
  });

  it('refuses a count below one, naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/escalation-policies', headers: bearer(admin),
      payload: { name: 'Bad', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: lead }], condition: { firingAlerts: { atLeast: 0 } } }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('levels.0.condition.firingAlerts.atLeast');
  });
});
