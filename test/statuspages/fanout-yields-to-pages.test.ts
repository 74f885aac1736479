import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FANOUT_BATCH, FANOUT_BATCH_WHILE_PAGING } from '../../src/domain/subscribers/expand-notifications.js';
import type { DeliveryTable } from '../../src/store/schema.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from '../paging/receivers.js';
import { insertConfirmedSubscribers } from './subscriber-rows.js';

/** An SMTP server that holds each mail 5 ms and counts how many are being received at once. */
async function startCountingSmtpSink() {
  const sink = { url: '', to: [] as string[], active: 0, maxActive: 0, close: async () => {} };
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, closeTimeout: 100,
    onData(stream, session, callback) {
      sink.active += 1;
      sink.maxActive = Math.max(sink.maxActive, sink.active);
      stream.resume();
      stream.on('end', () => setTimeout(() => {
        sink.active -= 1;
        sink.to.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      }, 5));
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  sink.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  sink.close = () => new Promise<void>((r) => server.close(() => r()));
  return sink;
}

/**
 * Pages before subscribers, in time (worker.ts `pagingYieldMs`): right after a page was handed to
 * its channel, a status page fan-out sends one message at a time (a batch claimed at once), at
 * most `bulkRateWhilePaging` a second, and expands small batches of subscribers at that pace;
 * once paging is quiet it runs at the bulk lane's full width, and every subscriber still gets
 * the update exactly once. A fan-out also
 * begins narrow (`fanoutStartMs`), so a page arriving as it starts finds the lane yielding.
 */
describe.each(DIALECTS)('a fan-out yields to pages on %s', (dialect) => {
  const YIELD_MS = 1_000;
  /** Subscriber sends per second while paging: a batch of 6 every 60 ms, an expansion of 50 every 500 ms. */
  const RATE = 100;
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startCountingSmtpSink>>;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  let admin: { token: string };
  /** Subscriber rows handed to each send round (the bulk lane's width at that moment). */
  const bulkPerRound: number[] = [];
  const post = (url: string, body: unknown) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(admin.token) });
  const subscriberRows = () => t.store.db.selectFrom('deliveries').select(['id', 'status']).where('purpose', '=', 'subscriber').execute();
  const fanoutTimers = () => t.store.db.selectFrom('timers').select(['run_at']).where('kind', '=', 'subscribers').execute();

  beforeAll(async () => {
    smtp = await startCountingSmtpSink();
    hook = await startReceiver();
    t = await createTestApp(dialect, {
      paging: {
        config: { outboundAllow: '127.0.0.1/32', smtpUrl: smtp.url },
        workerOptions: { sendTimeoutMs: 10_000, bulkConcurrency: 8, pagingYieldMs: YIELD_MS, bulkWhilePaging: 1, bulkBatchWhilePaging: 6, bulkRateWhilePaging: RATE },
        beforeSend: (rows: readonly DeliveryTable[]) => {
          const bulk = rows.filter((r) => r.purpose === 'subscriber').length;
          if (bulk > 0) bulkPerRound.push(bulk);
        },
      },
    });
    admin = await t.userWithKey('admin');
    expect((await post('/api/v1/services', { slug: 'api', name: 'API' })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages', { slug: 'acme', name: 'Acme' })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages/acme/components', { name: 'API', services: ['api'] })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await hook?.close();
  });

  it('keeps one subscriber send in flight, paced, and small expansions at its pace while paging, then runs at full width', async () => {
    const page = await t.store.db.selectFrom('status_pages').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    const n = FANOUT_BATCH * 2 + 3;
    const now = t.clock.now();
    await insertConfirmedSubscribers(t.store, page.id, n, 'y', now);

    // A page goes out: a responder's webhook, queued as the escalation does (priority 0).
    const user = (await post('/api/v1/users', { email: 'oncall@example.test', name: 'On call' })).json();
    const cm = (await post('/api/v1/contact-methods', { user: user.id, kind: 'webhook', address: `${hook.url}/page`, secret: `whsec_${Buffer.from('paging-yield-test-secret').toString('base64')}` })).json();
    const incident = (await post('/api/v1/incidents', { title: 'API errors', severity: 'SEV3', service: 'api' })).json();
    await t.store.db.insertInto('deliveries').values({
      id: 'dlv_yield_page', incident_id: incident.id, action_key: 'yield-page', user_id: user.id, contact_method_id: cm.id, channel: 'webhook', purpose: 'page', status: 'pending',
      attempts: 0, due_at: now, next_attempt_at: now, locked_by: null, locked_until: null, last_error: null, last_status_code: null, latency_ms: null, created_at: now, sent_at: null,
    }).execute();
    expect(await t.paging.worker.pumpDeliveries()).toBe(1);
    // Background work (the report's start-up readying) also waits while this is true.
    await expect.poll(() => t.paging.worker.pagingRecently(), { timeout: 5_000 }).toBe(true);

    // The update is published while that page is being sent.
    expect((await post('/api/v1/status-pages/acme/incidents', { incident: String(incident.number), name: 'API errors', body: 'Looking.' })).statusCode).toBe(201);
    // While paging, expansions are small and come at the pace of the lane's sends, so a page
    // meets a short insert, not a long one, and no more rows are written than are sent.
    const slice = (FANOUT_BATCH_WHILE_PAGING * 1000) / RATE;
    await t.paging.worker.runTimers();
    expect(await subscriberRows()).toHaveLength(FANOUT_BATCH_WHILE_PAGING);
    // The next batch, due at once, is put back until the next slice of the period, and runs then.
    await t.paging.worker.runTimers();
    expect(await subscriberRows()).toHaveLength(FANOUT_BATCH_WHILE_PAGING);
    expect((await fanoutTimers()).map((x) => Number(x.run_at))).toEqual([now + slice]);
    t.clock.advance(slice);
    await t.paging.worker.runTimers();
    expect(await subscriberRows()).toHaveLength(2 * FANOUT_BATCH_WHILE_PAGING);
    // While paging: one batch claimed, sent one message at a time, and no second batch meanwhile.
    await t.paging.worker.pumpDeliveries();
    await t.paging.worker.pumpDeliveries();
    expect(bulkPerRound).toEqual([6]);
    await expect.poll(() => smtp.to.length, { timeout: 10_000 }).toBe(6);
    expect(smtp.maxActive).toBe(1);
    // Sent, but the next batch waits for its time: 6 sends at RATE per second.
    await t.paging.worker.pumpDeliveries();
    expect(bulkPerRound).toEqual([6]);
    t.clock.advance((6 * 1000) / RATE - 1);
    await t.paging.worker.pumpDeliveries();
    expect(bulkPerRound).toEqual([6]);
    t.clock.advance(1);
    await t.paging.worker.pumpDeliveries();
    expect(bulkPerRound).toEqual([6, 6]);
    await expect.poll(() => smtp.to.length, { timeout: 10_000 }).toBe(12);
    expect(smtp.maxActive).toBe(1);

    // Paging quiet for the whole period: full width, and the rest of the subscribers expanded.
    t.clock.advance(YIELD_MS + 1);
    expect(t.paging.worker.pagingRecently()).toBe(false);
    await t.paging.worker.drain();
    expect(Math.max(...bulkPerRound.slice(2))).toBeGreaterThan(6);
    expect(smtp.maxActive).toBeGreaterThan(1);
    const rows = await subscriberRows();
    expect(rows).toHaveLength(n);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(new Set(smtp.to.filter((to) => to.startsWith('y'))).size).toBe(n);
    expect(hook.received.filter((r) => r.path === '/page')).toHaveLength(1);
  }, 120_000);

  it('begins narrow when no page has gone out, then widens', async () => {
    // Long after the last fan-out, and with no page in the yield period.
    t.clock.advance(10 * YIELD_MS);
    const page = await t.store.db.selectFrom('status_pages').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    const n = FANOUT_BATCH + 20;
    await insertConfirmedSubscribers(t.store, page.id, n, 'z', t.clock.now());
    const incident = (await post('/api/v1/incidents', { title: 'API slow', severity: 'SEV3', service: 'api' })).json();
    bulkPerRound.length = 0;
    smtp.maxActive = 0;
    const before = smtp.to.length; // the earlier subscribers hear of this incident too
    expect((await post('/api/v1/status-pages/acme/incidents', { incident: String(incident.number), name: 'API slow', body: 'Looking.' })).statusCode).toBe(201);
    await t.paging.worker.runTimers();
    await t.paging.worker.pumpDeliveries();
    await t.paging.worker.pumpDeliveries();
    expect(bulkPerRound).toEqual([6]);
    await expect.poll(() => smtp.to.length - before, { timeout: 10_000 }).toBe(6);
    expect(smtp.maxActive).toBe(1);
    // Its start is over: full width.
    t.clock.advance(YIELD_MS + 1);
    await t.paging.worker.drain();
    expect(Math.max(...bulkPerRound.slice(1))).toBeGreaterThan(6);
    expect(new Set(smtp.to.filter((to) => to.startsWith('z'))).size).toBe(n);
  }, 120_000);
});

