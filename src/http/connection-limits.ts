import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How long a connection may take, so a slow or stalled client cannot hold a socket forever
 * (Fastify turns Node's request timeout off by default), and how the errors Node raises before
 * any route runs (431 headers too large, 400 malformed, 408 too slow) are answered.
 */
export interface HttpLimits {
  /** The whole request, headers and body, must arrive within this (slow-body senders are cut). */
  requestTimeoutMs: number;
  /** The headers must arrive within this (slowloris). At most `requestTimeoutMs`. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this; above the 60 s idle timeout of common load balancers. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic either way (a client that stopped reading) is closed after this; above SSE's 15 s heartbeat. */
  idleTimeoutMs: number;
  /** How often Node looks for requests past their timeouts; a cut happens up to this late. */
  checkIntervalMs: number;
}

export function httpLimits(requestTimeoutSeconds: number): HttpLimits {
  const requestTimeoutMs = requestTimeoutSeconds * 1000;
  return {
    requestTimeoutMs,
    headersTimeoutMs: Math.min(20_000, requestTimeoutMs),
    keepAliveTimeoutMs: 72_000,
    idleTimeoutMs: Math.max(120_000, requestTimeoutMs),
    checkIntervalMs: Math.min(5_000, Math.max(100, Math.floor(requestTimeoutMs / 4))),
  };
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = httpLimits(60);

/** The Fastify options that apply `limits` to its Node server. */
export function fastifyConnectionOptions(limits: HttpLimits) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: limits.checkIntervalMs },
    clientErrorHandler: answerClientError,
  };
}

/** How long a closing socket may keep sending before it is destroyed. */
const LINGER_MS = 2_000;

/**
 * Answers an error Node found before routing. Unlike Fastify's default, the answer says
 * `Connection: close` (a keep-alive client otherwise reuses the socket and gets ECONNRESET) and
 * the socket is ended gracefully, then destroyed if the client keeps sending.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writableEnded) return; // already answered; the linger timer destroys it
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  // A response already under way on this socket cannot be followed by another.
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !pending?.headersSent) {
    const message = status === 408 ? 'the request did not arrive in time' : status === 431 ? 'request headers are too large' : 'malformed HTTP request';
    const body = JSON.stringify({ code: status === 408 ? 'TIMEOUT' : 'VALIDATION', message });
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
    return;
  }
  socket.destroy();
}
