import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 15: the read half of Alertmanager's API v2 (`GET /api/v2/alerts`, `/api/v2/status`,
 * `/api/v2/receivers`), which `amtool alert query` (alertmanager-e2e.test.ts runs the real one)
 * and Grafana's Alertmanager data source call.
 */
describe.each(DIALECTS)('Alertmanager API v2 reads on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let key = '';
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(admin) });
  const notify = async (alerts: { name: string; instance: string; status?: 'firing' | 'resolved' }[]) => {
    const res = await t.app.inject({
      method: 'POST', url: `/ingest/alertmanager/${key}`, headers: { 'content-type': 'application/json' },
      payload: {
        receiver: 'firebreak', status: 'firing', version: '4', groupKey: '{}:{}', truncatedAlerts: 0, groupLabels: {}, commonLabels: {}, commonAnnotations: {},
        externalURL: 'http://am:9093',
        alerts: alerts.map((a) => ({
          status: a.status ?? 'firing', labels: { alertname: a.name, instance: a.instance, severity: 'warning' }, annotations: { summary: `${a.name} on ${a.instance}` },
          startsAt: '2026-03-01T09:55:00.000Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom:9090/graph',
        })),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'prom-eu', format: 'alertmanager-webhook' } });
    key = res.json().key as string;
    const now = t.clock.now();
    const silence = await t.app.inject({
      method: 'POST', url: '/api/v2/silences', headers: bearer(admin),
      payload: { matchers: [{ name: 'alertname', value: 'Quiet', isRegex: false, isEqual: true }], startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), createdBy: 'tester', comment: 'deploy' },
    });
    expect(silence.statusCode, silence.body).toBe(200);
    await notify([{ name: 'DiskFull', instance: 'db-1' }, { name: 'DiskFull', instance: 'db-2' }, { name: 'Quiet', instance: 'db-1' }, { name: 'Gone', instance: 'db-3' }]);
    await notify([{ name: 'Gone', instance: 'db-3', status: 'resolved' }]);
  });
  afterAll(async () => t?.close());

  it('lists open alerts in gettableAlert shape, resolved ones left out', async () => {
    const res = await get('/api/v2/alerts');
    expect(res.statusCode, res.body).toBe(200);
    const alerts = res.json() as { labels: Record<string, string>; status: { state: string; silencedBy: string[] }; receivers: { name: string }[]; startsAt: string; fingerprint: string }[];
    expect(alerts.map((a) => `${a.labels.alertname}/${a.labels.instance}`).sort()).toEqual(['DiskFull/db-1', 'DiskFull/db-2', 'Quiet/db-1']);
    const disk = alerts.find((a) => a.labels.instance === 'db-2')!;
    expect(disk).toMatchObject({ startsAt: '2026-03-01T09:55:00.000Z', receivers: [{ name: 'prom-eu' }], status: { state: 'active', silencedBy: [], inhibitedBy: [] }, generatorURL: 'http://prom:9090/graph' });
    expect(disk.fingerprint).not.toBe('');
    const quiet = alerts.find((a) => a.labels.alertname === 'Quiet')!;
    expect(quiet.status.state).toBe('suppressed');
    expect(quiet.status.silencedBy[0]).toMatch(/^sil_/);
  });

  it('filters by matchers, by state and by receiver, as Alertmanager does', async () => {
    const names = async (url: string) => ((await get(url)).json() as { labels: Record<string, string> }[]).map((a) => `${a.labels.alertname}/${a.labels.instance}`).sort();
    expect(await names(`/api/v2/alerts?filter=${encodeURIComponent('instance="db-1"')}`)).toEqual(['DiskFull/db-1', 'Quiet/db-1']);
    expect(await names(`/api/v2/alerts?filter=${encodeURIComponent('alertname=~"Disk.*"')}&filter=${encodeURIComponent('instance!="db-1"')}`)).toEqual(['DiskFull/db-2']);
    expect(await names('/api/v2/alerts?silenced=false')).toEqual(['DiskFull/db-1', 'DiskFull/db-2']);
    expect(await names('/api/v2/alerts?active=false')).toEqual(['Quiet/db-1']);
    expect(await names('/api/v2/alerts?receiver=prom-eu&silenced=false')).toEqual(['DiskFull/db-1', 'DiskFull/db-2']);
    expect(await names('/api/v2/alerts?receiver=nobody')).toEqual([]);
  });

  it('answers a bad filter or flag with a 400 naming the field', async () => {
    const flag = await get('/api/v2/alerts?active=maybe');
    expect(flag.statusCode).toBe(400);
    expect(flag.body).toContain('active');
    const filter = await get(`/api/v2/alerts?filter=${encodeURIComponent('alertname=~"(unclosed"')}`);
    expect(filter.statusCode).toBe(400);
    expect(filter.body).toContain('filter.0');
  });

  it('needs an API key', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v2/alerts' })).statusCode).toBe(401);
  });

  it('reports status and receivers', async () => {
    const status = await get('/api/v2/status');
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ cluster: { status: 'ready', peers: [] }, versionInfo: { version: expect.any(String) }, config: { original: '' } });
    expect(Number.isNaN(Date.parse(status.json().uptime))).toBe(false);
    expect((await get('/api/v2/receivers')).json()).toEqual([{ name: 'prom-eu' }]);
  });
});
