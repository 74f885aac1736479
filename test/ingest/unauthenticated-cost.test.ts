import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/**
 * Issue #11 item 12: a body from someone without a valid key must cost no JSON parse and little
 * memory. Where the key is in the path or a header, the request is turned away before its body
 * is read; PagerDuty's key is in the body, so its bodies (at most 512 kB) are scanned, not parsed.
 */

const WRONG = '0123456789abcdef0123456789abcdef';

/** A valid Alertmanager-style JSON body of about `bytes` bytes. */
function bigBody(bytes: number): string {
  // Small objects: parsed, they take several times their size in memory.
  const alert = { status: 'firing', labels: { alertname: 'Big', a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' }, annotations: { s: 'y' }, startsAt: '2026-03-01T09:00:00Z' };
  const one = JSON.stringify(alert);
  const count = Math.ceil(bytes / (one.length + 1));
  return `{"version":"4","status":"firing","receiver":"r","groupKey":"{}","alerts":[${Array.from({ length: count }, () => one).join(',')}]}`;
}

describe.each(DIALECTS)('unauthenticated ingest bodies are not parsed (%s)', (dialect) => {
  let t: TestApp;
  let pdKey: string;
  const body = bigBody(9 * 1024 * 1024);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const admin = (await t.userWithKey('admin')).token;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'pd', format: 'pagerduty-events-v2' } });
    pdKey = res.json().key;
  });
  afterAll(async () => t?.close());
  afterEach(() => vi.restoreAllMocks());

  it('answers a wrong key before reading a 9 MB body, on every format whose key is outside the body', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const cases: [string, string, Record<string, string>][] = [
      ['POST', `/ingest/alertmanager/${WRONG}`, {}],
      ['POST', `/ingest/grafana/${WRONG}`, {}],
      ['PUT', `/ingest/grafana/${WRONG}`, {}],
      ['POST', '/api/v2/alerts', { authorization: `Bearer ${WRONG}` }],
      ['POST', '/api/v2/alerts', {}],
    ];
    for (const [method, url, headers] of cases) {
      const started = performance.now();
      const res = await t.app.inject({ method: method as 'POST', url, payload: body, headers: { 'content-type': 'application/json', ...headers } });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      // Parsing 9 MB took ~1 s here; a lookup of the key takes milliseconds.
      expect(performance.now() - started, `${method} ${url}`).toBeLessThan(500);
    }
    // Within their own (smaller) body limits.
    const small = bigBody(900 * 1024);
    for (const [url, headers] of [[`/ingest/generic/${WRONG}`, {}], ['/v2/alerts', { authorization: `GenieKey ${WRONG}` }], ['/v2/alerts', {}]] as const) {
      const res = await t.app.inject({ method: 'POST', url, payload: small, headers: { 'content-type': 'application/json', ...headers } });
      expect(res.statusCode, url).toBe(401);
    }
    const bigParses = parse.mock.calls.filter(([text]) => typeof text === 'string' && text.length > 64 * 1024);
    expect(bigParses.length).toBe(0);
  });

  it('turns a large PagerDuty body without a known routing key away unparsed, and still parses small ones and valid keys', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const event = (routingKey: string, padding: number) => JSON.stringify({ routing_key: routingKey, event_action: 'trigger', payload: { summary: 'pd big', source: 'src', severity: 'critical', custom_details: { pad: 'z'.repeat(padding) } } });
    const large = await t.app.inject({ method: 'POST', url: '/v2/enqueue', payload: event(WRONG, 400 * 1024), headers: { 'content-type': 'application/json' } });
    expect(large.statusCode).toBe(401);
    const noKey = await t.app.inject({ method: 'POST', url: '/v2/enqueue', payload: `{"event_action":"trigger","x":"${'q'.repeat(400 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    expect(noKey.statusCode).toBe(401);
    expect(parse.mock.calls.filter(([text]) => typeof text === 'string' && text.length > 64 * 1024).length).toBe(0);
    // PagerDuty's own answers for small bodies are unchanged: junk is "unrecognized", a wrong key 401.
    const junk = await t.app.inject({ method: 'POST', url: '/v2/enqueue', payload: '{not json', headers: { 'content-type': 'application/json' } });
    expect(junk.statusCode).toBe(400);
    expect(junk.json().status).toBe('Unrecognized object');
    // A valid key with a large body is accepted (the scan found it; the parse re-reads it).
    const valid = await t.app.inject({ method: 'POST', url: '/v2/enqueue', payload: event(pdKey, 400 * 1024), headers: { 'content-type': 'application/json' } });
    expect(valid.statusCode, valid.body).toBe(202);
  });
});

describe('unauthenticated 9 MB bodies in parallel (server process)', () => {
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    await db.store.close();
    server = await startServerProcess(db.url);
  }, 60_000);
  afterAll(async () => {
    agent.destroy();
    server?.child.kill('SIGTERM');
    await server?.exited;
    await db?.drop().catch(() => {});
  });

  /** Peak resident memory of the server process, in MB. */
  const peakRssMb = (): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) / 1024;

  // Keep-alive, as senders post: the server answers early and discards the rest of the body.
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const post = (path: string, body: string): Promise<number | string> =>
    new Promise((resolve) => {
      const url = new URL(path, server.url);
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.end(body);
    });

  it('answers 8 parallel wrong-key 9 MB posts 401 without growing memory by hundreds of MB', async () => {
    const body = bigBody(9 * 1024 * 1024);
    const before = peakRssMb();
    const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => post(i % 2 ? `/ingest/alertmanager/${WRONG}` : `/ingest/grafana/${WRONG}`, body)));
    expect(statuses).toEqual(Array(8).fill(401));
    // Parsed, they grew the peak by ~200 MB here (1.1 GB with the attack's bodies); turned away unread, ~20 MB.
    const grown = peakRssMb() - before;
    expect(grown).toBeLessThan(100);
  }, 60_000);
});
