import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from '../paging/receivers.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe.each(DIALECTS)('post-mortems on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: { token: string; userId: string };
  let alice: { token: string; userId: string; email: string };
  let bob: { token: string; userId: string; email: string };

  const req = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, token = admin.token) =>
    t.app.inject({ method, url, headers: bearer(token), ...(body === undefined ? {} : { payload: body as object }) });
  const timeline = async (n: number) => (await req('GET', `/api/v1/incidents/${n}/timeline`)).json().items as { id: string; kind: string; body: string }[];
  /** Post-mortem reminders to Alice about one incident (earlier tests leave other post-mortems due). */
  const reminders = (number: number) => receiver.received.filter((r) => r.path === '/alice' && JSON.parse(r.body).type === 'incident.postmortem_due' && JSON.parse(r.body).data.incident.number === number);

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32' }, workerOptions: { sendTimeoutMs: 2_000, random: () => 0.5 } } });
    admin = await t.userWithKey('admin');
    alice = await t.userWithKey('responder');
    bob = await t.userWithKey('responder');
    expect((await req('POST', '/api/v1/contact-methods', { user: alice.userId, kind: 'webhook', address: `${receiver.url}/alice` })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  async function resolvedIncident(title: string, severity = 'SEV1'): Promise<{ id: string; number: number }> {
    const inc = (await req('POST', '/api/v1/incidents', { title, severity, summary: 'Card payments fail for 30% of users' })).json();
    expect((await req('POST', `/api/v1/incidents/${inc.number}/status`, { status: 'acknowledged' }, alice.token)).statusCode).toBe(200);
    t.clock.advance(10 * MIN);
    expect((await req('POST', `/api/v1/incidents/${inc.number}/notes`, { body: 'Rolled back release 1.4.2' }, alice.token)).statusCode).toBe(201);
    t.clock.advance(5 * MIN);
    expect((await req('POST', `/api/v1/incidents/${inc.number}/status`, { status: 'resolved' }, alice.token)).statusCode).toBe(200);
    return inc;
  }

  it('refuses bad input with a 4xx naming the field', async () => {
    expect((await req('POST', '/api/v1/incidents/9999/postmortem', {})).statusCode).toBe(404);
    const inc = await resolvedIncident('Bad input');
    const past = await req('POST', `/api/v1/incidents/${inc.number}/postmortem`, { dueAt: new Date(t.clock.now() - MIN).toISOString() });
    expect(past.statusCode).toBe(400);
    expect(past.json().issues[0].field).toBe('dueAt');
    const template = await req('POST', `/api/v1/incidents/${inc.number}/postmortem`, { template: 'nope' });
    expect(template.statusCode).toBe(400);
    expect(template.json().issues[0].field).toBe('template');
    const related = await req('POST', `/api/v1/incidents/${inc.number}/postmortem`, { related: ['8888'] });
    expect(related.json().issues[0].field).toBe('related.0');
    const owner = await req('POST', `/api/v1/incidents/${inc.number}/postmortem`, { owner: 'nobody@example.test' });
    expect(owner.json().issues[0].field).toBe('owner');
    const unknownVar = await req('PUT', '/api/v1/postmortem-templates/lightweight', { name: 'Lightweight', body: '# {{ title }}\n\n{{ incident.rootCause }}' });
    expect(unknownVar.statusCode).toBe(400);
    expect(unknownVar.json().issues[0]).toEqual({ field: 'body', message: 'template error at line 3, column 4: undefined variable: incident.rootCause' });
    expect((await req('PUT', '/api/v1/postmortem-templates/blameless', { name: 'x', body: 'x' })).statusCode).toBe(409);
    expect((await req('PUT', '/api/v1/postmortem-templates/lightweight', { name: 'Lightweight', body: '# {{ title }}' }, alice.token)).statusCode).toBe(403);
  });

  it('drafts from the record with the starred moments, exports Markdown, and runs draft → in review → published', async () => {
    const inc = await resolvedIncident('Checkout errors');
    const events = await timeline(inc.number);
    const note = events.find((e) => e.kind === 'note')!;
    const declared = events.find((e) => e.kind === 'declared')!;
    expect((await req('PUT', `/api/v1/incidents/${inc.number}/timeline/${note.id}/star`, { tag: 'mitigation' }, alice.token)).statusCode).toBe(200);
    expect((await req('PUT', `/api/v1/incidents/${inc.number}/timeline/${declared.id}/star`, { tag: 'detection' }, alice.token)).statusCode).toBe(200);
    expect((await req('PUT', `/api/v1/incidents/${inc.number}/timeline/${declared.id}/star`, { tag: 'bogus' }, alice.token)).json().issues[0].field).toBe('tag');
    expect((await req('PUT', `/api/v1/incidents/${inc.number}/timeline/evt_00000000000000000000000000/star`, {}, alice.token)).statusCode).toBe(404);
    const stars = (await req('GET', `/api/v1/incidents/${inc.number}/stars`)).json().items;
    expect(stars.map((s: { tag: string }) => s.tag).sort()).toEqual(['detection', 'mitigation']);

    const res = await req('POST', `/api/v1/incidents/${inc.number}/postmortem`, { reviewers: [bob.email] }, alice.token);
    expect(res.statusCode, res.body).toBe(201);
    const pm = res.json();
    expect(pm).toMatchObject({ status: 'draft', template: 'blameless', owner: { id: alice.userId }, reviewers: [{ id: bob.userId }] });
    expect(pm.body).toContain('## Contributing factors');
    expect(pm.body).toMatch(/\| detection \| .* \|/);
    expect(pm.body).toContain('| mitigation | Rolled back release 1.4.2 |');
    expect(pm.body).toContain(`[Full timeline of #${inc.number}](/incidents/${inc.number}#timeline)`);
    // SEV1 default: due 5 days after the resolution, with its durable reminder.
    const resolvedAt = Date.parse((await req('GET', `/api/v1/incidents/${inc.number}`)).json().resolvedAt);
    expect(Date.parse(pm.dueAt)).toBe(resolvedAt + 5 * DAY);
    expect(await t.store.db.selectFrom('timers').select('run_at').where('key', '=', `postmortem_due:${pm.id}`).executeTakeFirst()).toEqual({ run_at: resolvedAt + 5 * DAY });
    expect((await req('POST', `/api/v1/incidents/${inc.number}/postmortem`, {})).statusCode).toBe(409);

    // Edits are conditional on the version read.
    const edited = await req('PATCH', `/api/v1/postmortems/${pm.id}`, { version: pm.version, body: `${pm.body}\n\nEdited.`, publicBody: 'We rolled back a faulty release.' }, alice.token);
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await req('PATCH', `/api/v1/postmortems/${pm.id}`, { version: pm.version, body: 'stale' }, bob.token)).statusCode).toBe(409);
    expect((await req('PATCH', `/api/v1/postmortems/${pm.id}`, { dueAt: new Date(t.clock.now() - 1).toISOString() })).json().issues[0].field).toBe('dueAt');

    const md = await req('GET', `/api/v1/incidents/${inc.number}/postmortem.md`);
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body).toContain('Edited.');
    expect(md.body).toContain(`incidents #${inc.number}`);

    expect((await req('POST', `/api/v1/postmortems/${pm.id}/publish`, undefined, bob.token)).statusCode).toBe(409);
    expect((await req('POST', `/api/v1/postmortems/${pm.id}/submit`, undefined, alice.token)).json().status).toBe('in_review');
    const published = (await req('POST', `/api/v1/postmortems/${pm.id}/publish`, undefined, bob.token)).json();
    expect(published.status).toBe('published');
    expect(published.publishedAt).toBe(new Date(t.clock.now()).toISOString());
    expect(await t.store.db.selectFrom('timers').select('id').where('key', '=', `postmortem_due:${pm.id}`).executeTakeFirst()).toBeUndefined();
    expect((await req('PATCH', `/api/v1/postmortems/${pm.id}`, { body: 'after' })).statusCode).toBe(409);
    const list = (await req('GET', '/api/v1/postmortems?status=published')).json().items;
    expect(list.map((p: { id: string }) => p.id)).toContain(pm.id);
    expect((await timeline(inc.number)).filter((e) => e.kind.startsWith('postmortem_')).map((e) => e.body)).toEqual(['Post-mortem started (Blameless (default))', 'Post-mortem submitted for review', 'Post-mortem published']);
  });

  it('gates closing a SEV1 until its post-mortem is published; SEV3 closes freely; re-opening clears it', async () => {
    const inc = await resolvedIncident('Gate');
    const noPm = await req('POST', `/api/v1/incidents/${inc.number}/close`, undefined, alice.token);
    expect(noPm.statusCode).toBe(409);
    expect(noPm.json().message).toContain('requires a published post-mortem');
    const pm = (await req('POST', `/api/v1/incidents/${inc.number}/postmortem`, {}, alice.token)).json();
    expect((await req('POST', `/api/v1/incidents/${inc.number}/close`, undefined, alice.token)).json().message).toContain('is draft');
    await req('POST', `/api/v1/postmortems/${pm.id}/submit`);
    await req('POST', `/api/v1/postmortems/${pm.id}/publish`);
    const closed = await req('POST', `/api/v1/incidents/${inc.number}/close`, undefined, alice.token);
    expect(closed.statusCode, closed.body).toBe(200);
    expect((await t.store.db.selectFrom('incidents').select('closed_at').where('id', '=', inc.id).executeTakeFirstOrThrow()).closed_at).not.toBeNull();
    expect((await req('POST', `/api/v1/incidents/${inc.number}/status`, { status: 'investigating' }, alice.token)).statusCode).toBe(200);
    expect((await t.store.db.selectFrom('incidents').select('closed_at').where('id', '=', inc.id).executeTakeFirstOrThrow()).closed_at).toBeNull();
    expect((await req('POST', `/api/v1/incidents/${inc.number}/close`, undefined, alice.token)).statusCode).toBe(409);

    const minor = await resolvedIncident('Minor', 'SEV3');
    expect((await req('POST', `/api/v1/incidents/${minor.number}/close`, undefined, alice.token)).statusCode).toBe(200);
    // Publishing waits for every covered incident to resolve; creating before resolution is allowed.
    const open = (await req('POST', '/api/v1/incidents', { title: 'Still open', severity: 'SEV2' })).json();
    const early = (await req('POST', `/api/v1/incidents/${open.number}/postmortem`, {}, alice.token)).json();
    expect(early.dueAt).toBeNull();
    expect(early.body).toContain('ongoing');
    await req('POST', `/api/v1/postmortems/${early.id}/submit`);
    expect((await req('POST', `/api/v1/postmortems/${early.id}/publish`)).json().message).toContain('not resolved');
    // Resolving gives it the severity's due date.
    await req('POST', `/api/v1/incidents/${open.number}/status`, { status: 'resolved' });
    expect(Date.parse((await req('GET', `/api/v1/postmortems/${early.id}`)).json().dueAt)).toBe(t.clock.now() + 5 * DAY);
  });

  it('reminds the owner on their contact methods in the reminder lane when the post-mortem is due', async () => {
    const inc = await resolvedIncident('Due date');
    const dueAt = t.clock.now() + 2 * DAY;
    const pm = (await req('POST', `/api/v1/incidents/${inc.number}/postmortem`, { owner: alice.email, dueAt: new Date(dueAt).toISOString() })).json();
        t.clock.advance(2 * DAY - MIN);
    await t.paging.worker.drain();
    expect(reminders(inc.number)).toHaveLength(0);
    t.clock.advance(MIN);
    await t.paging.worker.drain();
    await t.paging.worker.drain();
    expect(reminders(inc.number)).toHaveLength(1);
    expect(JSON.parse(reminders(inc.number)[0]!.body).data.incident.title).toBe('Due date');
    const rows = await t.store.db.selectFrom('deliveries').selectAll().where('incident_id', '=', inc.id).where('purpose', '=', 'postmortem_reminder').execute();
    expect(rows.map((r) => Number(r.priority))).toEqual([1]);
    expect((await timeline(inc.number)).filter((e) => e.kind === 'postmortem_due')).toHaveLength(1);
    // Once more a day later; publishing (or a new due date) stops it.
    t.clock.advance(DAY);
    await t.paging.worker.drain();
    await t.paging.worker.drain();
    expect(reminders(inc.number)).toHaveLength(2);
    t.clock.advance(3 * DAY);
    await t.paging.worker.drain();
    expect(reminders(inc.number)).toHaveLength(2);
    expect(await t.store.db.selectFrom('timers').select('id').where('key', '=', `postmortem_due:${pm.id}`).executeTakeFirst()).toBeUndefined();
  });

  it('attaches the public text to the status page incident once published (postmortem_body)', async () => {
    const inc = (await req('POST', '/api/v1/incidents', { title: 'Public', severity: 'SEV2' })).json();
    expect((await req('POST', '/api/v1/status-pages', { slug: 'acme', name: 'Acme' })).statusCode).toBe(201);
    expect((await req('POST', '/api/v1/status-pages/acme/incidents', { incident: String(inc.number), name: 'Payments failing', body: 'Looking into it.' })).statusCode).toBe(201);
    await req('POST', `/api/v1/incidents/${inc.number}/status`, { status: 'resolved' });
    const pm = (await req('POST', `/api/v1/incidents/${inc.number}/postmortem`, {}, alice.token)).json();
    await req('PATCH', `/api/v1/postmortems/${pm.id}`, { publicBody: '## What happened\n\n| When | What |\n| --- | --- |\n| 10:00 | a bad deploy |\n\n<script>alert(1)</script>' });
    await req('POST', `/api/v1/postmortems/${pm.id}/submit`);
    await req('POST', `/api/v1/postmortems/${pm.id}/publish`);
    const json = (await t.app.inject({ method: 'GET', url: '/status/acme/api/v2/incidents.json' })).json();
    const pub = json.incidents.find((i: { name: string }) => i.name === 'Payments failing');
    expect(pub.postmortem_body).toContain('| 10:00 | a bad deploy |');
    expect(pub.postmortem_published_at).toBe(new Date(t.clock.now()).toISOString());
    const html = (await t.app.inject({ method: 'GET', url: '/status/acme' })).body;
    expect(html).toContain('<td>a bad deploy</td>');
    expect(html).not.toContain('<script>alert(1)');
  });
});
