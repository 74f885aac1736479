import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkOutboundUrl, type CheckedDestination, type OutboundPolicy, type Resolver } from './ssrf.js';

/**
 * Outgoing HTTP for notifications. Not `fetch`: it cannot be told which address to connect to
 * without a separate undici install, and the SSRF guard must connect to the address it checked
 * (a second lookup is the DNS-rebinding window Grafana OnCall left open). The request is made
 * to the checked IP address itself, with the URL's host in the `Host` header and, for https,
 * as the TLS server name, so the certificate is still verified against the host name. Keep-alive
 * sockets are therefore pooled per checked address: a socket opened for one answer of DNS is
 * never reused for a request whose check produced another. Redirects are never followed and
 * response bodies are read only up to a small cap and never echoed into errors.
 *
 * Per send, the guard runs again (R14: checked at save time and at send time). Its cost is
 * kept small without weakening it: a URL whose host is an IP literal always gets the same
 * verdict under the same policy, so that verdict is remembered; a host name is resolved on
 * every send, but sends to the same host that start while its lookup is in flight share that
 * one lookup (a burst of 10,000 pages to one Slack host is one DNS query, not 10,000 on the
 * libuv threadpool the database also uses).
 */

export interface OutboundDeps {
  policy: OutboundPolicy;
  resolve?: Resolver;
  /** Per-request deadline, from the start of the request to the end of the response. */
  timeoutMs: number;
  /** Test hook: called with the address about to be connected to. */
  onConnect?: (address: string, port: number) => void;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The first few KB, for channels whose errors are short plain text (Slack). */
  body: string;
  latencyMs: number;
}

const MAX_BODY = 4096;
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/** IP-literal verdicts by policy (policies are parsed once per process) and raw URL. */
const literalVerdicts = new WeakMap<OutboundPolicy, Map<string, CheckedDestination>>();
/** Host-name checks in flight, shared by the sends that start meanwhile. */
const checksInFlight = new Map<string, { resolve: Resolver | undefined; policy: OutboundPolicy; check: Promise<CheckedDestination> }>();

function checkForSend(rawUrl: string, deps: OutboundDeps): Promise<CheckedDestination> | CheckedDestination {
  let verdicts = literalVerdicts.get(deps.policy);
  const remembered = verdicts?.get(rawUrl);
  if (remembered) return remembered;
  const shared = checksInFlight.get(rawUrl);
  if (shared && shared.resolve === deps.resolve && shared.policy === deps.policy) return shared.check;
  const check = checkOutboundUrl(rawUrl, { policy: deps.policy, resolve: deps.resolve, field: 'address' }).then((checked) => {
    if (isIP(bare(checked.url.hostname))) {
      if (!verdicts) literalVerdicts.set(deps.policy, (verdicts = new Map()));
      if (verdicts.size >= 10_000) verdicts.clear();
      verdicts.set(rawUrl, checked);
    }
    return checked;
  });
  const entry = { resolve: deps.resolve, policy: deps.policy, check };
  checksInFlight.set(rawUrl, entry);
  const forget = () => {
    if (checksInFlight.get(rawUrl) === entry) checksInFlight.delete(rawUrl);
  };
  check.then(forget, forget);
  return check;
}

const bare = (host: string) => host.replace(/^\[|\]$/g, '');

class RequestTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'RequestTimeout';
  }
}

export async function postGuarded(
  rawUrl: string,
  request: { headers: Record<string, string>; body: string; method?: 'POST' | 'PUT' },
  deps: OutboundDeps,
): Promise<HttpResponse> {
  const checked = await checkForSend(rawUrl, deps);
  const { url } = checked;
  const tls = url.protocol === 'https:';
  const port = Number(url.port || (tls ? 443 : 80));
  const hostname = bare(url.hostname);
  const body = Buffer.from(request.body, 'utf8');
  const options: https.RequestOptions = {
    method: request.method ?? 'POST',
    host: checked.address,
    family: checked.family,
    port,
    path: `${url.pathname}${url.search}`,
    headers: { ...request.headers, host: url.host, 'content-length': String(body.length) },
    agent: tls ? agents.https : agents.http,
  };
  if (tls && !isIP(hostname)) options.servername = hostname;
  deps.onConnect?.(checked.address, port);
  const started = performance.now();
  return new Promise<HttpResponse>((resolve, reject) => {
    // One plain timer per request: an AbortSignal.timeout() per request cost more than the
    // rest of the client's bookkeeping. Covers connect, send and reading the answer.
    const deadline = setTimeout(() => {
      const e = new RequestTimeout(deps.timeoutMs);
      reject(e);
      req.destroy(e);
    }, deps.timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(deadline);
      reject(e);
    };
    const req = (tls ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        clearTimeout(deadline);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY),
          latencyMs: Math.round(performance.now() - started),
        });
      });
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}
