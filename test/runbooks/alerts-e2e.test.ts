import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * The real path: an Alertmanager webhook opens an incident, and the incident opens with the
 * runbook its alert names — by label matchers, or by the `runbook_url` annotation Prometheus
 * rules carry — with placeholders filled from the alert's labels.
 */
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/runbooks');

describe.each(DIALECTS)('alerts open incidents with their runbooks (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let key: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    for (const name of ['tidewater-broker.md', 'ledgerline-service.md']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/runbooks/import', headers: bearer(admin), payload: { markdown: readFileSync(path.join(fixtures, name), 'utf8'), sourceName: name } });
      expect(res.statusCode).toBe(200);
    }
    const integration = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'am', format: 'alertmanager-webhook' } });
    expect(integration.statusCode, integration.body).toBe(201);
    key = integration.json().key;
  });
  afterAll(() => t?.close());

  async function fire(alertname: string, labels: Record<string, string>, annotations: Record<string, string>) {
    const res = await t.app.inject({
      method: 'POST', url: `/ingest/alertmanager/${key}`, headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        version: '4', status: 'firing', receiver: 'firebreak', groupKey: `{}:{alertname="${alertname}"}`, truncatedAlerts: 0, groupLabels: { alertname }, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
        alerts: [{ status: 'firing', labels: { alertname, severity: 'critical', ...labels }, annotations: { summary: `${alertname} firing`, ...annotations }, startsAt: '2026-03-01T09:59:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: `fp-${alertname}` }],
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const incident = await t.store.db.selectFrom('incidents').select(['id', 'number']).orderBy('number', 'desc').executeTakeFirstOrThrow();
    const runs = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${incident.id}/runbook-runs`, headers: bearer(admin) })).json().items;
    return runs as { runbook: { slug: string }; reason: string; phases: { steps: { command: string | null }[] }[] }[];
  }

  it('by alert label matchers, with the pod label filled into commands', async () => {
    const runs = await fire('TidewaterBrokerDown', { broker: 'tidewater-2', broker_pod: 'tidewater-2-0' }, {});
    expect(runs.map((r) => [r.runbook.slug, r.reason])).toEqual([['broker-loss', 'labels: alertname=TidewaterBrokerDown']]);
    const commands = runs[0]!.phases.flatMap((p) => p.steps).map((s) => s.command);
    expect(commands).toContain('kubectl describe pod tidewater-2 -n tidewater');
    expect(commands).toContain('kubectl delete pod tidewater-2-0 -n tidewater');
  });

  it('by the runbook_url annotation', async () => {
    const runs = await fire('LedgerErrorBudgetBurn', {}, { runbook_url: 'https://wiki.example.com/runbooks/ledgerline#postings-rejected' });
    expect(runs.map((r) => r.runbook.slug)).toEqual(['postings-rejected']);
  });
});
