import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * docs/reverse-proxy.md: a real nginx (Debian's) runs examples/nginx.conf, the file the doc
 * shows, with only its ${…} values filled in; it terminates TLS with a certificate made here
 * by openssl, and a PagerDuty Events v2 event sent over https (verified against that
 * certificate, as PagerDuty's SDKs insist on https) opens an incident in Firebreak.
 */
const NGINX = '/usr/sbin/nginx';
const EXAMPLE = fileURLToPath(new URL('../../examples/nginx.conf', import.meta.url));
const run = promisify(execFile);

/** What envsubst with the listed variables does: only those, nginx's own $variables stay. */
function fillNginxExample(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`examples/nginx.conf uses \${${name}}, which the test does not fill in`);
    return values[name]!;
  });
}

function httpsPost(url: string, ca: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe.each(DIALECTS)('HTTPS through nginx running examples/nginx.conf on %s', (dialect) => {
  let t: TestApp;
  let nginx: ChildProcess | undefined;
  let dir = '';
  let httpsUrl = '';
  let ca = '';
  let key = '';
  let nginxLog = '';

  beforeAll(async () => {
    if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: apt-get install nginx-light (.ci/run installs it)`);
    t = await createTestApp(dialect, { start: new Date().toISOString(), http: { trustedProxies: ['loopback'] } });
    const admin = (await t.userWithKey('admin')).token;
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'PagerDuty SDK', format: 'pagerduty-events-v2' } });
    expect(created.statusCode).toBe(201);
    key = created.json().key as string;
    const fbPort = await freePort();
    await t.app.listen({ host: '127.0.0.1', port: fbPort });

    dir = mkdtempSync(join(tmpdir(), 'firebreak-nginx-'));
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]);
    ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const httpsPort = await freePort();
    httpsUrl = `https://localhost:${httpsPort}`;
    writeFileSync(join(dir, 'nginx.conf'), fillNginxExample(readFileSync(EXAMPLE, 'utf8'), {
      SERVER_NAME: 'localhost', HTTPS_PORT: `127.0.0.1:${httpsPort}`, FIREBREAK_UPSTREAM: `127.0.0.1:${fbPort}`,
      TLS_CERT: join(dir, 'cert.pem'), TLS_KEY: join(dir, 'key.pem'),
    }));
    await run(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')} warn;`]);
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')} warn;`], { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx.stderr?.on('data', (d: Buffer) => (nginxLog += d.toString()));
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await httpsPost(`${httpsUrl}/v2/enqueue`, ca, {});
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`nginx did not come up: ${String(e)}\n${nginxLog}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }, 60_000);

  afterAll(async () => {
    // Graceful stop of the nginx this test started (its master, by pid).
    if (nginx?.pid) nginx.kill('SIGQUIT');
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a PagerDuty Events v2 trigger over https and opens an incident', async () => {
    t.clock.set(Date.now());
    const res = await httpsPost(`${httpsUrl}/v2/enqueue`, ca, {
      routing_key: key, event_action: 'trigger', dedup_key: 'disk-full-db-1',
      payload: { summary: 'Disk full on db-1', source: 'db-1', severity: 'critical' },
    });
    expect(res.status, res.body).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'success', dedup_key: 'disk-full-db-1' });
    const incident = await t.store.db.selectFrom('alerts').innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
      .select(['incidents.number', 'incidents.severity', 'incidents.status']).where('alerts.dedup_key', '=', 'disk-full-db-1').executeTakeFirst();
    expect(incident).toMatchObject({ severity: 'SEV1', status: 'triggered' });
  });

  it('answers PagerDuty errors through the proxy unchanged, and refuses a client that does not trust the certificate', async () => {
    const bad = await httpsPost(`${httpsUrl}/v2/enqueue`, ca, { routing_key: key, event_action: 'trigger', payload: { summary: 'x', source: 'y', severity: 'page' } });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ status: 'invalid event' });
    await expect(httpsPost(`${httpsUrl}/v2/enqueue`, '', {})).rejects.toThrow(/self[- ]signed|certificate/i);
  });
});
