import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { checkOutboundUrl, type OutboundPolicy, type Resolver } from './ssrf.js';

/**
 * Outgoing HTTP for notifications. Not `fetch`: it cannot be told which address to connect to
 * without a separate undici install, and the SSRF guard must connect to the address it checked
 * (a second lookup is the DNS-rebinding window Grafana OnCall left open). node:http takes a
 * `lookup` that returns the checked address, while TLS still verifies the certificate against
 * the host name. Timeouts use `AbortSignal.timeout()`. Redirects are never followed and response
 * bodies are read only up to a small cap and never echoed into errors.
 */

export interface OutboundDeps {
  policy: OutboundPolicy;
  resolve?: Resolver;
  /** Per-request deadline. */
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

export async function postGuarded(
  rawUrl: string,
  request: { headers: Record<string, string>; body: string; method?: 'POST' | 'PUT' },
  deps: OutboundDeps,
): Promise<HttpResponse> {
  const checked = await checkOutboundUrl(rawUrl, { policy: deps.policy, resolve: deps.resolve, field: 'address' });
  const { url } = checked;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const pinned: LookupFunction = (_host, options, callback) => {
    deps.onConnect?.(checked.address, port);
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: checked.address, family: checked.family }]);
    } else {
      callback(null, checked.address, checked.family);
    }
  };
  const started = performance.now();
  const lib = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(request.body, 'utf8');
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: request.method ?? 'POST',
        headers: { ...request.headers, 'content-length': String(body.length) },
        lookup: pinned,
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        signal: AbortSignal.timeout(deps.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY),
            latencyMs: Math.round(performance.now() - started),
          }),
        );
        res.on('error', reject);
      },
    );
    // An IP literal skips `lookup`: report the connect here instead.
    if (isIP(url.hostname.replace(/^\[|\]$/g, ''))) deps.onConnect?.(checked.address, port);
    req.on('error', (e) => reject(e.name === 'AbortError' || (e as { code?: string }).code === 'ABORT_ERR' ? new Error(`timed out after ${deps.timeoutMs} ms`) : e));
    req.end(body);
  });
}
