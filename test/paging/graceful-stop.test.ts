import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { Worker, type DeliveryEvent } from '../../src/worker/worker.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from './receivers.js';

/**
 * Issue 11, item 23: a graceful stop must not hand back a claim whose send is in flight, or the
 * next instance (or this one restarted) sends the same page again. The receiver holds each
 * request open until the test lets it answer; no sleeps.
 */
describe.each(DIALECTS)('graceful stop with a send in flight, on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: { token: string; userId: string };
  let gate: { open: () => void; promise: Promise<void> };
  let arrived: { resolve: () => void; promise: Promise<void> };
  const finished: DeliveryEvent[] = [];
  let onFinished: (() => void) | null = null;

  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { resolve, promise };
  };
  const newGate = () => {
    const d = deferred();
    gate = { open: d.resolve, promise: d.promise };
    arrived = deferred();
  };

  beforeAll(async () => {
    receiver = await startReceiver(() => {
      arrived.resolve();
      return { status: 200, until: gate.promise };
    });
    t = await createTestApp(dialect, {
      paging: {
        config: { outboundAllow: '127.0.0.1/32' },
        workerOptions: { sendTimeoutMs: 10_000, stopGraceMs: 150, idlePollMs: 50 },
        onDelivery: (e) => { finished.push(e); onFinished?.(); },
      },
    });
    admin = await t.userWithKey('admin');
    const pager = await t.userWithKey('responder');
    expect((await post('/api/v1/contact-methods', { user: pager.userId, kind: 'webhook', address: `${receiver.url}/slow` })).statusCode).toBe(201);
    const policy = await post('/api/v1/escalation-policies', { name: 'Now', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: pager.userId }] }], repeat: 0, severities: ['SEV1'] });
    expect(policy.statusCode, policy.body).toBe(201);
  });
  afterAll(async () => {
    gate?.open();
    await t?.close();
    await receiver?.close();
  });

  const post = (url: string, body: unknown) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(admin.token) });
  /** Another instance on the same database: what takes over after this one stops. */
  const restarted = () => new Worker({ store: t.store, clock: t.clock, log: silentLogger, incidentHooks: [], channels: t.paging.channels, publicUrl: 'http://firebreak.test', links: t.paging.links, instanceId: `restart-${Math.random()}` });

  it('a send still in flight when the grace runs out keeps its claim: finished and marked sent, never re-sent', async () => {
    newGate();
    receiver.received.length = 0;
    const worker = t.paging.worker;
    worker.start();
    await post('/api/v1/incidents', { title: 'Stop mid-send', severity: 'SEV1' });
    await arrived.promise;
    // The receiver holds the request past the 150 ms grace.
    await worker.stop();
    const row = await t.store.db.selectFrom('deliveries').selectAll().orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sending', locked_by: worker.id });
    expect(row.send_started_at).not.toBeNull();

    // A restart (another worker) finds nothing to claim while the lease holds.
    await restarted().drain();
    expect(receiver.received).toHaveLength(1);

    // The send completes; its result is written under the claim it kept.
    const done = new Promise<void>((r) => (onFinished = () => { if (finished.some((e) => e.deliveryId === row.id)) r(); }));
    gate.open();
    await done;
    onFinished = null;
    await worker.flush();
    const after = await t.store.db.selectFrom('deliveries').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'sent', locked_by: null });
    t.clock.advance(3_600_000);
    await restarted().drain();
    expect(receiver.received).toHaveLength(1);
  });

  it('stop waits for a send in flight within the grace, records it, and the next instance sends nothing', async () => {
    newGate();
    receiver.received.length = 0;
    const worker = new Worker({
      store: t.store, clock: t.clock, log: silentLogger, incidentHooks: [], channels: t.paging.channels, publicUrl: 'http://firebreak.test', links: t.paging.links,
      options: { sendTimeoutMs: 10_000, idlePollMs: 50 },
    });
    await post('/api/v1/incidents', { title: 'Stop within the grace', severity: 'SEV1' });
    worker.start();
    await arrived.promise;
    const stopped = worker.stop();
    gate.open();
    await stopped;
    // Written before stop returned: it waited for the send and its result.
    const row = await t.store.db.selectFrom('deliveries').selectAll().orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', locked_by: null });
    await restarted().drain();
    expect(receiver.received).toHaveLength(1);
  });
});
