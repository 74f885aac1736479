import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

describe.each(DIALECTS)('status page auto-publish, mismatches, Markdown and preview on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  let responder: { token: string; userId: string };
  const post = (url: string, body: unknown, token = admin.token) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(token) });
  const patch = (url: string, body: unknown, token = admin.token) => t.app.inject({ method: 'PATCH', url, payload: body as object, headers: bearer(token) });
  const get = (url: string, token = admin.token) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const pub = (url: string) => t.app.inject({ method: 'GET', url });
  const declare = async (severity: string, service: string, title: string) => {
    const r = await post('/api/v1/incidents', { title, severity, service }, responder.token);
    expect(r.statusCode, r.body).toBe(201);
    return r.json().number as number;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    responder = await t.userWithKey('responder');
    for (const slug of ['payments', 'search', 'web', 'unmapped']) expect((await post('/api/v1/services', { slug, name: slug })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages', { slug: 'acme', name: 'Acme' })).statusCode).toBe(201);
    for (const [name, services] of [['Payments', ['payments']], ['Search', ['search']], ['Website', ['web']]] as const) {
      expect((await post('/api/v1/status-pages/acme/components', { name, services })).statusCode).toBe(201);
    }
  });
  afterAll(() => t?.close());

  it('refuses a template that does not render, naming the field; a responder cannot change settings', async () => {
    const bad = await patch('/api/v1/status-pages/acme', { autoPublish: { severities: { SEV1: 'publish' }, title: '{{ incident.title }}' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe('autoPublish.title');
    const badMode = await patch('/api/v1/status-pages/acme', { autoPublish: { severities: { SEV1: 'sometimes' } } });
    expect(badMode.statusCode).toBe(400);
    expect(badMode.json().issues[0].field).toMatch(/^autoPublish\.severities/);
    expect((await patch('/api/v1/status-pages/acme', { autoPublish: { severities: { SEV1: 'publish' } } }, responder.token)).statusCode).toBe(403);
    const ok = await patch('/api/v1/status-pages/acme', { autoPublish: { severities: { SEV1: 'publish', SEV2: 'draft' }, title: '{{ components | join: " & " }} trouble ({{ impact }})' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().autoPublish.severities).toEqual({ SEV1: 'publish', SEV2: 'draft' });
  });

  it('drafts for a draft severity: never public, flagged, then published with one click', async () => {
    const n = await declare('SEV2', 'payments', 'INTERNAL: db-7 OOM');
    const view = (await get('/api/v1/status-pages/acme')).json();
    expect(view.openPublicIncidents).toEqual([expect.objectContaining({ incidentNumber: n, draft: true, name: 'Payments trouble (major)', status: 'investigating' })]);
    expect(view.mismatches).toEqual([expect.objectContaining({ kind: 'status_without_incident', message: expect.stringContaining('a draft is waiting') })]);
    const summary = (await pub('/status/acme/api/v2/summary.json')).json();
    expect(summary.incidents).toEqual([]);
    expect((await pub('/status/acme/api/v2/incidents.json')).json().incidents).toEqual([]);
    const html = (await pub('/status/acme')).body;
    expect(html).not.toContain('Payments trouble');
    expect(html).not.toContain('INTERNAL');
    expect((await pub('/status/acme/history.rss')).body).not.toContain('Payments trouble');

    const click = await post(`/api/v1/status-pages/acme/incidents/${n}/publish`, {}, responder.token);
    expect(click.statusCode, click.body).toBe(200);
    expect((await post(`/api/v1/status-pages/acme/incidents/${n}/publish`, {}, responder.token)).statusCode).toBe(409);
    const after = (await pub('/status/acme/api/v2/incidents/unresolved.json')).json().incidents;
    expect(after.map((i: { name: string; impact: string }) => [i.name, i.impact])).toEqual([['Payments trouble (major)', 'major']]);
    expect(after[0].incident_updates[0].body).toContain('We are investigating problems with Payments');
    expect(after[0].incident_updates[0].body).not.toContain('INTERNAL');
    expect((await get('/api/v1/status-pages/acme')).json().mismatches).toEqual([]);
    await post(`/api/v1/incidents/${n}/resolve`, {}, responder.token);
    expect((await post(`/api/v1/status-pages/acme/incidents/${n}/updates`, { status: 'resolved', body: 'Fixed.' }, responder.token)).statusCode).toBe(201);
  });

  it('publishes at once for a publish severity; nothing for other severities, drills or unmapped services', async () => {
    const n = await declare('SEV1', 'search', 'INTERNAL: search cluster split');
    const unresolved = (await pub('/status/acme/api/v2/incidents/unresolved.json')).json().incidents;
    expect(unresolved.map((i: { name: string }) => i.name)).toEqual(['Search trouble (critical)']);
    const m3 = await declare('SEV3', 'web', 'minor');
    const m1 = await declare('SEV1', 'unmapped', 'elsewhere');
    const view = (await get('/api/v1/status-pages/acme')).json();
    expect(view.openPublicIncidents.map((i: { incidentNumber: number }) => i.incidentNumber)).toEqual([n]);
    expect(view.openPublicIncidents.map((i: { incidentNumber: number }) => i.incidentNumber)).not.toContain(m3);
    expect(view.openPublicIncidents.map((i: { incidentNumber: number }) => i.incidentNumber)).not.toContain(m1);
    // The SEV3 on web shows degraded with no public incident: flagged.
    expect(view.mismatches.map((m: { kind: string; message: string }) => [m.kind, m.message.split(' ')[0]])).toEqual([['status_without_incident', 'Website']]);
    // Raising it to a chosen severity drafts it.
    expect((await post(`/api/v1/incidents/${m3}/severity`, { severity: 'SEV2' }, responder.token)).statusCode).toBe(200);
    expect((await get('/api/v1/status-pages/acme')).json().openPublicIncidents.find((i: { incidentNumber: number }) => i.incidentNumber === m3)?.draft).toBe(true);
    for (const k of [n, m3, m1]) await post(`/api/v1/incidents/${k}/resolve`, {}, responder.token);
    for (const k of [n, m3]) expect((await post(`/api/v1/status-pages/acme/incidents/${k}/updates`, { status: 'resolved', body: 'Fixed.' }, responder.token)).statusCode).toBe(201);
  });

  it('flags a public incident whose components are all shown operational', async () => {
    const n = await declare('SEV4', 'unmapped', 'not on the page');
    expect((await post('/api/v1/status-pages/acme/incidents', { incident: String(n), name: 'Website slow', body: 'Looking.', components: ['Website'] }, responder.token)).statusCode).toBe(201);
    const view = (await get('/api/v1/status-pages/acme')).json();
    expect(view.mismatches).toEqual([expect.objectContaining({ kind: 'incident_without_status', message: 'public incident "Website slow" is open but Website is shown operational' })]);
  });

  it('renders Markdown bodies sanitised in HTML and as plain text in Statuspage JSON', async () => {
    const n = (await get('/api/v1/status-pages/acme')).json().openPublicIncidents[0].incidentNumber;
    const body = '**Fixed** the `cache`.\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) ![pic](https://evil.example/x.png) <img src=x onerror=alert(1)>\n\n- one\n- two';
    expect((await post(`/api/v1/status-pages/acme/incidents/${n}/updates`, { status: 'monitoring', body }, responder.token)).statusCode).toBe(201);
    const html = (await pub('/status/acme')).body;
    expect(html).toContain('<strong>Fixed</strong> the <code>cache</code>.');
    expect(html).toContain('<li>one</li>');
    expect(html).not.toMatch(/<script|<img|href="javascript:|<[^>]+onerror/i);
    // Both feeds carry the sanitised HTML in CDATA: no live tag or link.
    for (const feed of ['/status/acme/history.rss', '/status/acme/history.atom']) {
      const body = (await pub(feed)).body;
      expect(body).toContain('<strong>Fixed</strong>');
      expect(body).not.toMatch(/<script|<img|href="javascript:|<[^>]+onerror/i);
    }
    const json = (await pub('/status/acme/api/v2/incidents/unresolved.json')).json();
    const text = json.incidents[0].incident_updates[0].body as string;
    expect(text.startsWith('Fixed the cache.')).toBe(true);
    expect(text).not.toContain('**');
    expect(text).toContain('one');
  });

  it('previews an unsaved definition without saving it', async () => {
    const n = await declare('SEV1', 'payments', 'again');
    const res = await post('/api/v1/status-pages/preview', {
      page: 'acme', name: 'Acme <Renamed>', severityMap: { SEV1: 'degraded_performance' },
      components: [{ name: 'Money', isGroup: true }, { name: 'Payments', group: 'Money', services: ['payments'] }, { name: 'Docs', status: 'under_maintenance' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const { html } = res.json();
    expect(html).toContain('Acme &lt;Renamed&gt; status');
    expect(html).toMatch(/<h3>Payments<\/h3><span class="st s-minor">Degraded performance<\/span>/);
    expect(html).toContain('Under maintenance');
    expect(html).toContain('Website slow');
    expect((await pub('/status/acme')).body).not.toContain('Renamed');
    expect((await post('/api/v1/status-pages/preview', { name: 'x', components: [{ name: 'A', status: 'sideways' }] })).json().issues[0].field).toBe('components.0.status');
    expect((await post('/api/v1/status-pages/preview', { name: 'x' }, responder.token)).statusCode).toBe(403);
    await post(`/api/v1/incidents/${n}/resolve`, {}, responder.token);
  });
});

describe('public answers over a socket', () => {
  it('serves cached answers before Fastify with an ETag, and 304 when it matches', async () => {
    const t = await createTestApp('sqlite');
    try {
      const admin = await t.userWithKey('admin');
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/status-pages', payload: { slug: 'fast', name: 'Fast' }, headers: bearer(admin.token) })).statusCode).toBe(201);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
      const first = await fetch(`${base}/status/fast/api/v2/summary.json`);
      const firstBody = await first.text();
      expect(first.headers.get('x-request-id')).not.toBeNull(); // computed by the route
      const second = await fetch(`${base}/status/fast/api/v2/summary.json`);
      expect(second.headers.get('x-request-id')).toBeNull(); // answered from the cache, before Fastify
      expect(await second.text()).toBe(firstBody);
      const etag = second.headers.get('etag')!;
      expect(etag).toBe(first.headers.get('etag'));
      for (const h of ['content-security-policy', 'access-control-allow-origin', 'cache-control', 'x-content-type-options']) expect(second.headers.get(h)).toBe(first.headers.get(h));
      expect((await fetch(`${base}/status/fast/api/v2/summary.json`, { headers: { 'if-none-match': etag } })).status).toBe(304);
      expect((await fetch(`${base}/status/nope/api/v2/summary.json`)).status).toBe(404);
      // The page, computed then from the cache: its content security policy either way.
      const [pageFirst, pageCached] = [await fetch(`${base}/status/fast`), await fetch(`${base}/status/fast`)];
      expect(pageFirst.headers.get('content-type')).toContain('text/html');
      expect(pageCached.headers.get('x-request-id')).toBeNull();
      for (const h of ['content-security-policy', 'referrer-policy', 'x-content-type-options', 'etag']) {
        expect(pageCached.headers.get(h), h).toBe(pageFirst.headers.get(h));
        expect(pageCached.headers.get(h), h).not.toBeNull();
      }
    } finally {
      await t.close();
    }
  });
});
