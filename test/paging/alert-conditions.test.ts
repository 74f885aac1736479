import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * A runbook's escalation matrix as a policy ("any coordinator down → page on-call", "quorum lost →
 * on-call and team lead"): level conditions are matched against the labels of the incident's
 * alerts, from the Alertmanager webhook through the incident to the pages.
 */
describe.each(DIALECTS)('escalation conditions see the alerts’ labels (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let key: string;
  let oncall: string;
  let lead: string;

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(admin) });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    oncall = (await t.userWithKey('responder')).userId;
    lead = (await t.userWithKey('responder')).userId;
    const policy = await t.app.inject({
      method: 'POST', url: '/api/v1/escalation-policies', headers: bearer(admin),
      payload: {
        name: 'Grey cluster',
        levels: [
          { delaySeconds: 0, targets: [{ type: 'user', id: oncall }], condition: { matchers: [{ name: 'component', op: '=', value: 'coordinator' }] } },
          { delaySeconds: 0, targets: [{ type: 'user', id: oncall }, { type: 'user', id: lead }], condition: { matchers: [{ name: 'alertname', op: '=', value: 'GreyQuorumLost' }] } },
        ],
        severities: ['SEV1'],
      },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const integration = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'am', format: 'alertmanager-webhook' } });
    key = integration.json().key;
  });
  afterAll(() => t?.close());

  /** Fires one critical alert (→ SEV1) and runs the first steps; returns the incident's paging timeline. */
  async function fire(alertname: string, labels: Record<string, string>) {
    const res = await t.app.inject({
      method: 'POST', url: `/ingest/alertmanager/${key}`, headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        version: '4', status: 'firing', receiver: 'firebreak', groupKey: `{}:{alertname="${alertname}"}`, truncatedAlerts: 0, groupLabels: { alertname }, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
        alerts: [{ status: 'firing', labels: { alertname, severity: 'critical', ...labels }, annotations: { summary: `${alertname} firing` }, startsAt: '2026-03-01T09:59:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: `fp-${alertname}-${JSON.stringify(labels)}` }],
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const alert = await t.store.db.selectFrom('alerts').select('incident_id').where('dedup_key', '=', `fp-${alertname}-${JSON.stringify(labels)}`).executeTakeFirstOrThrow();
    expect(alert.incident_id).not.toBeNull();
    await t.paging.worker.drain();
    const items = (await get(`/api/v1/incidents/${alert.incident_id}/timeline`)).json().items as { kind: string; body: string; data: Record<string, unknown> }[];
    return {
      paged: items.filter((e) => e.kind === 'paged').map((e) => ({ level: e.data.level, userIds: e.data.userIds })),
      skipped: items.filter((e) => e.kind === 'escalation_skipped').map((e) => e.body),
    };
  }

  it('any coordinator down → on-call only; the quorum level is skipped with the reason', async () => {
    const { paged, skipped } = await fire('GreyNodeDown', { component: 'coordinator', pod: 'grey-coord-0' });
    expect(paged).toEqual([{ level: 0, userIds: [oncall] }]);
    expect(skipped).toEqual(['level 2 of 2, round 1 of 1 skipped: no alert of the incident (1) matches alertname="GreyQuorumLost"']);
  });

  it('quorum lost → on-call and team lead; the coordinator level is skipped', async () => {
    const { paged, skipped } = await fire('GreyQuorumLost', { cluster: 'grey-prod' });
    expect(paged).toEqual([{ level: 1, userIds: [oncall, lead] }]);
    expect(skipped).toEqual(['level 1 of 2, round 1 of 1 skipped: no alert of the incident (1) matches component="coordinator"']);
  });

  it('an alert that joins the incident later counts when a later level falls due', async () => {
    const policy = await t.app.inject({
      method: 'POST', url: '/api/v1/escalation-policies', headers: bearer(admin),
      payload: {
        name: 'Grey lead after 5 minutes',
        levels: [
          { delaySeconds: 0, targets: [{ type: 'user', id: oncall }] },
          { delaySeconds: 300, targets: [{ type: 'user', id: lead }], condition: { matchers: [{ name: 'component', op: '=', value: 'coordinator' }] } },
        ],
      },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const rule = await t.app.inject({ method: 'POST', url: '/api/v1/routing-rules', headers: bearer(admin), payload: { name: 'grey-raft', matchers: 'alertname="GreyRaftLag"', escalationPolicy: policy.json().id } });
    expect(rule.statusCode, rule.body).toBe(201);
    const first = await fire('GreyRaftLag', { component: 'worker', pod: 'grey-worker-1' });
    expect(first.paged).toEqual([{ level: 0, userIds: [oncall] }]);
    // Same alertname: grouped into the same incident, before level 2 is due.
    const second = await fire('GreyRaftLag', { component: 'coordinator', pod: 'grey-coord-1' });
    expect(second.paged).toHaveLength(1);
    t.clock.advance(300_000);
    await t.paging.worker.drain();
    const incidentId = (await t.store.db.selectFrom('alerts').select('incident_id').where('dedup_key', '=', `fp-GreyRaftLag-${JSON.stringify({ component: 'worker', pod: 'grey-worker-1' })}`).executeTakeFirstOrThrow()).incident_id!;
    const items = (await get(`/api/v1/incidents/${incidentId}/timeline`)).json().items as { kind: string; data: Record<string, unknown> }[];
    expect(items.filter((e) => e.kind === 'paged').map((e) => e.data.userIds)).toEqual([[oncall], [lead]]);
  });

  it('a worker down matches neither level: nobody is paged, and the timeline says why', async () => {
    const { paged, skipped } = await fire('GreyWorkerDown', { component: 'worker', pod: 'grey-worker-3' });
    expect(paged).toEqual([]);
    expect(skipped).toHaveLength(2);
  });
});
