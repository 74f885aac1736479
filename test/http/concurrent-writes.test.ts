import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import type { Ctx } from '../../src/domain/context.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { ingestRegistry } from '../../src/ingest/registry.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Identical writes at the same moment answer what they answer one after another (SQLite runs
 * them so): a PUT that sets the same thing is 200 every time, a create of the same name is one
 * 201 and 409s. On PostgreSQL they used to race to a unique index and answer 500.
 */
const N = 8;

describe.each(DIALECTS)('concurrent identical writes (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let userId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    userId = (await t.userWithKey('responder')).userId;
  });
  afterAll(() => t?.close());

  const at = (method: 'PUT' | 'POST', url: string, payload: object) => Array.from({ length: N }, () => t.app.inject({ method, url, headers: bearer(admin), payload }));
  const statuses = async (requests: Promise<{ statusCode: number; body: string }>[]) => (await Promise.all(requests)).map((r) => (r.statusCode >= 500 ? `${r.statusCode} ${r.body}` : r.statusCode));

  it('assigns the same incident role eight times at once: 200 each, one holder', async () => {
    const incident = (await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: bearer(admin), payload: { title: 'roles', severity: 'SEV4' } })).json();
    for (const role of ['scribe', 'commander']) {
      expect(await statuses(at('PUT', `/api/v1/incidents/${incident.number}/roles/${role}`, { user: userId }))).toEqual(Array(N).fill(200));
    }
    const roles = await t.store.db.selectFrom('incident_roles').select(['role', 'user_id']).where('incident_id', '=', incident.id).orderBy('role').execute();
    expect(roles).toEqual([{ role: 'commander', user_id: userId }, { role: 'scribe', user_id: userId }]);
  });

  it('adds the same team member eight times at once: 200 each, one member, one audit entry', async () => {
    const team = (await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: bearer(admin), payload: { slug: 'racers', name: 'Racers' } })).json();
    expect(team.id).toBeTruthy();
    expect(await statuses(at('PUT', `/api/v1/teams/${team.id}/members/${userId}`, { role: 'responder' }))).toEqual(Array(N).fill(200));
    const members = await t.store.db.selectFrom('team_members').select('user_id').where('team_id', '=', team.id).execute();
    expect(members).toEqual([{ user_id: userId }]);
    const audits = await t.store.db.selectFrom('audit_log').select('seq').where('action', '=', 'team.member_set').where('target', '=', team.id).execute();
    expect(audits).toHaveLength(1);
  });

  it('creates the same runner eight times at once: one 201, the rest 409', async () => {
    const answers = await statuses(at('POST', '/api/v1/runners', { name: 'racer', allow: ['echo'] }));
    expect(answers.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((s) => s === 409)).toHaveLength(N - 1);
  });

  it('creates the same team eight times at once: one 201, the rest 409', async () => {
    const answers = await statuses(at('POST', '/api/v1/teams', { slug: 'same', name: 'Same' }));
    expect(answers.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((s) => s === 409)).toHaveLength(N - 1);
  });

  it('two instances opening the same alert key at once all commit, into one alert', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'pd-race', format: 'pagerduty-events-v2' } })).json();
    const stores = [t.store, t.db.openAnother()];
    const services = stores.map((store) => new IngestService({ store, clock: t.clock, log: silentLogger, incidentHooks: t.ctx().incidentHooks as Ctx['incidentHooks'] }));
    try {
      const one = services[0]!;
      const integration = (await one.integrationByKey(created.key))!;
      // One request per instance per round, both opening the same new alert: a batch of one has
      // no neighbours to be split from, so a lost race used to reach the sender as a 500.
      const submit = (service: IngestService, key: string) => {
        const body = { routing_key: created.key, event_action: 'trigger', dedup_key: key, payload: { summary: key, source: 'race', severity: 'critical' } };
        return service.submit({ integration, result: ingestRegistry['pagerduty-events-v2'].parse(body, { now: t.clock.now(), endpoint: 'enqueue' }), rawBody: JSON.stringify(body) });
      };
      const failures: string[] = [];
      for (let round = 0; round < 30; round += 1) {
        const outcomes = await Promise.allSettled(services.map((service) => submit(service, `race-${round}`)));
        for (const o of outcomes) if (o.status === 'rejected') failures.push(String(o.reason));
      }
      expect(failures).toEqual([]);
      const alerts = await t.store.db.selectFrom('alerts').select(['dedup_key', 'count']).where('integration_id', '=', created.id).execute();
      expect(alerts).toHaveLength(30);
      expect(alerts.every((a) => a.count === 2)).toBe(true);
    } finally {
      await Promise.all(services.map((s) => s.close()));
    }
  });
});
