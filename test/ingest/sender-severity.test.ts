import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * The config snippets the Integrations page shows for Alertmanager's three receivers
 * (webhook_configs, pagerduty_configs, opsgenie_configs), pasted as they are into a real
 * Alertmanager (Debian's): the same `severity` label must become the same Firebreak severity
 * whichever receiver carries it, through the real ingest endpoints and severity mapping.
 */
const AM_BIN = '/usr/bin/prometheus-alertmanager';
const RECEIVERS = [['webhook', 'alertmanager-webhook'], ['pd', 'pagerduty-events-v2'], ['og', 'opsgenie']] as const;
type Via = (typeof RECEIVERS)[number][0];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each(DIALECTS)('sender snippets map severity alike through a real Alertmanager on %s', (dialect) => {
  let t: TestApp;
  let am: ChildProcess | undefined;
  let amUrl = '';
  let dir = '';
  let tick: NodeJS.Timeout;
  const ids = {} as Record<Via, string>;
  const snippets = {} as Record<Via, string>;

  beforeAll(async () => {
    if (!existsSync(AM_BIN)) throw new Error(`${AM_BIN} is missing: apt-get install prometheus-alertmanager`);
    t = await createTestApp(dialect, { start: new Date().toISOString() });
    tick = setInterval(() => t.clock.set(Date.now()), 50);
    const admin = (await t.userWithKey('admin')).token;
    const fbPort = await freePort();
    await t.app.listen({ host: '127.0.0.1', port: fbPort });
    const fbUrl = `http://127.0.0.1:${fbPort}`;

    // Each receiver exactly as the Integrations page shows it (key included), pointed at this server.
    const receivers: Record<string, unknown>[] = [];
    for (const [via, format] of RECEIVERS) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: via, format } });
      expect(res.statusCode).toBe(201);
      const { id, sender } = res.json() as { id: string; sender: { url: string; snippet: string } };
      ids[via] = id;
      snippets[via] = sender.snippet;
      const pasted = parse(sender.snippet.replaceAll(new URL(sender.url).origin, fbUrl)) as { receivers: Record<string, unknown>[] };
      receivers.push({ ...pasted.receivers[0], name: `fb-${via}` });
    }

    dir = mkdtempSync(join(tmpdir(), 'firebreak-am-sev-'));
    const amPort = await freePort();
    amUrl = `http://127.0.0.1:${amPort}`;
    const config = {
      route: {
        receiver: 'fb-webhook', group_by: ['alertname', 'via'], group_wait: '0s', group_interval: '1s', repeat_interval: '1h',
        routes: [{ matchers: ['via="pd"'], receiver: 'fb-pd' }, { matchers: ['via="og"'], receiver: 'fb-og' }],
      },
      receivers,
    };
    writeFileSync(join(dir, 'alertmanager.yml'), stringify(config));
    am = spawn(AM_BIN, [
      `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=', '--log.level=warn',
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitFor('alertmanager ready', async () => (await fetch(`${amUrl}/-/ready`)).ok);
  }, 60_000);

  afterAll(async () => {
    clearInterval(tick);
    am?.kill('SIGTERM');
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the pagerduty and opsgenie snippets set the severity/priority template', () => {
    expect(snippets.pd).toContain('severity: \'{{ if eq .CommonLabels.severity "critical" "warning" "info" }}');
    expect(snippets.og).toContain('priority: \'{{ if eq .CommonLabels.severity "critical" }}P1');
  });

  // Expected: the default ladder, by the built-in map (docs/alerts.md).
  it.each([
    ['critical', 'SEV1'],
    ['error', 'SEV2'],
    ['warning', 'SEV3'],
    ['info', 'SEV4'],
    [null, 'SEV2'],
  ] as const)('severity=%s becomes %s through every receiver', async (label, expected) => {
    const alertname = `Sev_${label ?? 'none'}`;
    const now = Date.now();
    const alerts = RECEIVERS.map(([via]) => ({
      labels: { alertname, via, instance: 'db-1', ...(label ? { severity: label } : {}) },
      annotations: { summary: `${alertname} via ${via}` },
      startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(),
    }));
    const res = await fetch(`${amUrl}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    expect(res.status).toBe(200);

    const got: Record<string, string | null> = {};
    for (const [via] of RECEIVERS) {
      const row = await waitFor(`${alertname} through ${via}`, () =>
        t.store.db.selectFrom('alerts').innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
          .select(['incidents.severity']).where('alerts.integration_id', '=', ids[via]).where('alerts.summary', 'like', `%${alertname}%`).executeTakeFirst());
      got[via] = row.severity;
    }
    expect(got).toEqual({ webhook: expected, pd: expected, og: expected });
  }, 40_000);
});
