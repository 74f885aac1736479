import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRegistry } from '../../src/ingest/registry.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { arbitraryFor, deepJson, encodeAny, hostileString, hostileValue, mapStrings, mutationsOf, PROTO_KEYS, type JsonSchema } from './hostile.js';

/**
 * Schema-driven fuzzing of every operation in the OpenAPI document and every ingest endpoint,
 * on both databases: malformed types, huge and deep bodies, prototype keys, control characters,
 * NUL, lone surrogates and out-of-range numbers, in bodies, query strings and path parameters.
 * No answer may be a 5xx, no batch of requests may stall the event loop over 200 ms, and the
 * objects seeded first must read the same afterwards. Inputs come from fast-check with a fixed
 * seed (FUZZ_SEED), so a failure is reproduced by running the suite again; FUZZ_RUNS sets the
 * generated requests per operation, FUZZ_ONLY narrows the operations, FUZZ_VERBOSE prints more. Path parameters never name a seeded object, except in GETs,
 * so a valid destructive request can never touch what is compared at the end.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const RUNS = Number(process.env.FUZZ_RUNS ?? 24);
const STALL_MS = 200;
/** FUZZ_ONLY=<regex> fuzzes only the matching operations ("POST /api/v1/runbooks/lint"). */
const only = new RegExp(process.env.FUZZ_ONLY ?? '');
const REQUEST_TIMEOUT_MS = 10_000;
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ingest');

interface Operation {
  method: string;
  path: string;
  access: string;
  query: { name: string; schema: JsonSchema }[];
  body?: JsonSchema;
}

interface Attempt {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** What was varied, for the failure summary. */
  input: string;
}

interface Failure {
  dialect: string;
  operation: string;
  status: number | 'hung' | 'threw' | `stall ${number} ms`;
  input: string;
}

/** Settings some formats need (the generic mapping reads test/fixtures/ingest/generic-webhook). */
const SETTINGS: Record<string, object> = {
  'generic-webhook': { settings: { mapping: { dedupKey: '$.event.id', summary: '$.event.monitor.name', severity: '$.event.severity', status: '$.event.type', resolvedValues: ['up'], labels: '$.tags', url: '$.event.monitor.url', startedAt: '$.event.at' } } },
  heartbeat: { settings: { heartbeat: { intervalSeconds: 300 } } },
};

const clip = (text: string, max = 140) => (text.length > max ? `${text.slice(0, max)}…(${text.length})` : text);
const show = (value: unknown) => clip(typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value));

/** Ids that name nothing: hostile strings, plus a well-formed id of each kind that does not exist. */
const missingId = fc.oneof(
  { weight: 3, arbitrary: hostileString.filter((s) => s !== '' && s !== '.' && s !== '..') },
  { weight: 1, arbitrary: fc.constantFrom('inc_01J00000000000000000000000', 'usr_01J00000000000000000000000', '999999', '0', 'nope', 'x'.repeat(2000)) },
);

function specialBodies(op: Operation): { label: string; payload: string; contentType?: string }[] {
  const props = Object.keys(op.body?.properties ?? {});
  const fill = (json: string) => `{${(props.length ? props : ['x']).map((k) => `${JSON.stringify(k)}:${json}`).join(',')}}`;
  const bodies = [
    { label: 'deep array 10000', payload: deepJson(10_000, 'array') },
    { label: 'deep object 10000', payload: deepJson(10_000, 'object') },
    { label: 'body 2 MB', payload: JSON.stringify({ x: 'z'.repeat(2 * 1024 * 1024) }) },
    { label: 'prototype keys', payload: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":1}}}' },
    { label: 'not JSON', payload: '{"a":' },
    { label: 'JSON null', payload: 'null' },
    { label: 'text/plain', payload: 'hello', contentType: 'text/plain' },
    { label: 'every field 900 kB', payload: fill(JSON.stringify('z'.repeat(900_000))) },
    { label: 'every field an array of 100k', payload: fill(JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i))) },
    { label: 'every field deep', payload: fill(deepJson(2000, 'object')) },
  ];
  // One field at a time: fields that exclude each other must not hide a slow one behind a 400.
  const values: [string, string][] = [
    ['30k "["', JSON.stringify('['.repeat(30_000))],
    ['NUL', JSON.stringify('a\u0000b')],
    ['lone surrogate', JSON.stringify('a\ud800b')],
  ];
  for (const field of props.length ? props : ['x']) {
    for (const [label, value] of values) bodies.push({ label: `${field} = ${label}`, payload: `{${JSON.stringify(field)}:${value}}` });
  }
  return bodies;
}

