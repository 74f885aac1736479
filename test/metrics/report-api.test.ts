import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from '../paging/receivers.js';

/**
 * Issue 13, honest metrics, end to end: incidents seeded through the API at known clock times,
 * then the report and the incident's targets asserted to the second.
 */
const T = Date.parse('2026-03-02T10:00:00Z'); // a Monday, 05:00 in New York
const MIN = 60_000;

describe.each(DIALECTS)('GET /api/v1/reports/incidents on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: string;
  let alice: { token: string; userId: string };
  const numbers: Record<string, number> = {};
  const post = (url: string, body: unknown, token: string) =>
    t.app.inject({ method: 'POST', url, payload: body as object, headers: { 'content-type': 'application/json', ...bearer(token) } });
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(admin) });
  const at = async (ms: number) => { t.clock.set(ms); };
  const declare = async (name: string, body: Record<string, unknown>) => {
    const res = await post('/api/v1/incidents', { title: name, service: 'api', ...body }, alice.token);
    expect(res.statusCode, res.body).toBe(201);
    numbers[name] = res.json().number as number;
    await t.paging.worker.drain();
  };
  const move = async (name: string, verb: 'acknowledge' | 'resolve') => {
    const res = await post(`/api/v1/incidents/${numbers[name]}/${verb}`, {}, alice.token);
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, { start: '2026-03-02T09:00:00Z', paging: { config: { outboundAllow: '127.0.0.1/32' } } });
    admin = (await t.userWithKey('admin')).token;
    alice = await t.userWithKey('responder');
    await t.store.db.updateTable('users').set({ time_zone: 'America/New_York' }).where('id', '=', alice.userId).execute();
    expect((await post('/api/v1/teams', { slug: 'core', name: 'Core' }, admin)).statusCode).toBe(201);
    expect((await post('/api/v1/services', { slug: 'api', name: 'API', team: 'core' }, admin)).statusCode).toBe(201);
    expect((await post('/api/v1/contact-methods', { kind: 'webhook', address: `${receiver.url}/alice` }, alice.token)).statusCode).toBe(201);
    const policy = await post('/api/v1/escalation-policies', { name: 'Alice', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: alice.userId }] }], severities: ['SEV1', 'SEV2', 'SEV3', 'SEV4'] }, admin);
    expect(policy.statusCode, policy.body).toBe(201);

    // 1. SEV1 detected 2 min before it was declared; acknowledged 5 min after detection; resolved at +62 min.
    await at(T);
    await declare('one', { severity: 'SEV1', detectedAt: new Date(T - 2 * MIN).toISOString() });
    await at(T + 3 * MIN);
    await move('one', 'acknowledge');
    await at(T + 60 * MIN);
    await move('one', 'resolve');
    // 2. SEV2 resolved after 10 min by nobody acknowledging it.
    await at(T + 120 * MIN);
    await declare('two', { severity: 'SEV2' });
    await at(T + 130 * MIN);
    await move('two', 'resolve');
    // 3. A drill, acknowledged after 1 min.
    await at(T + 180 * MIN);
    await declare('drill', { severity: 'SEV2', isDrill: true });
    await at(T + 181 * MIN);
    await move('drill', 'acknowledge');
    // 4. SEV2 still open and never acknowledged.
    await at(T + 240 * MIN);
    await declare('four', { severity: 'SEV2' });
    await at(T + 300 * MIN);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('reports exact figures with definitions, drills apart, targets counted', async () => {
    const res = await get('/api/v1/reports/incidents?from=2026-03-01&to=2026-03-15&bucket=week');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.range).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z', bucket: 'week' });
    expect(r.overall).toMatchObject({ count: 3, open: 1, unacknowledged: 1 });
    expect(r.overall.figures.ttd).toMatchObject({ count: 3, median: 0, max: 120 });
    expect(r.overall.figures.tta).toMatchObject({ count: 1, median: 300, p90: 300, max: 300, mean: 300, smallSample: true });
    expect(r.overall.figures.ttr).toMatchObject({ count: 2, median: (3720 + 600) / 2, max: 3720 });
    expect(r.overall.figures.tta.definition).toMatch(/^Time to acknowledge: detected/);
    expect(r.overall.targets.ack).toEqual({ met: 1, missed: 1, pending: 0, notApplicable: 1 });
    expect(r.overall.targets.resolve).toEqual({ met: 2, missed: 0, pending: 1, notApplicable: 0 });
    expect(r.bySeverity.map((g: { key: string; count: number }) => [g.key, g.count])).toEqual([['SEV2', 2], ['SEV1', 1]]);
    expect(r.byTeam.map((g: { key: string }) => g.key)).toEqual(['core']);
    expect(r.trend.map((b: { start: string; count: number }) => [b.start, b.count])).toEqual([
      ['2026-02-23T00:00:00.000Z', 0], ['2026-03-02T00:00:00.000Z', 3], ['2026-03-09T00:00:00.000Z', 0],
    ]);
    expect(r.mtbf).toEqual([expect.objectContaining({ service: 'api', incidents: 3, figures: expect.objectContaining({ count: 2, median: (122 * 60 + 120 * 60) / 2 }) })]);
    expect(r.drills).toMatchObject({ count: 1, figures: { tta: { count: 1, median: 60 } } });
    expect(r.definitions.mtbf).toMatch(/start to start/);
    const load = r.onCall.people.find((p: { userId: string }) => p.userId === alice.userId);
    // Paged at 10:00, 12:00 and 14:00 UTC on a Monday: 05:00, 07:00, 09:00 in New York. A drill
    // without participants pages nobody.
    // Alice acknowledged #one at +3 min and it was resolved at +60: 57 min acknowledged (the drill's acknowledgement is left out).
    expect(load).toEqual({ userId: alice.userId, name: expect.any(String), timeZone: 'America/New_York', pages: 3, outOfHours: 2, night: 1, drillPages: 0, incidents: 3, acknowledgements: 1, acknowledgedSeconds: 57 * 60 });
  });

  it('filters by severity and service; an empty range is an empty report', async () => {
    const sev1 = (await get('/api/v1/reports/incidents?from=2026-03-01&to=2026-03-15&severity=SEV1')).json();
    expect(sev1.overall.count).toBe(1);
    const empty = await get('/api/v1/reports/incidents?from=2025-01-01&to=2025-03-01&bucket=month&service=api');
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json().overall).toMatchObject({ count: 0, figures: { ttr: { count: 0, median: null } } });
    expect(empty.json().trend).toHaveLength(2);
  });

  it.each([
    ['from after to', 'from=2026-03-10&to=2026-03-01', 'from'],
    ['unparseable from', 'from=yesterday', 'from'],
    ['unparseable to', 'to=2026-13-45', 'to'],
    ['bad bucket', 'bucket=day', 'bucket'],
    ['unknown service', 'service=nope', 'service'],
  ])('%s is a 400 naming the field', async (_name, query, field) => {
    const res = await get(`/api/v1/reports/incidents?${query}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(JSON.stringify(res.json())).toContain(`"field":"${field}"`);
  });

  it('/metrics carries incident counts by severity and status, open incidents and a time-to-ack histogram, drills left out', async () => {
    const body = (await t.app.inject({ url: '/metrics' })).body;
    for (const line of [
      'firebreak_incidents{severity="SEV1",status="resolved"} 1',
      'firebreak_incidents{severity="SEV2",status="resolved"} 1',
      'firebreak_incidents{severity="SEV2",status="triggered"} 1',
      'firebreak_incidents_open{severity="SEV1"} 0',
      'firebreak_incidents_open{severity="SEV2"} 1',
      'firebreak_incident_time_to_ack_seconds_bucket{severity="SEV1",le="60"} 0',
      'firebreak_incident_time_to_ack_seconds_bucket{severity="SEV1",le="300"} 1',
      'firebreak_incident_time_to_ack_seconds_bucket{severity="SEV1",le="+Inf"} 1',
      'firebreak_incident_time_to_ack_seconds_sum{severity="SEV1"} 300',
      'firebreak_incident_time_to_ack_seconds_count{severity="SEV1"} 1',
    ]) expect(body).toContain(line);
    expect(body).not.toContain('firebreak_incident_time_to_ack_seconds_count{severity="SEV2"}');
  });

  it("the incident answer carries its targets", async () => {
    const one = (await get(`/api/v1/incidents/${numbers.one}`)).json();
    expect(one.targets).toEqual({
      ack: { targetSeconds: 300, actualSeconds: 300, met: true, outcome: 'met' },
      resolve: { targetSeconds: 14_400, actualSeconds: 3720, met: true, outcome: 'met' },
    });
    const four = (await get(`/api/v1/incidents/${numbers.four}`)).json();
    expect(four.targets.ack).toEqual({ targetSeconds: 900, actualSeconds: null, met: false, outcome: 'missed' });
    expect(four.targets.resolve).toMatchObject({ outcome: 'pending', met: null });
  });
});
