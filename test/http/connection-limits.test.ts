import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpLimits } from '../../src/http/connection-limits.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Issue #11 item 17, with raw sockets against a listening server: errors Node raises before any
 * route (431, 400) and 413 close the connection and say so, and a client that sends its request
 * too slowly is cut. Store-independent (the HTTP edge), so one dialect.
 */

interface Exchange {
  /** Everything the server sent. */
  text: string;
  /** How the connection ended: 'end' (the server closed it cleanly), an error code, or 'open' at the deadline. */
  ending: string;
  ms: number;
}

/** Writes `chunks` (strings, or pauses in ms), then reads until the server closes or `deadlineMs` passes. */
function exchange(port: number, chunks: (string | number)[], deadlineMs: number): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (ending: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, ending, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish('open'), deadlineMs);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('end', () => finish('end'));
    socket.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? 'error'));
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (done) return;
        if (typeof chunk === 'number') await new Promise((r) => setTimeout(r, chunk));
        else socket.write(chunk);
      }
    });
  });
}

const responses = (text: string): string[] => text.split(/(?=HTTP\/1\.1 \d{3})/).filter((r) => r.startsWith('HTTP/1.1'));

describe('connection limits on a listening server', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    // Short timeouts so the test is quick; the defaults are 60 s / 20 s.
    t = await createTestApp('sqlite', { app: { httpLimits: { ...httpLimits(1), headersTimeoutMs: 1000, checkIntervalMs: 100 } } });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(async () => t?.close());

  const ok = 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';

  it('answers headers too large with 431 and Connection: close, then closes cleanly', async () => {
    const result = await exchange(port, [ok, 50, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`], 5000);
    const [first, second] = responses(result.text);
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(second).toMatch(/^HTTP\/1\.1 431/);
    expect(second).toMatch(/\r\nconnection: close\r\n/i);
    expect(result.ending).toBe('end');
  });

  it('answers a malformed request with 400 and Connection: close', async () => {
    const result = await exchange(port, ['GET /health HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n'], 5000);
    expect(result.text).toMatch(/^HTTP\/1\.1 400/);
    expect(result.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(result.ending).toBe('end');
  });

  // Fastify already closes after a body error (content-type-parser.js); kept so it stays so.
  it('answers a body over the limit with 413 and Connection: close, without reading it', async () => {
    const result = await exchange(port, [`POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\n{"a":`], 5000);
    expect(result.text).toMatch(/^HTTP\/1\.1 413/);
    expect(result.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(result.ending).not.toBe('open');
  });

  it('cuts a client that sends its body too slowly, with 408', async () => {
    const result = await exchange(port, ['POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em', 300, 'a', 300, 'i', 300, 'l', 300, '"', 300, ':', 300, ' '], 5000);
    expect(result.ending).not.toBe('open');
    expect(result.ms).toBeLessThan(3000);
    expect(result.text).toMatch(/^HTTP\/1\.1 408/);
    expect(result.text).toMatch(/\r\nconnection: close\r\n/i);
  });

  it('cuts a client that sends its headers too slowly (slowloris)', async () => {
    const drip = Array.from({ length: 20 }, (_, i) => [`X-${i}: y\r\n`, 200]).flat();
    const result = await exchange(port, ['GET /health HTTP/1.1\r\nHost: x\r\n', ...drip], 5000);
    expect(result.ending).not.toBe('open');
    expect(result.ms).toBeLessThan(3000);
  });

  it('keeps an idle keep-alive connection usable between requests', async () => {
    const result = await exchange(port, [ok, 300, ok], 1500);
    expect(responses(result.text).map((r) => r.slice(0, 12))).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
  });
});
