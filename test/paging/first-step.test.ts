import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import { applyStatusEvent } from '../../src/domain/incidents/change-incident-status.js';
import { openIncident } from '../../src/domain/incidents/open-incident.js';
import { createPagingHook } from '../../src/domain/paging/escalation-hook.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from './receivers.js';

/**
 * With the worker running in the process, a first level due at once is stepped in the
 * transaction that opens the incident (domain/paging/escalation-hook.ts): the delivery is
 * committed claimed by the worker and sent right after the commit, with no timer claim in
 * between; the escalation's timer already points at the next level.
 */
describe.each(DIALECTS)('first escalation step in the opening transaction on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: { token: string; userId: string };
  let alice: { token: string; userId: string };

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32' }, workerOptions: { sendTimeoutMs: 2_000 } } });
    admin = await t.userWithKey('admin');
    alice = await t.userWithKey('responder');
    const post = (url: string, body: unknown) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(admin.token) });
    expect((await post('/api/v1/contact-methods', { user: alice.userId, kind: 'webhook', address: `${receiver.url}/alice`, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })).statusCode).toBe(201);
    const policy = await post('/api/v1/escalation-policies', {
      name: 'Alice then Alice again',
      levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: alice.userId }] }, { delaySeconds: 600, targets: [{ type: 'user', id: alice.userId }] }],
      repeat: 0,
      severities: ['SEV1'],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    t.paging.worker.start();
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const until = async (condition: () => boolean | Promise<boolean>, what: string) => {
    for (let i = 0; i < 400; i++) {
      if (await condition()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  it('commits the level-1 delivery claimed with the incident and sends it at once; the timer waits for level 2', async () => {
    receiver.received.length = 0;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', payload: { title: 'Checkout down', severity: 'SEV1' }, headers: bearer(admin.token) });
    expect(res.statusCode, res.body).toBe(201);
    const inc = res.json();
    // Committed with the incident: the page is claimed by this process's worker, not queued.
    const delivery = await t.store.db.selectFrom('deliveries').selectAll().where('incident_id', '=', inc.id).executeTakeFirstOrThrow();
    expect(delivery.attempts).toBe(1);
    expect(delivery.action_key).toMatch(/^step:0:0:/);
    // The timer was never claimed: it was rewritten in the same transaction for the next level.
    const timer = await t.store.db.selectFrom('timers').selectAll().where('key', '=', `escalate:${inc.id}`).executeTakeFirstOrThrow();
    expect(timer.run_at).toBe(t.clock.now() + 600_000);
    expect(timer.attempts).toBe(0);
    expect(timer.locked_by).toBeNull();

    await until(() => receiver.received.filter((r) => r.path === '/alice').length === 1, 'the page');
    expect(JSON.parse(receiver.received[0]!.body).data.incident.id).toBe(inc.id);
    await until(async () => (await t.store.db.selectFrom('deliveries').select('status').where('id', '=', delivery.id).executeTakeFirstOrThrow()).status === 'sent', 'the result');
    const kinds = (await t.store.db.selectFrom('timeline_events').select('kind').where('incident_id', '=', inc.id).orderBy('at').orderBy('id').execute()).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['escalation_started', 'paged', 'delivery']));
    expect(receiver.received.filter((r) => r.path === '/alice')).toHaveLength(1);
  });

  it('pages nobody for an incident acknowledged in the transaction that opened it', async () => {
    receiver.received.length = 0;
    const id = await t.store.transaction(async (tx) => {
      const now = t.clock.now();
      const row = await openIncident(t.ctx(), tx, {
        id: newId('inc', now), title: 'Opened and owned at once', summary: '', severity: 'SEV1', serviceId: null, detectedAt: now, isDrill: false,
        declaredBody: 'Declared', declaredData: {},
      });
      await applyStatusEvent(t.ctx(), tx, row, 'acknowledge');
      return row.id;
    });
    const deliveries = await t.store.db.selectFrom('deliveries').select('id').where('incident_id', '=', id).execute();
    expect(deliveries).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received).toHaveLength(0);
  });

  it('commits the incident and leaves the step to the worker when the step fails', async () => {
    receiver.received.length = 0;
    // A claim that breaks the step once it has deliveries to claim.
    const broken = { owner: 'broken', leaseMs: 30_000, get max(): number { throw new Error('step failed on purpose'); } };
    const hook = createPagingHook({ firstStep: { claim: () => broken, send: () => { throw new Error('nothing to send'); } } });
    const ctx = { ...t.ctx(), incidentHooks: [hook] };
    // Paused, so the timer is read before the worker takes it.
    await t.paging.worker.stop();
    const id = await t.store.transaction(async (tx) => {
      const now = t.clock.now();
      const row = await openIncident(ctx, tx, {
        id: newId('inc', now), title: 'Paging broke, the incident stands', summary: '', severity: 'SEV1', serviceId: null, detectedAt: now, isDrill: false,
        declaredBody: 'Declared', declaredData: {},
      });
      return row.id;
    });
    expect(await t.store.db.selectFrom('incidents').select('id').where('id', '=', id).executeTakeFirst()).toBeDefined();
    // Nothing of the step survived; the worker's timer for level 1 is due now.
    expect(await t.store.db.selectFrom('deliveries').select('id').where('incident_id', '=', id).execute()).toHaveLength(0);
    const kinds = (await t.store.db.selectFrom('timeline_events').select('kind').where('incident_id', '=', id).execute()).map((e) => e.kind);
    expect(kinds).not.toContain('paged');
    const timer = await t.store.db.selectFrom('timers').selectAll().where('key', '=', `escalate:${id}`).executeTakeFirstOrThrow();
    expect(timer.run_at).toBe(t.clock.now());
    expect(timer.generation).toBe(1);
    // The worker takes it from there.
    t.paging.worker.start();
    await until(() => receiver.received.some((r) => JSON.parse(r.body).data?.incident?.id === id), 'the page from the timer');
  });

  it('steps at most 8 new incidents of one transaction inline; the rest wait for the worker', async () => {
    const sent: { incident_id: string | null }[] = [];
    const hook = createPagingHook({ firstStep: { claim: () => ({ owner: 'storm-test', leaseMs: 86_400_000, max: 100 }), send: (rows) => void sent.push(...rows) } });
    const ctx = { ...t.ctx(), incidentHooks: [hook] };
    await t.paging.worker.stop();
    const ids = await t.store.transaction(async (tx) => {
      const opened: string[] = [];
      for (let i = 0; i < 12; i++) {
        const now = t.clock.now();
        const row = await openIncident(ctx, tx, {
          id: newId('inc', now), title: `Storm ${i}`, summary: '', severity: 'SEV1', serviceId: null, detectedAt: now, isDrill: false, declaredBody: 'Declared', declaredData: {},
        });
        opened.push(row.id);
      }
      return opened;
    });
    // The first eight were stepped and handed over after the commit, one page each.
    expect(sent.map((r) => r.incident_id)).toEqual(ids.slice(0, 8));
    const timers = await t.store.db.selectFrom('timers').select(['key', 'run_at']).where('key', 'in', ids.map((id) => `escalate:${id}`)).execute();
    const runAt = new Map(timers.map((r) => [r.key, r.run_at]));
    for (const id of ids.slice(0, 8)) expect(runAt.get(`escalate:${id}`)).toBe(t.clock.now() + 600_000);
    // The other four have their level-1 timer due now, for the worker.
    for (const id of ids.slice(8)) expect(runAt.get(`escalate:${id}`)).toBe(t.clock.now());
    t.paging.worker.start();
    await until(() => ids.slice(8).every((id) => receiver.received.some((r) => JSON.parse(r.body).data?.incident?.id === id)), 'the worker paging the other four');
  });

  it('rolls the step back with a transaction that fails after opening the incident', async () => {
    await expect(t.store.transaction(async (tx) => {
      const now = t.clock.now();
      await openIncident(t.ctx(), tx, {
        id: newId('inc', now), title: 'Never committed', summary: '', severity: 'SEV1', serviceId: null, detectedAt: now, isDrill: false,
        declaredBody: 'Declared', declaredData: {},
      });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await t.store.db.selectFrom('incidents').select('id').where('title', '=', 'Never committed').execute()).toHaveLength(0);
    // Deliveries of an incident that does not exist (the rolled-back one).
    const orphans = await t.store.db.selectFrom('deliveries').leftJoin('incidents', 'incidents.id', 'deliveries.incident_id').select('deliveries.id').where('incidents.id', 'is', null).execute();
    expect(orphans).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received.filter((r) => r.body.includes('Never committed'))).toHaveLength(0);
  });
});
