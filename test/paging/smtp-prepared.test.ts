import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { createPagingRuntime } from '../../src/app/paging.js';
import { closeSmtpTransports, hasSmtpTransport } from '../../src/notify/email/send.js';
import { MetricsRegistry } from '../../src/observability/metrics.js';
import { createTestDatabase, DIALECTS } from '../helpers/dialects.js';

/**
 * A worker with SMTP set up loads the mail library when it starts, not in the middle of the
 * first mail it sends (where compiling it held the event loop ~60 ms, pages included).
 */
describe('the SMTP transport', () => {
  afterEach(() => closeSmtpTransports());

  it.each([['set up', 'smtp://127.0.0.1:2525', true], ['not set up', undefined, false]] as const)('is made when a worker starts with SMTP %s', async (_name, smtpUrl, made) => {
    const db = await createTestDatabase(DIALECTS[0]!);
    const clock = { now: () => Date.now() };
    const runtime = await createPagingRuntime({
      store: db.store, clock, log: silentLogger, metrics: new MetricsRegistry(),
      config: { publicUrl: 'http://firebreak.test', outboundAllow: '127.0.0.1/32', smtpUrl, smtpFrom: 'firebreak@example.test', worker: true, auditorOverdueSeconds: 120 },
    });
    try {
      const smtp = runtime.channels.smtp;
      expect(hasSmtpTransport(smtp)).toBe(false);
      runtime.start();
      if (made) await expect.poll(() => hasSmtpTransport(smtp), { timeout: 5_000 }).toBe(true);
      else {
        await new Promise((r) => setTimeout(r, 100));
        expect(hasSmtpTransport(smtp)).toBe(false);
      }
    } finally {
      await runtime.stop();
      await db.drop();
    }
  });
});
