import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryTable } from '../../src/store/schema.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from './receivers.js';

/**
 * Issue 11, item 3: an acknowledgement that commits after the worker claimed a level-2 page but
 * before it went to the network must stop it. The worker's `beforeSend` seam holds the claimed,
 * prepared rows while the acknowledgement commits (no sleeps).
 */
describe.each(DIALECTS)('acknowledge vs a page already claimed, on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: { token: string; userId: string };
  let alice: { token: string; userId: string };
  let bob: { token: string; userId: string };
  let hold: ((rows: readonly DeliveryTable[]) => Promise<void>) | null = null;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, {
      paging: { config: { outboundAllow: '127.0.0.1/32' }, workerOptions: { sendTimeoutMs: 2_000 }, beforeSend: (rows) => hold?.(rows) },
    });
    admin = await t.userWithKey('admin');
    alice = await t.userWithKey('responder');
    bob = await t.userWithKey('responder');
    for (const [user, path] of [[alice, '/alice'], [bob, '/bob']] as const) {
      const cm = await post('/api/v1/contact-methods', { user: user.userId, kind: 'webhook', address: `${receiver.url}${path}` });
      expect(cm.statusCode, cm.body).toBe(201);
    }
    const policy = await post('/api/v1/escalation-policies', {
      name: 'Alice then Bob',
      levels: [
        { delaySeconds: 0, targets: [{ type: 'user', id: alice.userId }] },
        { delaySeconds: 300, targets: [{ type: 'user', id: bob.userId }] },
      ],
      repeat: 0,
      severities: ['SEV1'],
    });
    expect(policy.statusCode, policy.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const post = (url: string, body: unknown, token = admin.token) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(token) });
  const forPath = (p: string) => receiver.received.filter((r) => r.path === p);

  it('an acknowledgement committed after the claim and before the send: the level-2 page is not sent', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'Ack race', severity: 'SEV1' })).json();
    await t.paging.worker.drain();
    expect(forPath('/alice')).toHaveLength(1);

    t.clock.advance(300_000);
    const held: { id: string; statusBefore: string; statusAfter: string }[] = [];
    hold = async (rows) => {
      for (const row of rows) {
        if (row.user_id !== bob.userId) continue;
        // Claimed by this worker, prepared, not sent yet: now the acknowledgement commits.
        const ack = await post(`/api/v1/incidents/${inc.number}/status`, { event: 'acknowledge' }, alice.token);
        expect(ack.statusCode, ack.body).toBe(200);
        const after = await t.store.db.selectFrom('deliveries').select('status').where('id', '=', row.id).executeTakeFirstOrThrow();
        held.push({ id: row.id, statusBefore: row.status, statusAfter: after.status });
      }
    };
    try {
      await t.paging.worker.drain();
    } finally {
      hold = null;
    }
    expect(held).toHaveLength(1);
    // The acknowledgement itself cancelled the claimed row.
    expect(held[0]).toMatchObject({ statusBefore: 'sending', statusAfter: 'cancelled' });
    expect(forPath('/bob')).toHaveLength(0);
    const row = await t.store.db.selectFrom('deliveries').selectAll().where('id', '=', held[0]!.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    expect(row.sent_at).toBeNull();
    // Nothing is retried later either.
    t.clock.advance(3_600_000);
    await t.paging.worker.drain();
    expect(forPath('/bob')).toHaveLength(0);
  });

  it('a page whose incident is acknowledged between the claim and the last look is cancelled by the worker itself', async () => {
    // The acknowledgement's own cancel is bypassed (the row put back to `sending` under the
    // worker's claim), so only the worker's re-check of the incident stands between it and a send.
    const inc = (await post('/api/v1/incidents', { title: 'Ack race, worker check', severity: 'SEV1' })).json();
    await t.paging.worker.drain();
    t.clock.advance(300_000);
    let heldId: string | null = null;
    hold = async (rows) => {
      const row = rows.find((r) => r.user_id === bob.userId);
      if (!row) return;
      heldId = row.id;
      expect((await post(`/api/v1/incidents/${inc.number}/status`, { event: 'acknowledge' }, alice.token)).statusCode).toBe(200);
      await t.store.db.updateTable('deliveries').set({ status: 'sending', locked_by: row.locked_by, locked_until: row.locked_until, last_error: null }).where('id', '=', row.id).execute();
    };
    const before = forPath('/bob').length;
    try {
      await t.paging.worker.drain();
    } finally {
      hold = null;
    }
    expect(heldId).not.toBeNull();
    expect(forPath('/bob')).toHaveLength(before);
    const row = await t.store.db.selectFrom('deliveries').selectAll().where('id', '=', heldId!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'cancelled', sent_at: null, locked_by: null });
    expect(row.last_error).toMatch(/no longer triggered/);
  });
});
