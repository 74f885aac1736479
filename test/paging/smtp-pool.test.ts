import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeSmtpTransports, sendMail, type OutgoingMail, type SmtpDeps } from '../../src/notify/email/send.js';
import { startSmtpSink } from './receivers.js';

const mail = (n: number): OutgoingMail => ({ to: `person${n}@example.test`, subject: `mail ${n}`, text: 'text', html: '<p>text</p>', deliveryId: `dlv_pool_${n}` });

/**
 * Mail goes over pooled connections with the send deadline applied. nodemailer takes the second
 * argument of `createTransport(url, …)` for message defaults, so before the options were given
 * with the URL in one object every mail opened its own connection (~100 ms and 5 ms of CPU each
 * on loopback) and a mail server that never answered held a send for nodemailer's own timeouts.
 */
describe('the SMTP transport', () => {
  afterEach(() => closeSmtpTransports());

  it('sends one mail after another over one pooled connection per lane', async () => {
    const sink = await startSmtpSink();
    try {
      const smtp: SmtpDeps = { url: sink.url, from: 'firebreak@example.test', timeoutMs: 5_000 };
      for (let n = 0; n < 4; n += 1) expect((await sendMail(mail(n), smtp)).ok).toBe(true);
      expect(sink.mails).toHaveLength(4);
      expect(sink.connections()).toBe(1);
      // Subscriber mail has its own pool: a page never waits for a connection behind a fan-out.
      for (let n = 4; n < 7; n += 1) expect((await sendMail(mail(n), smtp, 'bulk')).ok).toBe(true);
      expect(sink.mails).toHaveLength(7);
      expect(sink.connections()).toBe(2);
    } finally {
      closeSmtpTransports();
      await sink.close();
    }
  });

  it('gives up on a server that accepts the connection and never greets, within the send deadline', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => { sockets.add(socket); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const smtp: SmtpDeps = { url: `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`, from: 'firebreak@example.test', timeoutMs: 300 };
      const started = Date.now();
      const outcome = await sendMail(mail(1), smtp);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(outcome).toMatchObject({ ok: false, retryable: true });
      expect(sockets.size).toBe(1);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
