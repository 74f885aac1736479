import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

describe.each(DIALECTS)('incidents API on %s', (dialect) => {
  let t: TestApp;
  let responder: { token: string; userId: string; email: string };
  let viewer: { token: string };
  let other: { userId: string; email: string };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    responder = await t.userWithKey('responder');
    viewer = await t.userWithKey('viewer');
    other = await t.userWithKey('responder');
    await t.store.db.insertInto('services').values({ id: 'svc_api', slug: 'api', name: 'Public API', description: '', team_id: null, managed_by: null, created_at: 0, updated_at: 0 }).execute();
    await t.store.db.insertInto('checklist_templates').values({ id: 'tpl_1', slug: 'sev1-initial', name: 'SEV1 initial response', severities: JSON.stringify(['SEV1']), items: JSON.stringify(['Open a bridge', 'Name a commander', 'Post first status update']), managed_by: null, created_at: 0, updated_at: 0 }).execute();
  });
  afterAll(() => t?.close());

  const post = (url: string, payload: unknown, token = responder.token) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: bearer(token) });
  const get = (url: string, token = responder.token) => t.app.inject({ method: 'GET', url, headers: bearer(token) });

  it('declares an incident with a number, a triggered status and a timeline entry', async () => {
    const res = await post('/api/v1/incidents', { title: 'API 5xx spike', severity: 'sev2', service: 'api', summary: 'Errors at *40%*' });
    expect(res.statusCode).toBe(201);
    const inc = res.json();
    expect(inc.id).toMatch(/^inc_[0-9a-z]{26}$/);
    expect(inc.number).toBeGreaterThan(0);
    expect(inc).toMatchObject({ status: 'triggered', severity: 'SEV2', service: { slug: 'api' }, acknowledgedAt: null, declaredAt: '2026-03-01T10:00:00.000Z' });
    const timeline = (await get(`/api/v1/incidents/${inc.number}/timeline`)).json().items;
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(['declared']);
    expect(timeline[0].actor.type).toBe('apiKey');
  });

  it('numbers incidents without gaps or repeats', async () => {
    const numbers: number[] = [];
    for (let i = 0; i < 3; i++) numbers.push((await post('/api/v1/incidents', { title: `n${i}`, severity: 'SEV4' })).json().number);
    expect(numbers[1]).toBe(numbers[0]! + 1);
    expect(numbers[2]).toBe(numbers[1]! + 1);
  });

  it.each([
    [{ severity: 'SEV1' }, 'title'],
    [{ title: 'x' }, 'severity'],
    [{ title: 'x', severity: 'SEV9' }, 'severity'],
    [{ title: 'x', severity: 'SEV1', service: 'nope' }, 'service'],
    [{ title: 'x'.repeat(201), severity: 'SEV1' }, 'title'],
    [{ title: 'x', severity: 'SEV1', detectedAt: 'yesterday' }, 'detectedAt'],
  ])('rejects %j naming the field %s', async (payload, field) => {
    const res = await post('/api/v1/incidents', payload);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION');
    expect(body.requestId).toMatch(/^req_/);
    expect(body.issues.map((i: { field: string }) => i.field)).toContain(field);
  });

  it('walks the lifecycle, records metric moments, and refuses impossible moves with 409', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'DB failover', severity: 'SEV1' })).json();
    t.clock.advance(60_000);
    const acked = await post(`/api/v1/incidents/${inc.id}/acknowledge`, {});
    expect(acked.statusCode).toBe(200);
    expect(acked.json()).toMatchObject({ status: 'acknowledged', acknowledgedAt: '2026-03-01T10:01:00.000Z' });
    expect((await post(`/api/v1/incidents/${inc.id}/acknowledge`, {})).statusCode).toBe(409);
    for (const status of ['investigating', 'identified', 'monitoring']) {
      t.clock.advance(60_000);
      expect((await post(`/api/v1/incidents/${inc.id}/status`, { status })).json().status).toBe(status);
    }
    const resolved = (await post(`/api/v1/incidents/${inc.id}/resolve`, { note: 'Replica promoted' })).json();
    expect(resolved).toMatchObject({ status: 'resolved', mitigatedAt: '2026-03-01T10:04:00.000Z', resolvedAt: '2026-03-01T10:04:00.000Z' });
    const conflict = await post(`/api/v1/incidents/${inc.id}/status`, { status: 'monitoring' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().message).toMatch(/resolved/);
    const reopened = (await post(`/api/v1/incidents/${inc.id}/status`, { status: 'investigating' })).json();
    expect(reopened).toMatchObject({ status: 'investigating', resolvedAt: null });
    const kinds = (await get(`/api/v1/incidents/${inc.id}/timeline`)).json().items.map((e: { kind: string; data: { to?: string } }) => e.data.to ?? e.kind);
    expect(kinds).toEqual(['declared', 'task_added', 'acknowledged', 'investigating', 'identified', 'monitoring', 'resolved', 'investigating']);
  });

  it('applies the severity checklist on declare and when raised to that severity, once', async () => {
    const sev1 = (await post('/api/v1/incidents', { title: 'Outage', severity: 'SEV1' })).json();
    const full = (await get(`/api/v1/incidents/${sev1.id}`)).json();
    expect(full.tasks.map((x: { title: string }) => x.title)).toEqual(['Open a bridge', 'Name a commander', 'Post first status update']);
    const sev3 = (await post('/api/v1/incidents', { title: 'Slow page', severity: 'SEV3' })).json();
    expect((await get(`/api/v1/incidents/${sev3.id}`)).json().tasks).toHaveLength(0);
    await post(`/api/v1/incidents/${sev3.id}/severity`, { severity: 'SEV1', reason: 'customers affected' });
    await post(`/api/v1/incidents/${sev3.id}/severity`, { severity: 'SEV2' });
    await post(`/api/v1/incidents/${sev3.id}/severity`, { severity: 'SEV1' });
    const after = (await get(`/api/v1/incidents/${sev3.id}`)).json();
    expect(after.severity).toBe('SEV1');
    expect(after.tasks).toHaveLength(3);
    const events = (await get(`/api/v1/incidents/${sev3.id}/timeline`)).json().items.filter((e: { kind: string }) => e.kind === 'severity_changed');
    expect(events.map((e: { data: { from: string; to: string } }) => `${e.data.from}>${e.data.to}`)).toEqual(['SEV3>SEV1', 'SEV1>SEV2', 'SEV2>SEV1']);
  });

  it('ticks tasks, and ticking twice writes one event', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'Tasks', severity: 'SEV3' })).json();
    const task = (await post(`/api/v1/incidents/${inc.id}/tasks`, { title: 'Check dashboards' })).json();
    expect(task.id).toMatch(/^task_/);
    const patch = (done: boolean) => t.app.inject({ method: 'PATCH', url: `/api/v1/incidents/${inc.id}/tasks/${task.id}`, payload: { done }, headers: bearer(responder.token) });
    expect((await patch(true)).json()).toMatchObject({ done: true, doneBy: expect.stringMatching(/^key_/) });
    await patch(true);
    expect((await patch(false)).json().done).toBe(false);
    const kinds = (await get(`/api/v1/incidents/${inc.id}/timeline`)).json().items.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'task_completed')).toHaveLength(1);
    expect(kinds).toContain('task_reopened');
  });

  it('assigns roles and hands off with a structured note', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'Roles', severity: 'SEV2' })).json();
    const put = (role: string, user: string | null) => t.app.inject({ method: 'PUT', url: `/api/v1/incidents/${inc.id}/roles/${role}`, payload: { user }, headers: bearer(responder.token) });
    expect((await put('commander', responder.email)).json().roles).toEqual([expect.objectContaining({ role: 'commander', userId: responder.userId })]);
    expect((await put('Bad Role!', responder.email)).statusCode).toBe(400);
    expect((await put('scribe', 'nobody@example.test')).json().issues[0].field).toBe('user');
    const handoff = await post(`/api/v1/incidents/${inc.id}/handoff`, { to: other.email, state: 'Failover done, replicas lagging', actionsTaken: 'Promoted replica', nextSteps: 'Watch lag < 1s' });
    expect(handoff.statusCode).toBe(200);
    expect(handoff.json().roles).toEqual([expect.objectContaining({ role: 'commander', userId: other.userId })]);
    expect((await post(`/api/v1/incidents/${inc.id}/handoff`, { to: other.email, state: 'x' })).json().issues.map((i: { field: string }) => i.field)).toContain('nextSteps');
    const event = (await get(`/api/v1/incidents/${inc.id}/timeline`)).json().items.find((e: { kind: string }) => e.kind === 'handoff');
    expect(event.data).toMatchObject({ role: 'commander', fromUserId: responder.userId, toUserId: other.userId, nextSteps: 'Watch lag < 1s' });
    expect(event.body).toContain('### Next steps');
    expect((await put('commander', null)).json().roles).toEqual([]);
  });

  it('keeps notes as Markdown text', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'Notes', severity: 'SEV4' })).json();
    const note = await post(`/api/v1/incidents/${inc.id}/notes`, { body: '**bold** <script>alert(1)</script>' });
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({ kind: 'note', body: '**bold** <script>alert(1)</script>' });
    expect((await post(`/api/v1/incidents/${inc.id}/notes`, { body: '' })).json().issues[0].field).toBe('body');
  });

  it('lists with filters, text search and stable cursor pages', async () => {
    const marker = `zebra-${dialect}`;
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      await post('/api/v1/incidents', { title: `${marker} ${i}`, severity: i % 2 ? 'SEV3' : 'SEV4', service: 'api' });
    }
    const all = (await get(`/api/v1/incidents?q=${marker.toUpperCase()}&limit=2`)).json();
    expect(all.items.map((x: { title: string }) => x.title)).toEqual([`${marker} 4`, `${marker} 3`]);
    const page2 = (await get(`/api/v1/incidents?q=${marker}&limit=2&cursor=${all.nextCursor}`)).json();
    expect(page2.items.map((x: { title: string }) => x.title)).toEqual([`${marker} 2`, `${marker} 1`]);
    const page3 = (await get(`/api/v1/incidents?q=${marker}&limit=2&cursor=${page2.nextCursor}`)).json();
    expect(page3.items).toHaveLength(1);
    expect(page3.nextCursor).toBeNull();
    expect((await get(`/api/v1/incidents?q=${marker}&severity=SEV3`)).json().items).toHaveLength(2);
    expect((await get(`/api/v1/incidents?q=${marker}&status=open&service=api`)).json().items).toHaveLength(5);
    expect((await get(`/api/v1/incidents?q=${marker}&status=resolved`)).json().items).toHaveLength(0);
    const from = new Date(t.clock.now() - 2500).toISOString();
    expect((await get(`/api/v1/incidents?q=${marker}&from=${from}`)).json().items).toHaveLength(3);
    expect((await get('/api/v1/incidents?q=%25')).statusCode).toBe(200);
    expect((await get(`/api/v1/incidents?status=bogus`)).json().issues[0].field).toBe('status.0');
    expect((await get(`/api/v1/incidents?cursor=abc`)).json().issues[0].field).toBe('cursor');
    expect((await get(`/api/v1/incidents?limit=ten`)).json().issues[0].field).toBe('query.limit');
  });

  it('lets two instances acknowledge at once: one wins, one gets 409', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'Race', severity: 'SEV2' })).json();
    const second = t.db.openAnother();
    const { buildApp } = await import('../../src/http/app.js');
    const { MetricsRegistry } = await import('../../src/observability/metrics.js');
    const { silentLogger } = await import('../../src/core/logger.js');
    const { app: app2 } = await buildApp({ store: second, clock: t.clock, log: silentLogger, metrics: new MetricsRegistry(), publicUrl: 'http://x', version: 't', webRoot: null });
    const results = await Promise.all([
      t.app.inject({ method: 'POST', url: `/api/v1/incidents/${inc.id}/acknowledge`, payload: {}, headers: bearer(responder.token) }),
      app2.inject({ method: 'POST', url: `/api/v1/incidents/${inc.id}/acknowledge`, payload: {}, headers: bearer(responder.token) }),
    ]);
    await app2.close();
    await second.close();
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const acks = (await get(`/api/v1/incidents/${inc.id}/timeline`)).json().items.filter((e: { data: { to?: string } }) => e.data.to === 'acknowledged');
    expect(acks).toHaveLength(1);
  });

  it('enforces roles: viewers read, cannot act', async () => {
    expect((await get('/api/v1/incidents', viewer.token)).statusCode).toBe(200);
    const res = await post('/api/v1/incidents', { title: 'x', severity: 'SEV1' }, viewer.token);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
  });

  it('answers 404 for unknown incidents and 400 for malformed references', async () => {
    expect((await get('/api/v1/incidents/999999')).statusCode).toBe(404);
    expect((await get('/api/v1/incidents/inc_nope')).statusCode).toBe(404);
    expect((await get('/api/v1/incidents/DROP%20TABLE')).json().issues[0].field).toBe('incident');
  });
});