/**
 * Paced expansions further apart than two yield periods (a low `bulkRateWhilePaging`) are one
 * fan-out going on, not a new one starting each time: once paging is quiet the next expansion
 * runs at full size. Taking each for a start kept the lane narrow for as long as the fan-out ran.
 */
describe.each(DIALECTS)('a slowly paced fan-out widens once paging is quiet on %s', (dialect) => {
  const YIELD_MS = 1_000;
  /** 50 subscribers per expansion at 10 a second: one every 5 s while paging. */
  const RATE = 10;
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startCountingSmtpSink>>;
  let admin: { token: string };
  const post = (url: string, body: unknown) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(admin.token) });
  const subscriberRows = () => t.store.db.selectFrom('deliveries').select(['id']).where('purpose', '=', 'subscriber').execute();

  beforeAll(async () => {
    smtp = await startCountingSmtpSink();
    t = await createTestApp(dialect, {
      paging: { config: { outboundAllow: '127.0.0.1/32', smtpUrl: smtp.url }, workerOptions: { sendTimeoutMs: 10_000, pagingYieldMs: YIELD_MS, bulkRateWhilePaging: RATE } },
    });
    admin = await t.userWithKey('admin');
    expect((await post('/api/v1/services', { slug: 'api', name: 'API' })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages', { slug: 'acme', name: 'Acme' })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('expands a full batch after the paced interval once no page went out', async () => {
    const page = await t.store.db.selectFrom('status_pages').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    await insertConfirmedSubscribers(t.store, page.id, FANOUT_BATCH * 2, 's', t.clock.now());
    const incident = (await post('/api/v1/incidents', { title: 'API errors', severity: 'SEV3', service: 'api' })).json();
    expect((await post('/api/v1/status-pages/acme/incidents', { incident: String(incident.number), name: 'API errors', body: 'Looking.' })).statusCode).toBe(201);
    // The fan-out begins narrow: a small expansion.
    await t.paging.worker.runTimers();
    expect(await subscriberRows()).toHaveLength(FANOUT_BATCH_WHILE_PAGING);
    // One paced interval later, with no page meanwhile: the same fan-out, now at full size.
    t.clock.advance((FANOUT_BATCH_WHILE_PAGING * 1000) / RATE);
    await t.paging.worker.runTimers();
    expect(await subscriberRows()).toHaveLength(FANOUT_BATCH_WHILE_PAGING + FANOUT_BATCH);
  }, 60_000);
});
