import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** `until`: answer once this settles (a test holds the request open until it says so). */
export type Mode = (req: Received, count: number) => { status: number; headers?: Record<string, string>; delayMs?: number; hang?: boolean; until?: Promise<unknown> };

/** A recording HTTP sink on loopback; `mode` decides each answer per path. */
export async function startReceiver(mode: Mode = () => ({ status: 200 })): Promise<{ url: string; received: Received[]; setMode(m: Mode): void; close(): Promise<void> }> {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  let current = mode;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(r);
      const n = (counts.get(r.path) ?? 0) + 1;
      counts.set(r.path, n);
      const answer = current(r, n);
      if (answer.hang) return;
      const reply = () => res.writeHead(answer.status, answer.headers ?? {}).end(answer.status < 300 ? 'ok' : 'error');
      if (answer.until) void answer.until.finally(reply);
      else if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    setMode: (m) => { current = m; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server (the smtp-server package) that keeps every message and counts the
 * connections made to it. Closing it ends pooled client connections after 100 ms (with a 421, as
 * a mail server that shuts down does) instead of waiting 30 s for the clients to quit.
 */
export async function startSmtpSink(): Promise<{ url: string; mails: Mail[]; connections(): number; close(): Promise<void> }> {
  const mails: Mail[] = [];
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 100,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, connections: () => connections, close: () => new Promise<void>((r) => server.close(() => r())) };
}