/** Every attempt for one API operation: generated, then hand-picked, then a few unauthenticated. */
function apiAttempts(op: Operation, token: string, seededIds: string[], seedOffset: number): Attempt[] {
  const params = [...op.path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]!);
  // Reads may also name seeded objects; anything else only ids that do not exist.
  const idArb = op.method === 'GET' && !op.path.endsWith('/stream') && seededIds.length
    ? fc.oneof({ weight: 2, arbitrary: missingId }, { weight: 1, arbitrary: fc.constantFrom(...seededIds) })
    : missingId;
  const queryArb = fc.array(
    fc.tuple(
      op.query.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...op.query.map((q) => q.name)) }, { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS) }) : fc.constantFrom(...PROTO_KEYS, 'x'),
      fc.oneof(fc.constantFrom('8640000000000001', '-8640000000000001', '100000000000000000000', '1e309', '-1', '0', 'NaN', '2026-13-45', ''), hostileString),
    ),
    { maxLength: 4 },
  );
  const bodyArb = op.body ? arbitraryFor(op.body) : fc.option(hostileValue, { nil: undefined });
  const generated = fc.sample(fc.record({ ids: fc.array(idArb, { minLength: params.length, maxLength: params.length }), query: queryArb, body: bodyArb }), { seed: SEED + seedOffset, numRuns: RUNS });
  const urlOf = (ids: string[], query: [string, string][]) => {
    let url = op.path;
    params.forEach((p, i) => { url = url.replace(`{${p}}`, encodeAny(ids[i] ?? 'x')); });
    const qs = query.map(([k, v]) => `${encodeAny(k)}=${encodeAny(v)}`).join('&');
    return qs ? `${url}?${qs}` : url;
  };
  const auth = bearer(token);
  const withBody = op.method !== 'GET' && op.method !== 'DELETE';
  const attempts: Attempt[] = generated.map(({ ids, query, body }) => ({
    method: op.method,
    url: urlOf(ids, query),
    headers: { ...auth, ...(withBody && body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(withBody && body !== undefined ? { payload: JSON.stringify(body) } : {}),
    input: `ids=${show(ids)} query=${show(query)}${withBody ? ` body=${show(body)}` : ''}`,
  }));
  const plainIds = params.map(() => 'fuzz-missing');
  if (withBody) {
    for (const special of specialBodies(op)) {
      attempts.push({ method: op.method, url: urlOf(plainIds, []), headers: { ...auth, 'content-type': special.contentType ?? 'application/json' }, payload: special.payload, input: `body: ${special.label}` });
    }
  }
  for (const raw of ['%00', '%ED%A0%80', '%FF', '%', '..%2F..%2Fhealth', 'x'.repeat(8000)]) {
    if (params.length) attempts.push({ method: op.method, url: op.path.replace(/\{[A-Za-z]+\}/g, raw), headers: auth, input: `every path parameter ${clip(raw, 20)}` });
  }
  for (const q of op.query) {
    for (const value of ['100000000000000000000', '8640000000000001', '-8640000000000001', '1e309', '%00', '%ED%A0%80']) {
      attempts.push({ method: op.method, url: `${urlOf(plainIds, [])}?${q.name}=${value}`, headers: auth, input: `query ${q.name}=${value}` });
    }
  }
  const hugeQuery = [...op.query.map((q) => `${q.name}=${'9'.repeat(400)}`), `${op.query[0]?.name ?? 'x'}=1&${op.query[0]?.name ?? 'x'}=2`, '__proto__[x]=1', 'constructor=1', 'a=%00%ED%A0%80'].join('&');
  attempts.push({ method: op.method, url: `${urlOf(plainIds, [])}?${hugeQuery}`, headers: auth, input: 'query: 400-digit numbers, repeated keys, prototype keys, NUL' });
  for (const { ids, query, body } of generated.slice(0, 3)) {
    attempts.push({ method: op.method, url: urlOf(ids, query), headers: withBody ? { 'content-type': 'application/json' } : {}, ...(withBody ? { payload: JSON.stringify(body ?? {}) } : {}), input: `unauthenticated ids=${show(ids)}` });
  }
  return attempts;
}

function fixtureBodies(format: string): unknown[] {
  const dir = path.join(fixtures, format);
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
}

interface IngestTarget { format: string; method: string; path: string; key: string }

/** Ingest attempts: mutated real payloads with the right key, hostile keys, hand-picked bodies. */
function ingestAttempts(target: IngestTarget, seedOffset: number): Attempt[] {
  const samples = target.format === 'heartbeat' ? [{}] : fixtureBodies(target.format);
  const bodies = fc.sample(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...samples).chain(mutationsOf) }, { weight: 1, arbitrary: hostileValue }), { seed: SEED + seedOffset, numRuns: RUNS * 2 });
  const identifiers = fc.sample(missingId, { seed: SEED + seedOffset + 1, numRuns: bodies.length });
  const request = (body: string, key: string, identifier: string, contentType = 'application/json'): Omit<Attempt, 'input'> => {
    const headers: Record<string, string> = { 'content-type': contentType };
    let url = target.path.replace('{identifier}', encodeAny(identifier));
    if (url.includes('{key}')) url = url.replace('{key}', encodeAny(key));
    if (target.format === 'opsgenie') headers.authorization = `GenieKey ${key}`;
    if (target.format === 'alertmanager-api') headers.authorization = `Bearer ${key}`;
    if (target.format === 'pagerduty-events-v2') {
      // The key travels in the body: put it there unless the mutation replaced the body's shape.
      try {
        const parsed = JSON.parse(body) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = JSON.stringify({ ...(parsed as object), routing_key: key });
      } catch { /* not JSON: sent as it is */ }
    }
    return { method: target.method, url, headers, payload: body };
  };
  const attempts: Attempt[] = bodies.map((body, i) => ({ ...request(JSON.stringify(body) ?? 'null', target.key, identifiers[i]!), input: `body=${show(body)}` }));
  // Every string of each real payload at once, each sent twice (a stored key must match again).
  for (const [label, change] of [['NUL', (s: string) => `${s}\u0000`], ['lone surrogate', (s: string) => `${s}\ud800`], ['control characters', (s: string) => `\u0007${s}\u001b`]] as const) {
    samples.forEach((sample, i) => {
      const body = JSON.stringify(mapStrings(sample, change));
      for (const time of ['', ' again']) attempts.push({ ...request(body, target.key, 'x'), input: `every string of sample ${i} + ${label}${time}` });
    });
  }
  for (const key of ['', '%00', 'x\ud800', 'fbk_'.padEnd(300, 'z'), '__proto__', 'constructor']) {
    attempts.push({ ...request(JSON.stringify(samples[0]), key, 'x'), input: `key ${show(key)}` });
  }
  for (const special of specialBodies({ method: target.method, path: target.path, access: 'ingest', query: [] })) {
    attempts.push({ ...request(special.payload, target.key, 'x', special.contentType), input: `body: ${special.label}` });
  }
  // An unauthenticated huge body must cost little (issue 12 asks the key to be checked first).
  attempts.push({ ...request(JSON.stringify({ x: 'z'.repeat(8 * 1024 * 1024) }), 'not-a-key', 'x'), input: 'wrong key, 8 MB body' });
  return attempts;
}

