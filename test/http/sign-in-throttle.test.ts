import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../src/domain/users/sign-in.js';
import { MAX_FAILURES_PER_ACCOUNT_SOURCE, MAX_FAILURES_PER_SOURCE } from '../../src/domain/users/sign-in-throttle.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 11, item 19: password spraying is slowed per source address; a stranger cannot lock the
 * admin out; unknown and known emails take the same time; failures do not grow the audit log
 * one entry each; the counters are shared through the database (a second store, as a second
 * instance would have).
 */
describe.each(DIALECTS)('sign-in throttling on %s', (dialect) => {
  let t: TestApp;
  const accounts: { email: string; password: string }[] = [];
  let admin: { email: string; password: string };
  let ipSeq = 0;
  const freshIp = () => `198.51.100.${++ipSeq}`;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    for (let i = 0; i < 40; i++) accounts.push(await t.userWithKey('viewer'));
  });
  afterAll(async () => {
    await t?.close();
  });

  const attempt = (email: string, password: string, ip: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password }, remoteAddress: ip });
  const auditCount = async (action: string) =>
    Number((await t.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

  it('password spraying over 40 accounts from one address is refused with 429 and Retry-After, other addresses are not', async () => {
    const sprayer = freshIp();
    const failedBefore = await auditCount('auth.sign_in_failed');
    const codes: number[] = [];
    for (const a of accounts) codes.push((await attempt(a.email, 'Winter2026!', sprayer)).statusCode);
    expect(codes.slice(0, MAX_FAILURES_PER_SOURCE).every((c) => c === 401)).toBe(true);
    expect(codes.slice(MAX_FAILURES_PER_SOURCE).every((c) => c === 429)).toBe(true);
    const refused = await attempt(accounts[39]!.email, accounts[39]!.password, sprayer);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    // The audit log grew by one entry per account tried before the limit, plus one for the limit.
    expect((await auditCount('auth.sign_in_failed')) - failedBefore).toBe(MAX_FAILURES_PER_SOURCE);
    expect(await auditCount('auth.sign_in_throttled')).toBe(1);
    // Another address signs in normally.
    expect((await attempt(accounts[39]!.email, accounts[39]!.password, freshIp())).statusCode).toBe(200);
  });

  it('a stranger guessing the admin password locks only themselves out; the admin signs in from elsewhere', async () => {
    const stranger = freshIp();
    const failedBefore = await auditCount('auth.sign_in_failed');
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_SOURCE; i++) expect((await attempt(admin.email, `guess-${i}`, stranger)).statusCode).toBe(401);
    expect((await attempt(admin.email, 'guess-more', stranger)).statusCode).toBe(429);
    expect((await attempt(admin.email, admin.password, stranger)).statusCode).toBe(429);
    expect((await attempt(admin.email, admin.password, freshIp())).statusCode).toBe(200);
    // Ten failures and the lock: two audit entries, not eleven.
    expect((await auditCount('auth.sign_in_failed')) - failedBefore).toBe(1);
    const locked = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.sign_in_locked').where('target', '=', admin.email).execute();
    expect(locked).toHaveLength(1);
    expect(JSON.parse(locked[0]!.data)).toMatchObject({ failures: MAX_FAILURES_PER_ACCOUNT_SOURCE });
    expect(locked[0]!.ip).toBe(stranger);
  });

  it('the counters are shared through the database: another instance refuses the same address', async () => {
    const source = freshIp();
    const account = accounts[0]!;
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_SOURCE; i++) expect((await attempt(account.email, 'wrong', source)).statusCode).toBe(401);
    const other = t.db.openAnother();
    const ctx = { ...t.ctx(), store: other, ip: source };
    await expect(signIn({ ctx, input: { email: account.email, password: account.password } })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    // The window ends: the lock with it.
    t.clock.advance(15 * 60_000);
    expect((await attempt(account.email, account.password, source)).statusCode).toBe(200);
  });

  it('guesses sent in parallel cannot slip under the limit', async () => {
    const source = freshIp();
    const account = accounts[2]!;
    const codes = await Promise.all(Array.from({ length: 25 }, (_, i) => attempt(account.email, `parallel-${i}`, source).then((r) => r.statusCode)));
    expect(codes.filter((c) => c === 401)).toHaveLength(MAX_FAILURES_PER_ACCOUNT_SOURCE);
    expect(codes.filter((c) => c === 429)).toHaveLength(25 - MAX_FAILURES_PER_ACCOUNT_SOURCE);
    // Sign-ins and failures side by side from many addresses: no deadlock, every answer 200 or 401.
    const mixed = await Promise.all(accounts.slice(3, 13).flatMap((a) => [attempt(a.email, a.password, freshIp()), attempt(a.email, 'wrong', freshIp())]).map((p) => p.then((r) => r.statusCode)));
    expect(mixed.filter((c) => c === 200)).toHaveLength(10);
    expect(mixed.filter((c) => c === 401)).toHaveLength(10);
  });

  it('an unknown email takes as long as a known one with a wrong password', async () => {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const time = async (email: string) => {
      const start = process.hrtime.bigint();
      expect((await attempt(email, 'not-the-password', freshIp())).statusCode).toBe(401);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    await time('warm-up@example.test');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await time(accounts[i + 1]!.email));
      unknown.push(await time(`nobody-${i}@example.test`));
    }
    const ratio = Math.max(median(known), median(unknown)) / Math.min(median(known), median(unknown));
    // Before: 87 ms against 2.3 ms (×38). A generous bound for a busy machine.
    expect(ratio, `known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`).toBeLessThan(3);
  });
});
