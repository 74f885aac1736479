import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from './receivers.js';

/**
 * Issue 14, escalation semantics: raising an incident's severity re-evaluates its escalation,
 * acknowledged or not, so raising to SEV1 never pages nobody new. Another policy for the new
 * severity takes over; with the same policy, the levels behind whose condition holds only now page.
 */
describe.each(DIALECTS)('severity raised on an escalating incident (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const u: Record<'primary' | 'major' | 'manager', { token: string; userId: string }> = {} as never;

  const post = (url: string, body: unknown, token = admin) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(token) });
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(admin) });
  /** Users with a delivery for the incident, in order of creation. */
  const pagedUsers = async (incidentId: string): Promise<string[]> => {
    await t.paging.worker.drain();
    const rows = await t.store.db.selectFrom('deliveries').select(['user_id', 'id']).where('incident_id', '=', incidentId).orderBy('id').execute();
    return rows.map((r) => r.user_id);
  };
  const timeline = async (ref: number) => (await get(`/api/v1/incidents/${ref}/timeline`)).json().items as { kind: string; body: string; data: Record<string, unknown> }[];

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32' } } });
    admin = (await t.userWithKey('admin')).token;
    for (const who of ['primary', 'major', 'manager'] as const) {
      u[who] = await t.userWithKey('responder');
      const cm = await post('/api/v1/contact-methods', { kind: 'webhook', address: `${receiver.url}/${who}` }, u[who].token);
      expect(cm.statusCode, cm.body).toBe(201);
    }
    const team = await post('/api/v1/escalation-policies', { name: 'Team on-call', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: u.primary.userId }] }], severities: ['SEV2', 'SEV3', 'SEV4'] });
    expect(team.statusCode, team.body).toBe(201);
    const major = await post('/api/v1/escalation-policies', { name: 'Major incident', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: u.major.userId }] }, { delaySeconds: 600, targets: [{ type: 'user', id: u.manager.userId }] }], severities: ['SEV1'] });
    expect(major.statusCode, major.body).toBe(201);
    const db = await post('/api/v1/escalation-policies', {
      name: 'Database',
      levels: [
        { delaySeconds: 0, targets: [{ type: 'user', id: u.primary.userId }] },
        { delaySeconds: 300, targets: [{ type: 'user', id: u.manager.userId }], condition: { severities: ['SEV1'] } },
        { delaySeconds: 300, targets: [{ type: 'user', id: u.major.userId }] },
      ],
    });
    expect(db.statusCode, db.body).toBe(201);
    expect((await post('/api/v1/services', { slug: 'db', name: 'Database', escalationPolicy: 'Database' })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('acknowledged SEV3 raised to SEV1: the SEV1 policy takes over and its level 1 is paged now; escalation stays paused', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'checkout slow', severity: 'SEV3' })).json();
    expect(await pagedUsers(inc.id)).toEqual([u.primary.userId]);
    expect((await post(`/api/v1/incidents/${inc.number}/acknowledge`, {}, u.primary.token)).statusCode).toBe(200);

    const raised = await post(`/api/v1/incidents/${inc.number}/severity`, { severity: 'SEV1', reason: 'checkout down for everyone' });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(await pagedUsers(inc.id)).toEqual([u.primary.userId, u.major.userId]);
    const took = (await timeline(inc.number)).filter((e) => e.kind === 'escalation_started').at(-1)!;
    expect(took.body).toContain('Severity raised SEV3 → SEV1: escalation policy **Major incident** (default for SEV1) takes over; its level 1 was paged now');
    const esc = await t.store.db.selectFrom('incident_escalations').select(['status', 'snapshot']).where('incident_id', '=', inc.id).executeTakeFirstOrThrow();
    expect(esc.status).toBe('acknowledged');
    expect(JSON.parse(esc.snapshot).policy.name).toBe('Major incident');
    // Paused: level 2 of the new policy (the manager, 10 min) does not page while acknowledged.
    t.clock.advance(20 * 60_000);
    expect(await pagedUsers(inc.id)).toEqual([u.primary.userId, u.major.userId]);
    expect((await get(`/api/v1/incidents/${inc.number}`)).json().status).toBe('acknowledged');
  });

  it('triggered SEV3 raised to SEV1: the SEV1 policy takes over and escalates on', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'queue backlog', severity: 'SEV3' })).json();
    expect(await pagedUsers(inc.id)).toEqual([u.primary.userId]);
    expect((await post(`/api/v1/incidents/${inc.number}/severity`, { severity: 'SEV1' })).statusCode).toBe(200);
    expect(await pagedUsers(inc.id)).toEqual([u.primary.userId, u.major.userId]);
    t.clock.advance(11 * 60_000);
    expect(await pagedUsers(inc.id)).toEqual([u.primary.userId, u.major.userId, u.manager.userId]);
  });

  it('same policy: a level skipped for the old severity pages when the raise makes it hold', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'replica lag', severity: 'SEV2', service: 'db' })).json();
    expect(await pagedUsers(inc.id)).toEqual([u.primary.userId]);
    t.clock.advance(6 * 60_000);
    // Level 2 (SEV1 only) was skipped for SEV2.
    expect(await pagedUsers(inc.id)).toEqual([u.primary.userId]);
    expect((await timeline(inc.number)).some((e) => e.kind === 'escalation_skipped' || /skipped/.test(e.body))).toBe(true);
    expect((await post(`/api/v1/incidents/${inc.number}/acknowledge`, {}, u.primary.token)).statusCode).toBe(200);

    expect((await post(`/api/v1/incidents/${inc.number}/severity`, { severity: 'SEV1' })).statusCode).toBe(200);
    expect(await pagedUsers(inc.id)).toEqual([u.primary.userId, u.manager.userId]);
    const paged = (await timeline(inc.number)).filter((e) => e.kind === 'paged').at(-1)!;
    expect(paged.body).toMatch(/^Severity raised SEV2 → SEV1: level 2 now applies; paged /);
  });

  it('lowering pages nobody', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'cache misses', severity: 'SEV1' })).json();
    expect(await pagedUsers(inc.id)).toEqual([u.major.userId]);
    expect((await post(`/api/v1/incidents/${inc.number}/acknowledge`, {}, u.major.token)).statusCode).toBe(200);
    expect((await post(`/api/v1/incidents/${inc.number}/severity`, { severity: 'SEV3' })).statusCode).toBe(200);
    expect(await pagedUsers(inc.id)).toEqual([u.major.userId]);
  });
});
