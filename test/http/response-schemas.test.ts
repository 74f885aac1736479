import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { buildApp } from '../../src/http/app.js';
import { openApiDocument, responseMismatch, route } from '../../src/http/route.js';
import { view } from '../../src/http/views/registry.js';
import { MetricsRegistry } from '../../src/observability/metrics.js';
import { openStore, type Store } from '../../src/store/index.js';

const Thing = view('TestThing', z.object({ id: z.string(), count: z.number(), note: z.string().optional() }));

describe('responseMismatch', () => {
  it('accepts exactly what the schema describes, as JSON', () => {
    expect(responseMismatch(Thing, { id: 'a', count: 1 })).toBeNull();
    expect(responseMismatch(Thing, { id: 'a', count: 1, note: undefined })).toBeNull();
    expect(responseMismatch(z.object({ at: z.string() }), { at: new Date(0) })).toBeNull();
  });
  it('names a missing field, a wrong type and a field the schema does not name', () => {
    expect(responseMismatch(Thing, { id: 'a' })).toMatch(/\$\.count/);
    expect(responseMismatch(Thing, { id: 'a', count: '1' })).toMatch(/\$\.count: .*number/);
    expect(responseMismatch(Thing, { id: 'a', count: 1, extra: true })).toBe('$.extra: sent but not in the response schema');
    expect(responseMismatch(z.object({ items: z.array(Thing) }), { items: [{ id: 'a', count: 1, deep: 1 }] })).toBe('$.items.0.deep: sent but not in the response schema');
  });
});

describe('route() with checkResponses', () => {
  let store: Store | undefined;
  afterEach(async () => store?.close());

  async function appAnswering(answer: unknown, checkResponses: boolean) {
    store = openStore('sqlite::memory:');
    const { app, routes } = await buildApp({
      store, clock: new ManualClock(), log: silentLogger, metrics: new MetricsRegistry(), publicUrl: 'http://x', version: 't', webRoot: null, checkResponses,
      extraRoutes: [(a, table, buildCtx) => route(a, table, { method: 'GET', url: '/api/v1/test-thing', tag: 'test', access: 'public', summary: 'test', response: Thing, handler: async () => answer }, buildCtx)],
    });
    return { app, routes };
  }

  it('fails loudly (500 and a recorded mismatch) when an answer leaves its schema', async () => {
    const { app, routes } = await appAnswering({ id: 'a', count: 1, secret: 'x' }, true);
    const res = await app.inject({ method: 'GET', url: '/api/v1/test-thing' });
    expect(res.statusCode).toBe(500);
    expect(routes.responseMismatches).toEqual(['GET /api/v1/test-thing answered outside its response schema: $.secret: sent but not in the response schema']);
    await app.close();
  });

  it('answers unchanged when it matches, and never checks nor strips without the option', async () => {
    const ok = await appAnswering({ id: 'a', count: 1 }, true);
    expect((await ok.app.inject({ method: 'GET', url: '/api/v1/test-thing' })).json()).toEqual({ id: 'a', count: 1 });
    await ok.app.close();
    await store?.close();
    const prod = await appAnswering({ id: 'a', count: 1, extra: 2 }, false);
    const res = await prod.app.inject({ method: 'GET', url: '/api/v1/test-thing' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'a', count: 1, extra: 2 });
    expect(prod.routes.responseMismatches).toEqual([]);
    await prod.app.close();
  });

  it('puts the response schema into OpenAPI as a named view', async () => {
    const { app, routes } = await appAnswering({ id: 'a', count: 1 }, false);
    const doc = openApiDocument(routes, { version: 't', serverUrl: 'http://x' }) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
      components: { schemas: Record<string, { required?: string[] }> };
    };
    expect(doc.paths['/api/v1/test-thing']!.get!.responses['200']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/TestThing' });
    expect(doc.components.schemas['TestThing']!.required).toEqual(['id', 'count']);
    // The views the web client is generated from.
    expect(doc.paths['/api/v1/incidents/{incident}']!.get!.responses['200']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/IncidentDetail' });
    await app.close();
  });
});
