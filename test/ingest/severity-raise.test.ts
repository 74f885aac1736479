import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeIncidentSeverity } from '../../src/domain/incidents/change-incident-severity.js';
import type { IncidentChange } from '../../src/domain/incidents/hooks.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * An alert joining an open incident with a more severe mapped severity raises the incident
 * through the change-severity path (timeline, checklists, hooks); it never lowers it.
 */
describe.each(DIALECTS)('severity raise when a more severe alert joins, on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let key: string;
  const changes: IncidentChange[] = [];
  let service: IngestService;
  const post = (alerts: unknown[]) => t.app.inject({ method: 'POST', url: '/api/v2/alerts', headers: { ...bearer(key), 'content-type': 'application/json' }, payload: alerts });
  const incident = async () => t.store.db.selectFrom('incidents').selectAll().orderBy('number', 'desc').executeTakeFirstOrThrow();
  const severityEvents = async (id: string) => t.store.db.selectFrom('timeline_events').select(['body', 'data', 'actor_name']).where('incident_id', '=', id).where('kind', '=', 'severity_changed').orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    key = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', payload: { name: 'prom', format: 'alertmanager-api', settings: { grouping: 'labels', groupBy: ['alertname'] } }, headers: bearer(admin) })).json().key;
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/checklist-templates', payload: { slug: 'sev1', name: 'SEV1 start', severities: ['SEV1'], items: ['Open a bridge'] }, headers: bearer(admin) })).statusCode).toBe(201);
  });
  afterAll(() => t?.close());

  it('raises the incident to the joining alert\'s level, with a timeline entry and the hooks', async () => {
    await post([{ labels: { alertname: 'Checkout', instance: 'a', severity: 'warning' } }]);
    const opened = await incident();
    expect(opened.severity).toBe('SEV3');

    t.clock.advance(30_000);
    await post([{ labels: { alertname: 'Checkout', instance: 'b', severity: 'critical' } }]);
    const raised = await incident();
    expect(raised.id).toBe(opened.id);
    expect(raised.severity).toBe('SEV1');
    const events = await severityEvents(opened.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.body).toBe('Severity changed from **SEV3** to **SEV1**\n\nA more severe alert joined: Checkout');
    expect(JSON.parse(events[0]!.data)).toEqual({ source: 'alerts', from: 'SEV3', to: 'SEV1' });
    // The new level's checklist came with it, as for a human's change.
    const tasks = await t.store.db.selectFrom('tasks').select('title').where('incident_id', '=', opened.id).execute();
    expect(tasks.map((x) => x.title)).toContain('Open a bridge');
  });

  it('never lowers it: a less severe alert joining changes nothing', async () => {
    const before = await incident();
    await post([{ labels: { alertname: 'Checkout', instance: 'c', severity: 'info' } }]);
    const after = await incident();
    expect(after.severity).toBe('SEV1');
    // A joining alert writes nothing on the incident: the group was already named ("Checkout …",
    // issue 15) when its second alert joined; the severity, and everything else, stays.
    expect(after.title).toBe(before.title);
    expect(after.version).toBe(before.version);
    expect(await severityEvents(after.id)).toHaveLength(1);
  });

  it('raises again after a human lowered it, and runs the incident hooks (paging re-evaluates)', async () => {
    const current = await incident();
    await changeIncidentSeverity({ ctx: t.ctx({ type: 'system', name: 'test' }), input: { incident: current.id, severity: 'SEV4', reason: 'not that bad' } });
    service = new IngestService({ store: t.store, clock: t.clock, log: t.ctx().log, incidentHooks: [async (_ctx, _tx, change) => { changes.push(change); }] });
    const integration = (await t.app.inject({ method: 'GET', url: '/api/v1/integrations/prom', headers: bearer(admin) })).json();
    await service.submit({
      integration: { id: integration.id, format: 'alertmanager-api', serviceId: null, settings: integration.settings, repeatsAreNoops: true },
      result: {
        signals: [{ dedupKey: 'err-d', lookup: 'dedup-key', action: 'trigger', summary: 'Checkout errors', description: null, severity: 'error', source: null, labels: { alertname: 'Checkout', instance: 'd' }, annotations: {}, tags: [], startedAt: null, endedAt: null, generatorUrl: null, runbookUrl: null, groupKey: null, details: null }],
        updates: [], changes: [], truncated: 0, rejected: [],
      },
      rawBody: '',
    });
    await service.close();
    expect((await incident()).severity).toBe('SEV2');
    expect(changes).toEqual([expect.objectContaining({ type: 'severity_changed', from: 'SEV4', to: 'SEV2' })]);
  });
});
