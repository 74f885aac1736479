import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute, freePort, ROOT } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

/**
 * `firebreak integration|alert|silence|route|maintenance` as an operator runs them: the real
 * binary against a real server process, once per database. An Alertmanager webhook fixture is
 * posted to the URL the CLI printed, exactly as Alertmanager would.
 */
const FIXTURE = readFileSync(join(ROOT, 'test/fixtures/ingest/alertmanager-webhook/firing-single.json'), 'utf8');

beforeAll(ensureBuilt, 120_000);

describe.each(DIALECTS)('alert ingestion CLI against a server on %s', (dialect) => {
  let db: TestDatabase;
  let server: ChildProcess;
  let url = '';
  let token = '';

  const cli = (args: string[]) => execute(process.execPath, [BIN, ...args], { env: cleanEnv({ FIREBREAK_URL: url, FIREBREAK_API_KEY: token }) });
  const json = async <T = Record<string, unknown>>(args: string[]): Promise<T> => {
    const run = await cli([...args, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as T;
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--database', db.url], {
      cwd: ROOT,
      env: cleanEnv({ FIREBREAK_LOG: 'silent' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${out}`);
      if (await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false)) break;
      if (Date.now() > deadline) throw new Error(`server not ready after 20s:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const boot = await execute(process.execPath, [BIN, 'apikey', 'create', '--local', '--name', 'bootstrap', '--database', db.url, '--json'], { env: cleanEnv() });
    expect(boot.stderr).toBe('');
    token = (JSON.parse(boot.stdout) as { token: string }).token;
  }, 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await db?.drop();
  });

  it('creates an integration, takes an Alertmanager webhook on the printed URL, and lists and shows the alert', async () => {
    const created = await cli(['integration', 'create', '--name', 'prod-am', '--format', 'alertmanager-webhook', '--setting', 'grouping=labels', '--setting', 'flap.count=5', '--setting', 'flap.withinMinutes=10']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const key = /^ {2}key {2}([0-9a-f]{32})$/m.exec(created.stdout)?.[1];
    const sendTo = /^ {2}URL {2}(\S+)$/m.exec(created.stdout)?.[1];
    expect(key).toBeTruthy();
    expect(sendTo).toBe(`${url}/ingest/alertmanager/${key}`);
    expect(created.stdout).toContain(`webhook_configs:\n        - url: ${url}/ingest/alertmanager/${key}`);
    expect(created.stdout).toMatch(/shown only once/);

    const sent = await fetch(sendTo!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: FIXTURE });
    expect(sent.status).toBe(200);

    const [list, listed, show, shown] = await Promise.all([
      cli(['integration', 'list']),
      json<{ items: { name: string; keyHint: string; settings: { grouping: string; flap: unknown } }[] }>(['integration', 'list']),
      cli(['integration', 'show', 'prod-am']),
      json<{ id: string; sender: { url: string } }>(['integration', 'show', 'prod-am']),
    ]);
    expect(list.stdout).toMatch(new RegExp(`^prod-am +int_\\w+ +alertmanager-webhook +- +…${key!.slice(-4)} +enabled +just now$`, 'm'));
    expect(listed.items).toEqual([expect.objectContaining({ name: 'prod-am', settings: expect.objectContaining({ grouping: 'labels', flap: { count: 5, withinMinutes: 10 } }) })]);
    expect(show.stdout).not.toContain(key);
    expect(shown.sender.url).toBe(`${url}/ingest/alertmanager/<integration key>`);

    const alerts = await json<{ alerts: { id: string; summary: string; labels: Record<string, string>; integrationId: string; decision: { kind: string } }[] }>(['alert', 'list', '--integration', 'prod-am']);
    expect(alerts.alerts).toHaveLength(1);
    const alert = alerts.alerts[0]!;
    expect(alert).toMatchObject({ summary: 'p99 > 2s', integrationId: shown.id, labels: { alertname: 'HighLatency', severity: 'critical' } });

    const human = await cli(['alert', 'list', '--status', 'open']);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[0]).toMatch(/^ID +STATUS +SEV +SUMMARY +COUNT +INCIDENT +DECISION +LAST SEEN$/);
    expect(human.stdout).toMatch(new RegExp(`^${alert.id} +firing +\\S+ +p99 > 2s +1 +#\\d+ +opened-incident +just now$`, 'm'));

    const detail = await cli(['alert', 'show', alert.id]);
    expect(detail.code).toBe(0);
    expect(detail.stdout).toMatch(/^ {2}incident #\d+ /m);
    // The integration by name, not by id.
    expect(detail.stdout).toMatch(/^ {2}alr_\w+ {2}integration prod-am {2}dedup key /m);
    expect(detail.stdout).toMatch(/^Why\n {2}opened-incident: /m);
    expect(detail.stdout).toContain('  alertname="HighLatency"');
    expect(detail.stdout).toContain('  summary="p99 > 2s"');
    const raw = await cli(['alert', 'show', alert.id, '--raw']);
    expect(raw.code).toBe(0);
    expect(JSON.parse(raw.stdout)).toEqual(JSON.parse(FIXTURE));
  });

  it('never prints a Grafana HMAC secret again, and an update of other settings keeps it', async () => {
    const secret = 'cli-hmac-secret-0123';
    const created = await cli(['integration', 'create', '--name', 'graf', '--format', 'grafana-webhook', '--setting', `hmac.secret=${secret}`]);
    expect(created.code, created.stderr).toBe(0);
    const key = /^ {2}key {2}([0-9a-f]{32})$/m.exec(created.stdout)?.[1];
    expect(created.stdout).not.toContain(secret);
    for (const args of [['integration', 'show', 'graf'], ['integration', 'show', 'graf', '--json'], ['integration', 'list', '--json']]) {
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain(secret);
    }
    const updated = await json<{ settings: { hmac: Record<string, unknown> } }>(['integration', 'update', 'graf', '--setting', 'hmac.toleranceSeconds=60']);
    expect(updated.settings.hmac).toEqual({ hasSecret: true, toleranceSeconds: 60 });
    const body = JSON.stringify({
      version: '1', receiver: 'fb', status: 'firing', orgId: 1, groupKey: 'g', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://grafana',
      alerts: [{ status: 'firing', labels: { alertname: 'Disk' }, annotations: {}, startsAt: '2026-03-01T10:00:00Z', fingerprint: 'f1' }],
    });
    const sign = (s: string) => createHmac('sha256', s).update(body).digest('hex');
    const send = (s: string) => fetch(`${url}/ingest/grafana/${key}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-grafana-alerting-signature': sign(s) }, body });
    expect((await send(secret)).status).toBe(200);
    expect((await send('another-secret')).status).toBe(401);
  });

  it('rotates, disables, enables and deletes an integration', async () => {
    const created = await json<{ id: string; key: string }>(['integration', 'create', '--name', 'pd', '--format', 'pagerduty-events-v2']);
    expect(created.key).toMatch(/^[0-9a-f]{32}$/);
    const rotated = await json<{ key: string; sender: { snippet: string } }>(['integration', 'rotate', created.id]);
    expect(rotated.key).not.toBe(created.key);
    expect(rotated.sender.snippet).toContain(`routing_key: ${rotated.key}`);
    expect((await json<{ disabled: boolean }>(['integration', 'disable', 'pd'])).disabled).toBe(true);
    expect((await cli(['integration', 'list'])).stdout).toMatch(/^pd .* disabled /m);
    expect((await json<{ disabled: boolean }>(['integration', 'enable', 'pd'])).disabled).toBe(false);
    const deleted = await cli(['integration', 'delete', created.id]);
    expect(deleted).toEqual({ code: 0, stdout: `Deleted integration ${created.id}\n`, stderr: '' });
    expect((await cli(['integration', 'show', created.id])).code).toBe(3);
  });

  it('adds, lists and expires a silence; new matching alerts are marked silenced', async () => {
    const added = await cli(['silence', 'add', 'alertname=DiskFull', 'severity=~"crit.*"', '--duration', '2h', '--comment', 'disk swap', '--author', 'ana']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const id = /(sil_\w+)/.exec(added.stdout)?.[1];
    expect(id).toBeTruthy();
    expect(added.stdout).toMatch(/^Silenced alertname="DiskFull", severity=~"crit\.\*" until .* \(in 2h\)/);

    const listed = await cli(['silence', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`^${id} +alertname="DiskFull", severity=~"crit\\.\\*" +active +.* +ana +disk swap$`, 'm'));
    expect(await json<{ id: string }[]>(['silence', 'list', 'alertname=DiskFull'])).toEqual([expect.objectContaining({ id })]);
    expect(await json<unknown[]>(['silence', 'list', 'alertname=Other'])).toEqual([]);

    // An alert the silence matches is recorded and marked, and opens no incident.
    const integration = await json<{ sender: { url: string } }>(['integration', 'create', '--name', 'silenced-am', '--format', 'alertmanager-webhook']);
    const payload = JSON.parse(FIXTURE) as { alerts: { labels: Record<string, string>; fingerprint?: string }[] };
    payload.alerts[0]!.labels = { alertname: 'DiskFull', severity: 'critical', instance: 'db-1' };
    delete payload.alerts[0]!.fingerprint;
    expect((await fetch(integration.sender.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) })).status).toBe(200);
    const alerts = await json<{ alerts: { id: string; incidentId: string | null; suppressedBy: string | null; decision: { kind: string } }[] }>(['alert', 'list', '--integration', 'silenced-am']);
    expect(alerts.alerts).toEqual([expect.objectContaining({ incidentId: null, suppressedBy: id, decision: expect.objectContaining({ kind: 'silenced' }) })]);

    const expired = await cli(['silence', 'expire', id!]);
    expect(expired).toEqual({ code: 0, stdout: `Expired silence ${id}\n`, stderr: '' });
    expect((await cli(['silence', 'list'])).stdout).not.toContain(id);
    expect((await cli(['silence', 'list', '--expired'])).stdout).toMatch(new RegExp(`^${id} .* expired `, 'm'));
  });

  it('adds, lists and deletes routing rules and maintenance windows', async () => {
    const rule = await json<{ id: string; position: number }>(['route', 'add', 'team=db', 'severity=critical', '--name', 'db-critical', '--severity', 'SEV1']);
    expect((await cli(['route', 'list'])).stdout).toMatch(new RegExp(`^${rule.position} +${rule.id} +db-critical +team="db", severity="critical" +any +severity SEV1$`, 'm'));
    expect((await cli(['route', 'delete', rule.id])).code).toBe(0);
    expect((await json<{ items: unknown[] }>(['route', 'list'])).items).toEqual([]);

    const window = await json<{ id: string; active: boolean }>(['maintenance', 'add', '--duration', '1h', '--reason', 'DB upgrade']);
    expect(window.active).toBe(true);
    expect((await cli(['maintenance', 'list'])).stdout).toMatch(new RegExp(`^${window.id} +all +.* yes +DB upgrade$`, 'm'));
    expect((await cli(['maintenance', 'delete', window.id])).code).toBe(0);
  });

  it('searches alerts by matchers and status, previews a silence, edits and ends a maintenance window', async () => {
    const integration = await json<{ sender: { url: string } }>(['integration', 'create', '--name', 'search-am', '--format', 'alertmanager-webhook']);
    const send = async (instance: string) => {
      const payload = JSON.parse(FIXTURE) as { alerts: { labels: Record<string, string>; fingerprint?: string }[] };
      payload.alerts[0]!.labels = { alertname: 'SearchMe', instance, severity: 'warning' };
      delete payload.alerts[0]!.fingerprint;
      expect((await fetch(integration.sender.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) })).status).toBe(200);
    };
    await send('db-7');
    const { silenceID } = await json<{ silenceID: string }>(['silence', 'add', 'alertname=SearchMe', 'instance=db-8', '--duration', '1h', '--comment', 'hold db-8']);
    await send('db-8');

    const suppressed = await json<{ alerts: { labels: Record<string, string>; suppressedBy: string | null }[] }>(['alert', 'list', '--status', 'suppressed', '--match', 'alertname="SearchMe"']);
    expect(suppressed.alerts.map((a) => [a.labels.instance, a.suppressedBy])).toEqual([['db-8', silenceID]]);
    const both = await json<{ alerts: { labels: Record<string, string> }[] }>(['alert', 'list', '--match', 'alertname="SearchMe",instance=~"db-[78]"', '--since', new Date(Date.now() - 3_600_000).toISOString()]);
    expect(both.alerts.map((a) => a.labels.instance)).toEqual(['db-8', 'db-7']);
    expect((await json<{ alerts: unknown[] }>(['alert', 'list', '--match', 'alertname="SearchMe"', '--until', '2020-01-01T00:00:00Z'])).alerts).toEqual([]);

    const preview = await cli(['silence', 'preview', 'alertname=SearchMe']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/^2 open alerts match alertname="SearchMe":/);
    expect(preview.stdout).toContain(`held by ${silenceID}`);
    expect(await json<{ total: number }>(['silence', 'preview', 'instance=db-99'])).toMatchObject({ total: 0 });

    const window = await json<{ id: string }>(['maintenance', 'add', '--duration', '1h', '--reason', 'Search upgrade']);
    const edited = await cli(['maintenance', 'edit', window.id, '--reason', 'Search upgrade, part 2', '--end', new Date(Date.now() + 2 * 3_600_000).toISOString()]);
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toMatch(new RegExp(`^Maintenance window ${window.id} \\(active\\): .*every service: Search upgrade, part 2$`, 'm'));
    expect((await json<{ state: string }>(['maintenance', 'end', window.id])).state).toBe('ended');
    expect((await cli(['maintenance', 'list'])).stdout).toMatch(new RegExp(`^${window.id} +all +.* ended +Search upgrade, part 2$`, 'm'));
    const again = await cli(['maintenance', 'end', window.id]);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/^error: .*has ended/);

    const bad = await Promise.all([
      cli(['alert', 'list', '--match', 'alertname=~"("']),
      cli(['alert', 'list', '--since', 'last tuesday']),
      cli(['silence', 'preview', 'alertname=~".*"']),
      cli(['maintenance', 'edit', window.id]),
    ]);
    for (const run of bad) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^error: (match|since|matchers|reason): /);
    }
    for (const run of await Promise.all([cli(['maintenance', 'end', 'mw_01aaaaaaaaaaaaaaaaaaaaaaaa']), cli(['maintenance', 'edit', 'mw_01aaaaaaaaaaaaaaaaaaaaaaaa', '--reason', 'x'])])) {
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/^error: .*not found/);
    }
  }, 180_000);

  it('exits 2 on bad input and 3 on an unknown id, with one error line on stderr', async () => {
    const bad = await Promise.all([
      cli(['integration', 'create', '--name', 'x', '--format', 'carrier-pigeon']),
      cli(['integration', 'create', '--name', 'x', '--format', 'opsgenie', '--setting', 'novalue']),
      cli(['alert', 'list', '--status', 'burning']),
      cli(['alert', 'list', '--limit', '0']),
      cli(['silence', 'add', 'alertname=~"("', '--comment', 'x']),
      cli(['silence', 'add', 'alertname=X', '--duration', 'soon', '--comment', 'x']),
      cli(['silence', 'add', 'alertname=X']),
      cli(['silence', 'add', 'alertname=~".*"', '--comment', 'matches everything']),
      cli(['maintenance', 'add', '--reason', 'x']),
    ]);
    for (const run of bad) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/error:/);
    }
    expect(bad[0]!.stderr).toMatch(/^error: format/m);
    expect(bad[4]!.stderr).toMatch(/^error: matchers\.0: invalid regular expression/m);

    const missing = await Promise.all([
      cli(['integration', 'show', 'int_01aaaaaaaaaaaaaaaaaaaaaaaa']),
      cli(['integration', 'rotate', 'no-such-integration']),
      cli(['alert', 'show', 'alr_01aaaaaaaaaaaaaaaaaaaaaaaa']),
      cli(['alert', 'list', '--integration', 'no-such-integration']),
      cli(['silence', 'expire', 'sil_01aaaaaaaaaaaaaaaaaaaaaaaa']),
      cli(['route', 'delete', 'rr_01aaaaaaaaaaaaaaaaaaaaaaaa']),
      cli(['maintenance', 'delete', 'mw_01aaaaaaaaaaaaaaaaaaaaaaaa']),
    ]);
    for (const run of missing) {
      expect(run.code, run.stderr).toBe(3);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^error: .*not found/);
    }
  });
});
