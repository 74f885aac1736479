import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from './receivers.js';

/**
 * Issue 14: "escalate if not resolved in 15 minutes". A policy's `ifUnresolved` entry pages its
 * targets once that long after escalation started, acknowledged or not, and never once resolved.
 */
describe.each(DIALECTS)('escalation when an incident is not resolved in time (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const u: Record<'oncall' | 'lead', { token: string; userId: string }> = {} as never;

  const post = (url: string, body: unknown, token = admin) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(token) });
  const pagedUsers = async (incidentId: string): Promise<string[]> => {
    await t.paging.worker.drain();
    return (await t.store.db.selectFrom('deliveries').select(['user_id', 'id']).where('incident_id', '=', incidentId).orderBy('id').execute()).map((r) => r.user_id);
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32' } } });
    admin = (await t.userWithKey('admin')).token;
    for (const who of ['oncall', 'lead'] as const) {
      u[who] = await t.userWithKey('responder');
      expect((await post('/api/v1/contact-methods', { kind: 'webhook', address: `${receiver.url}/${who}` }, u[who].token)).statusCode).toBe(201);
    }
    const policy = await post('/api/v1/escalation-policies', {
      name: 'Storage', severities: ['SEV1'],
      levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: u.oncall.userId }] }],
      ifUnresolved: [{ afterSeconds: 900, targets: [{ type: 'user', id: u.lead.userId }] }],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    expect(policy.json().ifUnresolved).toEqual([{ afterSeconds: 900, targets: [{ type: 'user', id: u.lead.userId }] }]);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('acknowledged but not resolved after 15 minutes: the lead is paged once', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'disk full', severity: 'SEV1' })).json();
    expect(await pagedUsers(inc.id)).toEqual([u.oncall.userId]);
    expect((await post(`/api/v1/incidents/${inc.number}/acknowledge`, {}, u.oncall.token)).statusCode).toBe(200);
    t.clock.advance(14 * 60_000);
    expect(await pagedUsers(inc.id)).toEqual([u.oncall.userId]);
    t.clock.advance(2 * 60_000);
    expect(await pagedUsers(inc.id)).toEqual([u.oncall.userId, u.lead.userId]);
    const items = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${inc.number}/timeline`, headers: bearer(admin) })).json().items as { kind: string; body: string }[];
    expect(items.filter((e) => e.kind === 'paged').at(-1)!.body).toMatch(/^Not resolved 15 min after escalation started \(the incident is acknowledged\): paged /);
    t.clock.advance(60 * 60_000);
    expect(await pagedUsers(inc.id)).toEqual([u.oncall.userId, u.lead.userId]);
  });

  it('resolved in time: nobody more is paged', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'cert expiry', severity: 'SEV1' })).json();
    expect(await pagedUsers(inc.id)).toEqual([u.oncall.userId]);
    expect((await post(`/api/v1/incidents/${inc.number}/resolve`, {}, u.oncall.token)).statusCode).toBe(200);
    t.clock.advance(20 * 60_000);
    expect(await pagedUsers(inc.id)).toEqual([u.oncall.userId]);
  });

  it('refuses an unknown target or a too-short wait, naming the field', async () => {
    const unknown = await post('/api/v1/escalation-policies', { name: 'Bad', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: u.lead.userId }] }], ifUnresolved: [{ afterSeconds: 600, targets: [{ type: 'user', id: 'usr_nobody' }] }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('ifUnresolved.0.targets.0.id');
    const short = await post('/api/v1/escalation-policies', { name: 'Bad', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: u.lead.userId }] }], ifUnresolved: [{ afterSeconds: 5, targets: [{ type: 'user', id: u.lead.userId }] }] });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('ifUnresolved.0.afterSeconds');
  });
});