/** Sends one attempt; `null` when it answered below 500. */
async function send(t: TestApp, a: Attempt): Promise<Failure['status'] | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const res = await Promise.race([
      t.app.inject({ method: a.method as 'GET', url: a.url, headers: a.headers, ...(a.payload !== undefined ? { payload: a.payload } : {}) }),
      new Promise<'hung'>((resolve) => { timer = setTimeout(() => resolve('hung'), REQUEST_TIMEOUT_MS); }),
    ]);
    if (res === 'hung') return 'hung';
    if (res.statusCode < 500) return null;
    if (process.env.FUZZ_VERBOSE) console.log(`${a.method} ${a.url.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}\n${a.payload?.slice(0, 3000)}`);
    return res.statusCode;
  } catch {
    return 'threw';
  } finally {
    clearTimeout(timer);
  }
}

const RESOLUTION_MS = 10;
const turn = () => new Promise((resolve) => setTimeout(resolve, 2 * RESOLUTION_MS));

/**
 * Runs a batch, watching the event loop (a blocked loop shows once a timer fires again, hence the
 * pauses around it) and timing each request. A stall of a second or more is named after the
 * slowest request at once. A shorter one may be the shared machine's scheduler, so it counts only
 * if it happens again: the slowest request replayed alone three times, or else the whole batch.
 */
