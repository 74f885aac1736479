import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * The worker is woken for a first page only once the incident's transaction has committed:
 * woken earlier, its claim finds no timer and the page waits for the next poll.
 */
describe.each(DIALECTS)('worker wake-up for a new incident on %s', (dialect) => {
  let t: TestApp;
  let other: Store;
  let adminToken: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    other = t.db.openAnother();
    const admin = await t.userWithKey('admin');
    const policy = await t.app.inject({
      method: 'POST', url: '/api/v1/escalation-policies', headers: bearer(admin.token),
      payload: { name: 'Now', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: admin.userId }] }], repeat: 0, severities: ['SEV1'] },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    adminToken = admin.token;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is told after the commit, once, and the timer is there for another connection', async () => {
    const wakes: { at: number; timers: Promise<number> }[] = [];
    // Every timer due now, seen from a second connection at the moment of the wake.
    const dueTimers = () => other.db.selectFrom('timers').select('id').where('run_at', '<=', t.clock.now()).execute().then((r) => r.length);
    t.paging.worker.wake = (at: number) => void wakes.push({ at, timers: dueTimers() });
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/incidents', headers: bearer(adminToken),
      payload: { title: 'Wake after commit', severity: 'SEV1' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(wakes).toHaveLength(1);
    expect(wakes[0]!.at).toBe(t.clock.now());
    expect(await wakes[0]!.timers).toBe(1);
  });
});
