import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];
const INDICATORS = ['none', 'minor', 'major', 'critical', 'maintenance'];
const IMPACTS = ['none', 'minor', 'major', 'critical'];
const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'];
const PUBLIC_FILES = ['summary.json', 'status.json', 'components.json', 'incidents.json', 'incidents/unresolved.json', 'scheduled-maintenances.json', 'scheduled-maintenances/upcoming.json', 'scheduled-maintenances/active.json'];

describe.each(DIALECTS)('status pages on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  let responder: { token: string; userId: string; email: string };
  let incidentNumber: number;
  // Internal text that must never appear on any public route.
  const SECRETS = ['Internal: db-primary-7 OOM', 'runbook value hunter2', 'note: rollback canary', 'cust-ACME-SECRET'];

  const post = (url: string, body: unknown, token = admin.token) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(token) });
  const put = (url: string, body: unknown, token = admin.token) => t.app.inject({ method: 'PUT', url, payload: body as object, headers: bearer(token) });
  const pub = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const publicUrls = (slug: string) => [`/status/${slug}`, ...PUBLIC_FILES.map((f) => `/status/${slug}/api/v2/${f}`), `/status/${slug}/history.rss`, `/status/${slug}/history.atom`];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    responder = await t.userWithKey('responder');
    for (const slug of ['payments', 'search', 'web']) expect((await post('/api/v1/services', { slug, name: slug })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages', { slug: 'acme', name: 'Acme <Cloud>' })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages', { slug: 'other', name: 'Other Co', hostName: 'status.other.test' })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages/acme/components', { name: 'Core', isGroup: true })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages/acme/components', { name: 'Payments', group: 'Core', services: ['payments'] })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages/acme/components', { name: 'Search', group: 'Core', services: ['search'] })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages/acme/components', { name: 'Website <b>', services: ['web'] })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages/other/components', { name: 'Other widget', services: ['payments'] })).statusCode).toBe(201);

    // An incident with everything private: title, summary, a note, a responder.
    const inc = (await post('/api/v1/incidents', { title: SECRETS[0], severity: 'SEV1', service: 'payments', summary: SECRETS[1] })).json();
    incidentNumber = inc.number;
    expect((await post(`/api/v1/incidents/${inc.number}/notes`, { body: SECRETS[2] })).statusCode).toBe(201);
    expect((await put(`/api/v1/incidents/${inc.number}/roles/commander`, { user: responder.userId })).statusCode).toBe(200);
    expect((await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'initial', body: SECRETS[3], audiences: ['internal'] })).statusCode).toBe(201);
  });
  afterAll(() => t?.close());

  it('derives component statuses from open incidents and rolls the page up', async () => {
    const page = (await pub('/status/acme/api/v2/summary.json')).json();
    const byName = Object.fromEntries(page.components.map((c: { name: string; status: string }) => [c.name, c.status]));
    expect(byName).toEqual({ Core: 'major_outage', Payments: 'major_outage', Search: 'operational', 'Website <b>': 'operational' });
    expect(page.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    // The override wins, and clearing it derives again.
    expect((await put('/api/v1/status-pages/acme/components/Search/status', { status: 'degraded_performance' }, responder.token)).statusCode).toBe(200);
    expect((await pub('/status/acme/api/v2/components.json')).json().components.find((c: { name: string }) => c.name === 'Search').status).toBe('degraded_performance');
    expect((await put('/api/v1/status-pages/acme/components/Search/status', { status: null }, responder.token)).statusCode).toBe(200);
  });

  it('publishes an incident with its own title; a public stakeholder update is mirrored; nothing internal leaks', async () => {
    const res = await post('/api/v1/status-pages/acme/incidents', { incident: String(incidentNumber), name: 'Card payments failing <script>alert(1)</script>', body: 'We are looking into failed card payments.' }, responder.token);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().impact).toBe('critical');
    expect((await post(`/api/v1/incidents/${incidentNumber}/updates`, { kind: 'update', body: 'A fix is rolling out.', audiences: ['public', 'internal'] }, responder.token)).statusCode).toBe(201);
    expect((await post(`/api/v1/status-pages/acme/incidents/${incidentNumber}/updates`, { status: 'monitoring', body: 'Payments recovering.' }, responder.token)).statusCode).toBe(201);

    const unresolved = (await pub('/status/acme/api/v2/incidents/unresolved.json')).json();
    expect(unresolved.incidents).toHaveLength(1);
    const incident = unresolved.incidents[0];
    expect(incident.incident_updates.map((u: { body: string; status: string }) => [u.status, u.body])).toEqual([
      ['monitoring', 'Payments recovering.'], ['investigating', 'A fix is rolling out.'], ['investigating', 'We are looking into failed card payments.'],
    ]);
    expect(incident.components.map((c: { name: string }) => c.name)).toEqual(['Payments']);

    const html = (await pub('/status/acme')).body;
    expect(html).toContain('Card payments failing &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain('Acme &lt;Cloud&gt; status');
    expect(html).toContain('Website &lt;b&gt;');

    const responderEmail = responder.email;
    for (const url of [...publicUrls('acme'), ...publicUrls('other')]) {
      const r = await pub(url);
      expect([url, r.statusCode]).toEqual([url, 200]);
      for (const secret of [...SECRETS, responderEmail, 'admin@example.test']) expect(r.body, url).not.toContain(secret);
      expect(r.body, url).not.toMatch(/(?<![a-z])inc_[0-9a-z]{26}/);
    }
  });

  it('answers with Statuspage field names and enumerations', async () => {
    const summary = (await pub('/status/acme/api/v2/summary.json')).json();
    expect(Object.keys(summary).sort()).toEqual(['components', 'incidents', 'page', 'scheduled_maintenances', 'status']);
    expect(Object.keys(summary.page).sort()).toEqual(['id', 'name', 'time_zone', 'updated_at', 'url']);
    expect(summary.page.url).toBe('http://firebreak.test/status/acme');
    expect(INDICATORS).toContain(summary.status.indicator);
    for (const c of summary.components) {
      for (const k of ['id', 'name', 'status', 'created_at', 'updated_at', 'position', 'description', 'showcase', 'start_date', 'group_id', 'page_id', 'group', 'only_show_if_degraded']) expect(c).toHaveProperty(k);
      expect(COMPONENT_STATUSES).toContain(c.status);
    }
    const core = summary.components.find((c: { name: string }) => c.name === 'Core');
    expect(core.group).toBe(true);
    expect(core.components).toHaveLength(2);
    const incidents = (await pub('/status/acme/api/v2/incidents.json')).json().incidents;
    for (const i of incidents) {
      for (const k of ['id', 'name', 'status', 'created_at', 'updated_at', 'monitoring_at', 'resolved_at', 'impact', 'shortlink', 'started_at', 'page_id', 'incident_updates', 'components']) expect(i).toHaveProperty(k);
      expect(INCIDENT_STATUSES).toContain(i.status);
      expect(IMPACTS).toContain(i.impact);
      for (const u of i.incident_updates) {
        for (const k of ['id', 'status', 'body', 'incident_id', 'created_at', 'updated_at', 'display_at', 'affected_components', 'deliver_notifications', 'custom_tweet', 'tweet_id']) expect(u).toHaveProperty(k);
      }
    }
    expect((await pub('/status/acme/api/v2/status.json')).json()).toEqual({ page: summary.page, status: summary.status });
    expect((await pub('/status/acme/api/v2/scheduled-maintenances/upcoming.json')).json()).toEqual({ page: summary.page, scheduled_maintenances: [] });
  });

  it('shows nothing from another page, and serves a mapped host at its root', async () => {
    const other = (await pub('/status/other/api/v2/summary.json')).json();
    expect(other.components.map((c: { name: string }) => c.name)).toEqual(['Other widget']);
    expect(other.incidents).toEqual([]);
    expect((await pub('/status/other')).body).not.toContain('Card payments failing');
    expect((await pub('/status/nope/api/v2/summary.json')).statusCode).toBe(404);
    const root = await pub('/', { host: 'status.other.test' });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('Other Co status');
    expect(root.body).toContain('href="/history.rss"');
    expect((await pub('/api/v2/status.json', { host: 'status.other.test:443' })).json().page.name).toBe('Other Co');
    // A component of another page is not found on this one.
    expect((await post('/api/v1/status-pages/acme/incidents', { incident: String(incidentNumber), name: 'x', body: 'y', components: ['Other widget'] })).statusCode).toBe(409);
    expect((await post('/api/v1/status-pages/other/incidents', { incident: String(incidentNumber), name: 'x', body: 'y', components: ['Payments'] })).json().issues[0].field).toBe('components.0');
  });

  it('resolves with a resolution update; history, bars and feeds follow', async () => {
    t.clock.advance(3_600_000);
    expect((await post(`/api/v1/incidents/${incidentNumber}/updates`, { kind: 'resolution', body: 'Resolved: payments work again.', audiences: ['public'] }, responder.token)).statusCode).toBe(201);
    expect((await post(`/api/v1/incidents/${incidentNumber}/resolve`, {}, responder.token)).statusCode).toBe(200);
    const summary = (await pub('/status/acme/api/v2/summary.json')).json();
    expect(summary.incidents).toEqual([]);
    expect(summary.status).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    const [resolved] = (await pub('/status/acme/api/v2/incidents.json')).json().incidents;
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolved_at).toBe(new Date(t.clock.now()).toISOString());
    const html = (await pub('/status/acme')).body;
    expect(html).toMatch(/class="d-critical" title="\d{4}-\d\d-\d\d: critical incident, 60 min"/);
    const rss = await pub('/status/acme/history.rss');
    expect(rss.headers['content-type']).toContain('application/rss+xml');
    expect(rss.body).toContain('<title><![CDATA[Card payments failing');
    const atom = await pub('/status/acme/history.atom');
    expect(atom.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(atom.body).toContain('Resolved: payments work again.');
  });
});