async function runBatch(t: TestApp, dialect: string, operation: string, attempts: Attempt[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const watched = async (run: () => Promise<void>) => {
    delay.enable();
    await turn(); // the monitor's first tick only starts its clock
    delay.reset();
    await run();
    await turn();
    delay.disable();
    return Math.round(delay.max / 1e6);
  };
  let slowest = { ms: 0, attempt: attempts[0]! };
  const batch = () => watched(async () => {
    for (const a of attempts) {
      const start = performance.now();
      const status = await send(t, a);
      const ms = performance.now() - start;
      if (ms > slowest.ms) slowest = { ms, attempt: a };
      if (status !== null) failures.push({ dialect, operation, status, input: a.input });
    }
  });
  const batchMs = await batch();
  if (process.env.FUZZ_VERBOSE) console.log(`${operation}: ${attempts.length} requests, longest event-loop delay ${batchMs} ms, slowest request ${Math.round(slowest.ms)} ms: ${slowest.attempt.input}`);
  if (batchMs <= STALL_MS) return failures;
  if (batchMs >= 1000 && slowest.ms >= batchMs - 2 * RESOLUTION_MS) return [...failures, { dialect, operation, status: `stall ${batchMs} ms`, input: slowest.attempt.input }];
  if (slowest.ms > STALL_MS) {
    let least = batchMs;
    for (let i = 0; i < 3 && least > STALL_MS; i += 1) least = Math.min(least, await watched(async () => { await send(t, slowest.attempt); }));
    return least > STALL_MS ? [...failures, { dialect, operation, status: `stall ${least} ms`, input: slowest.attempt.input }] : failures;
  }
  const againMs = await watched(async () => { for (const a of attempts) await send(t, a); });
  return againMs > STALL_MS ? [...failures, { dialect, operation, status: `stall ${Math.min(batchMs, againMs)} ms`, input: `the batch of ${attempts.length} requests` }] : failures;
}

function summary(failures: Failure[]): string {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = `${f.dialect} ${f.operation} → ${f.status}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups].map(([key, list]) => `${key} ×${list.length}\n    e.g. ${list.slice(0, 2).map((f) => f.input).join('\n         ')}`).join('\n');
}

const distinct = (failures: Failure[]) => [...new Set(failures.map((f) => `${f.operation} → ${f.status}`))];

describe.each(DIALECTS)('fuzz on %s', (dialect) => {
  let t: TestApp;
  let token: string;
  let keyId: string;
  const seeded: Record<string, string> = {};
  const integrationKeys: Record<string, string> = {};
  let before: Map<string, unknown>;

  const api = async (method: string, url: string, payload?: object) => {
    const res = await t.app.inject({ method: method as 'GET', url, headers: bearer(token), ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.statusCode === 204 ? null : res.json();
  };

  /** What is compared before and after: each seeded object as the API shows it. */
  async function snapshot(): Promise<Map<string, unknown>> {
    const reads: Record<string, string> = {
      incident: `/api/v1/incidents/${seeded.incident}`,
      timeline: `/api/v1/incidents/${seeded.incident}/timeline`,
      user: `/api/v1/users/${seeded.user}`,
      team: `/api/v1/teams/${seeded.team}`,
      service: `/api/v1/services/${seeded.service}`,
      schedule: `/api/v1/schedules/${seeded.schedule}`,
      policy: `/api/v1/escalation-policies/${seeded.policy}`,
      runbook: `/api/v1/runbooks/${seeded.runbook}`,
      severities: '/api/v1/severities',
      ...Object.fromEntries(Object.entries(seeded).filter(([k]) => k.startsWith('integration:')).map(([k, id]) => [k, `/api/v1/integrations/${id}`])),
    };
    const out = new Map<string, unknown>();
    for (const [name, url] of Object.entries(reads)) out.set(name, await api('GET', url));
    const silences = (await api('GET', '/api/v1/silences')) as { id: string }[] | { items: { id: string }[] };
    out.set('silence', (Array.isArray(silences) ? silences : silences.items).find((s) => s.id === seeded.silence));
    const keys = (await api('GET', '/api/v1/api-keys')) as { items: { id: string }[] };
    out.set('apiKey', keys.items.find((k) => k.id === keyId));
    // Fields that change by being used, not by being altered.
    return new Map([...out].map(([k, v]) => [k, JSON.parse(JSON.stringify(v ?? null, (key, value) => (/^(lastUsedAt|lastSeenAt|lastHeartbeatAt|lastAlertAt|now|generatedAt)$/.test(key) ? undefined : value)))]));
  }

  beforeAll(async () => {
    // With Slack configured, its endpoint checks signatures instead of refusing everything.
    t = await createTestApp(dialect, { paging: { config: { slackSigningSecret: 'fuzz-slack-signing-secret' } } });
    token = (await t.userWithKey('admin')).token;
    keyId = ((await api('GET', '/api/v1/api-keys')) as { items: { id: string }[] }).items[0]!.id;
    seeded.user = (await api('POST', '/api/v1/users', { email: 'seeded@example.test', name: 'Seeded Person', role: 'responder', timeZone: 'Europe/Paris', password: 'seeded-password-long-enough' })).id;
    seeded.team = (await api('POST', '/api/v1/teams', { slug: 'seeded-team', name: 'Seeded team' })).id;
    await api('PUT', `/api/v1/teams/${seeded.team}/members/${seeded.user}`, { role: 'responder' });
    seeded.service = (await api('POST', '/api/v1/services', { slug: 'seeded-service', name: 'Seeded service', description: 'kept as it is', team: 'seeded-team' })).id;
    seeded.incident = (await api('POST', '/api/v1/incidents', { title: 'Seeded incident', severity: 'SEV2', service: 'seeded-service', summary: 'must not change' })).id;
    await api('POST', `/api/v1/incidents/${seeded.incident}/notes`, { body: 'a note' });
    seeded.silence = (await api('POST', '/api/v1/silences', { matchers: 'alertname="Seeded"', endsAt: new Date(t.clock.now() + 86_400_000).toISOString(), comment: 'seeded' })).id;
    seeded.schedule = (await api('POST', '/api/v1/schedules', { name: 'Seeded rota', team: 'seeded-team', timeZone: 'UTC', layers: [{ id: 'base', name: 'primary', rotation: { type: 'weekly', handoffTime: '09:00', startDate: '2026-02-02', members: [seeded.user] } }] })).id;
    seeded.policy = (await api('POST', '/api/v1/escalation-policies', { name: 'Seeded policy', levels: [{ delaySeconds: 0, targets: [{ type: 'schedule', id: seeded.schedule }] }] })).id;
    const markdown = readFileSync(path.resolve(fixtures, '../runbooks/ledgerline-service.md'), 'utf8');
    seeded.runbook = (await api('POST', '/api/v1/runbooks/import', { markdown, sourceName: 'ledgerline-service.md' })).runbooks[0].slug;
    for (const format of [...Object.keys(ingestRegistry), 'heartbeat']) {
      const created = await api('POST', '/api/v1/integrations', { name: `seeded ${format}`, format, ...SETTINGS[format] });
      seeded[`integration:${format}`] = created.id;
      integrationKeys[format] = created.key;
    }
    before = await snapshot();
  }, 120_000);
  afterAll(() => t?.close());

  it('no operation of the OpenAPI document answers 5xx, hangs or stalls the event loop', async () => {
    const doc = (await api('GET', '/api/v1/openapi.json')) as { paths: Record<string, Record<string, { 'x-firebreak-access': string; parameters: { name: string; in: string; schema: JsonSchema }[]; requestBody?: { content: { 'application/json': { schema: JsonSchema } } } }>> };
    const operations: Operation[] = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(), path: p, access: op['x-firebreak-access'],
      query: op.parameters.filter((x) => x.in === 'query').map((x) => ({ name: x.name, schema: x.schema })),
      ...(op.requestBody ? { body: op.requestBody.content['application/json'].schema } : {}),
    })));
    expect(operations.length).toBeGreaterThan(100);
    const ids = Object.values(seeded);
    const found: Failure[] = [];
    for (const [i, op] of operations.entries()) if (only.test(`${op.method} ${op.path}`)) found.push(...await runBatch(t, dialect, `${op.method} ${op.path}`, apiAttempts(op, token, ids, i * 1000)));
    if (found.length) console.log(`fuzz (${dialect}) API failures:\n${summary(found)}`);
    expect(distinct(found)).toEqual([]);
  }, 600_000);

  it('no ingest endpoint answers 5xx, hangs or stalls the event loop', async () => {
    const targets: IngestTarget[] = Object.values(ingestRegistry).flatMap((entry) => entry.endpoints.map((e) => ({ format: entry.format, method: e.method, path: e.path, key: integrationKeys[entry.format]! })));
    for (const method of ['POST', 'GET']) targets.push({ format: 'heartbeat', method, path: '/ingest/heartbeat/{key}', key: integrationKeys.heartbeat! });
    expect(targets.length).toBeGreaterThan(10);
    const found: Failure[] = [];
    for (const [i, target] of targets.entries()) if (only.test(`${target.method} ${target.path}`)) found.push(...await runBatch(t, dialect, `${target.method} ${target.path}`, ingestAttempts(target, 500_000 + i * 1000)));
    if (found.length) console.log(`fuzz (${dialect}) ingest failures:\n${summary(found)}`);
    expect(distinct(found)).toEqual([]);
  }, 600_000);

  it('leaves the seeded objects as they were', async () => {
    const after = await snapshot();
    for (const [name, value] of before) expect({ name, value: after.get(name) }).toEqual({ name, value });
  });
});
