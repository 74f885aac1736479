import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/app/server.js';
import { ConfigFileError, formatConfigProblem, parseConfigText, type LoadedConfig } from '../../src/config/config-file.js';
import { loadEnvConfig } from '../../src/config/env-config.js';
import { readIntegrationKeys } from '../../src/config/integration-keys.js';
import { AppError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import { ingestServiceOf } from '../../src/http/routes/ingest.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/** The `integrations:` section of firebreak.yaml: keys from files or the environment, never inline. */
const FIXTURE = readFileSync(new URL('../fixtures/ingest/alertmanager-webhook/firing-single.json', import.meta.url), 'utf8');
const AM_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const PD_KEY = '0123456789abcdef0123456789abcdef';

function load(text: string, file: string): LoadedConfig {
  const result = parseConfigText(text, file);
  if (!result.ok) throw new Error(result.problems.map(formatConfigProblem).join('\n'));
  return result.loaded;
}

function problems(text: string): string[] {
  const result = parseConfigText(text, 'firebreak.yaml');
  return result.ok ? [] : result.problems.map(formatConfigProblem);
}

function keyProblems(loaded: LoadedConfig, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    readIntegrationKeys(loaded, env);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigFileError)) throw e;
    return e.problems;
  }
}

describe('integrations: in firebreak.yaml (parsing and key files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-int-keys-'));
  const file = join(dir, 'firebreak.yaml');
  writeFileSync(join(dir, 'am.key'), `${AM_KEY}\n`);
  writeFileSync(join(dir, 'short.key'), 'abc123');

  it('reports every shape problem at its line, and never accepts a key inline', () => {
    expect(problems([
      'integrations:',
      '  - { name: am, format: alertmanager-webhook, keyFile: am.key, key: abc }',
      '  - { name: am, format: carrier-pigeon, keyEnv: X }',
      '  - { name: bad-env, format: alertmanager-webhook, keyEnv: "1X" }',
    ].join('\n'))).toEqual([
      'firebreak.yaml:2:64 integrations.0.key: unknown key (expected one of: name, format, service, keyFile, keyEnv, settings)',
      expect.stringMatching(/^firebreak\.yaml:3:25 integrations\.1\.format: Invalid option: expected one of "alertmanager-webhook"\|/),
      'firebreak.yaml:4:60 integrations.2.keyEnv: must be an environment variable name',
    ]);
  });

  it('wants exactly one of keyFile and keyEnv', () => {
    expect(problems([
      'integrations:',
      '  - { name: both, format: opsgenie, keyFile: a, keyEnv: B }',
      '  - { name: none, format: opsgenie }',
    ].join('\n'))).toEqual([
      'firebreak.yaml:2:57 integrations.0.keyEnv: give the key as exactly one of keyFile: (a file path) or keyEnv: (an environment variable name); never inline',
      'firebreak.yaml:3:13 integrations.1.name: give the key as exactly one of keyFile: (a file path) or keyEnv: (an environment variable name); never inline',
    ]);
  });

  it('checks settings against the format and names unique, without a database', () => {
    expect(problems([
      'integrations:',
      '  - { name: generic, format: generic-webhook, keyEnv: G }',
      '  - { name: generic, format: heartbeat, keyEnv: H, settings: { heartbeat: { intervalSeconds: 1 } } }',
    ].join('\n'))).toEqual([
      'firebreak.yaml:2:5 integrations.0.settings.mapping: a generic webhook needs a field mapping',
      expect.stringMatching(/^firebreak\.yaml:3:13 integrations\.1\.name: duplicate name 'generic'/),
      expect.stringMatching(/^firebreak\.yaml:3:\d+ integrations\.1\.settings\.heartbeat\.intervalSeconds: /),
    ]);
  });

  it('reads keys from a file next to the config (trailing newline dropped) or the environment', () => {
    const loaded = load('integrations:\n  - { name: am, format: alertmanager-webhook, keyFile: am.key }\n  - { name: pd, format: pagerduty-events-v2, keyEnv: PD_KEY }\n', file);
    expect([...readIntegrationKeys(loaded, { PD_KEY: PD_KEY })]).toEqual([['am', AM_KEY], ['pd', PD_KEY]]);
  });

  it('locates unreadable files, unset variables, short or shared keys and PagerDuty keys that are not 32 characters', () => {
    const loaded = load([
      'integrations:',
      '  - { name: missing, format: alertmanager-webhook, keyFile: nope.key }',
      '  - { name: unset, format: opsgenie, keyEnv: UNSET_KEY }',
      '  - { name: short, format: grafana-webhook, keyFile: short.key }',
      '  - { name: pd, format: pagerduty-events-v2, keyEnv: PD_31 }',
      '  - { name: am, format: alertmanager-webhook, keyFile: am.key }',
      '  - { name: am2, format: alertmanager-api, keyEnv: SAME }',
      '  - { name: spaces, format: opsgenie, keyEnv: SPACES }',
    ].join('\n'), file);
    const found = keyProblems(loaded, { PD_31: PD_KEY.slice(1), SAME: AM_KEY, SPACES: 'has spaces in the middle of it' });
    expect(found).toEqual([
      `${file}:2:61 integrations.0.keyFile: cannot read ${join(dir, 'nope.key')} (ENOENT)`,
      `${file}:3:46 integrations.1.keyEnv: environment variable UNSET_KEY is not set or empty`,
      `${file}:4:54 integrations.2.keyFile: the key is 6 characters; use at least 16 (make one with \`openssl rand -hex 16\`)`,
      `${file}:5:54 integrations.3.keyEnv: the key is 31 characters; a PagerDuty routing key must be exactly 32 (make one with \`openssl rand -hex 16\`)`,
      `${file}:7:52 integrations.5.keyEnv: the same key as integrations.4; every integration needs its own key`,
      `${file}:8:47 integrations.6.keyEnv: the key may contain only letters, digits and . _ ~ - (it is sent in URLs and headers)`,
    ]);
    for (const p of found) expect(p).not.toContain(AM_KEY);
  });
});

describe.each(DIALECTS)('apply integrations: on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string };
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-int-apply-'));
  const file = join(dir, 'firebreak.yaml');
  writeFileSync(join(dir, 'am.key'), `${AM_KEY}\n`);
  const env = { FIREBREAK_PD_KEY: PD_KEY };
  const BASE = `
services:
  - { slug: checkout, name: Checkout }
integrations:
  - name: prod-am
    format: alertmanager-webhook
    service: checkout
    keyFile: am.key
    settings: { grouping: labels, groupBy: [alertname, cluster] }
  - { name: prod-pd, format: pagerduty-events-v2, keyEnv: FIREBREAK_PD_KEY }
`;
  const apply = async (text: string) => {
    const loaded = load(text, file);
    const result = await applyConfig({ ctx: t.ctx({ type: 'system', name: 'firebreak.yaml' }), input: { config: loaded.config, file, integrationKeys: readIntegrationKeys(loaded, env) } });
    // The server applies the file before it listens; here the app is already up.
    ingestServiceOf(t.app)?.invalidateKeys();
    return result;
  };
  const auditSeq = async () => (await t.store.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq;
  const sendAm = (key: string) => t.app.inject({ method: 'POST', url: `/ingest/alertmanager/${key}`, headers: { 'content-type': 'application/json' }, payload: FIXTURE });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
  });
  afterAll(() => t?.close());

  it('creates the integrations as managed, with the keys from the file and the environment, in one audit entry', async () => {
    const before = await auditSeq();
    const result = await apply(BASE);
    expect(result.changes).toEqual(['service checkout: created', 'integration prod-am: created (alertmanager-webhook)', 'integration prod-pd: created (pagerduty-events-v2)']);
    expect(Number(await auditSeq())).toBe(Number(before) + 1);
    const audit = await t.store.db.selectFrom('audit_log').select('data').where('action', '=', 'config.apply').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.data).not.toContain(AM_KEY);
    const rows = await t.store.db.selectFrom('integrations').select(['name', 'format', 'key_hint', 'managed_by', 'settings']).orderBy('name').execute();
    expect(rows).toEqual([
      expect.objectContaining({ name: 'prod-am', format: 'alertmanager-webhook', key_hint: AM_KEY.slice(-4), managed_by: 'config' }),
      expect.objectContaining({ name: 'prod-pd', format: 'pagerduty-events-v2', key_hint: PD_KEY.slice(-4), managed_by: 'config' }),
    ]);
    expect(JSON.parse(rows[0]!.settings)).toMatchObject({ grouping: 'labels', groupBy: ['alertname', 'cluster'] });
  });

  it('accepts senders using the shared keys', async () => {
    const am = await sendAm(AM_KEY);
    expect(am.statusCode).toBe(200);
    const pd = await t.app.inject({
      method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' },
      payload: { routing_key: PD_KEY, event_action: 'trigger', dedup_key: 'disk-1', payload: { summary: 'Disk full', source: 'db-1', severity: 'critical' } },
    });
    expect(pd.statusCode).toBe(202);
    const alerts = await t.store.db.selectFrom('alerts').innerJoin('integrations', 'integrations.id', 'alerts.integration_id')
      .select(['integrations.name', 'alerts.summary', 'alerts.service_id']).orderBy('integrations.name').execute();
    const checkout = await t.store.db.selectFrom('services').select('id').where('slug', '=', 'checkout').executeTakeFirstOrThrow();
    expect(alerts).toEqual([{ name: 'prod-am', summary: 'p99 > 2s', service_id: checkout.id }, { name: 'prod-pd', summary: 'Disk full', service_id: null }]);
    expect((await sendAm('f'.repeat(32))).statusCode).toBe(401);
  });

  it('is idempotent: applying the same file again changes nothing and writes no audit entry', async () => {
    const before = await auditSeq();
    expect(await apply(BASE)).toEqual({ changed: false, changes: [] });
    expect(await auditSeq()).toBe(before);
  });

  it('refuses API edits of managed integrations but lets an admin disable one', async () => {
    const attempts = await Promise.all([
      t.app.inject({ method: 'PATCH', url: '/api/v1/integrations/prod-am', payload: { name: 'renamed' }, headers: bearer(admin.token) }),
      t.app.inject({ method: 'POST', url: '/api/v1/integrations/prod-am/rotate-key', headers: bearer(admin.token) }),
      t.app.inject({ method: 'DELETE', url: '/api/v1/integrations/prod-pd', headers: bearer(admin.token) }),
    ]);
    for (const res of attempts) {
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toMatch(/managed by firebreak\.yaml; edit the file/);
    }
    const disabled = await t.app.inject({ method: 'PATCH', url: '/api/v1/integrations/prod-pd', payload: { disabled: true }, headers: bearer(admin.token) });
    expect(disabled.statusCode).toBe(200);
    expect((await apply(BASE)).changed).toBe(false);
    expect((await t.store.db.selectFrom('integrations').select('disabled').where('name', '=', 'prod-pd').executeTakeFirstOrThrow()).disabled).toBe(1);
    await t.app.inject({ method: 'PATCH', url: '/api/v1/integrations/prod-pd', payload: { disabled: false }, headers: bearer(admin.token) });
  });

  it('reports changed settings, service and key, and adopts an API-made integration of the same name', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', payload: { name: 'grafana', format: 'grafana-webhook' }, headers: bearer(admin.token) });
    expect(made.statusCode).toBe(201);
    writeFileSync(join(dir, 'grafana.key'), 'grafana-shared-secret-0001');
    const next = BASE
      .replace('groupBy: [alertname, cluster]', 'groupBy: [alertname]')
      .replace('    service: checkout\n', '')
      + '  - { name: grafana, format: grafana-webhook, keyFile: grafana.key }\n';
    const result = await apply(next);
    expect(result.changes).toEqual(['integration prod-am: service → none, settings changed', 'integration grafana: now managed by the file, key replaced']);
    expect((await t.app.inject({ method: 'POST', url: '/ingest/grafana/grafana-shared-secret-0001', headers: { 'content-type': 'application/json' }, payload: readFileSync(new URL('../fixtures/ingest/grafana-webhook/firing.json', import.meta.url), 'utf8') })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/ingest/grafana/${made.json().key}`, headers: { 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(401);
  });

  it('locates a service that does not exist and a key another integration holds, and rolls back', async () => {
    const unknownService = await apply(BASE.replace('service: checkout', 'service: nowhere')).catch((e: unknown) => e);
    expect(unknownService).toBeInstanceOf(AppError);
    expect((unknownService as AppError).issues[0]?.field).toBe('integrations.0.service');

    const api = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', payload: { name: 'by-api', format: 'opsgenie' }, headers: bearer(admin.token) });
    writeFileSync(join(dir, 'taken.key'), api.json().key as string);
    const taken = await apply(`${BASE}  - { name: copy, format: opsgenie, keyFile: taken.key }\n`).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(AppError);
    expect((taken as AppError).code).toBe('CONFLICT');
    expect((taken as AppError).issues).toEqual([{ field: 'integrations.2.keyFile', message: "is already the key of integration 'by-api'; every integration needs its own key" }]);
    expect(await t.store.db.selectFrom('integrations').select('name').where('name', '=', 'copy').executeTakeFirst()).toBeUndefined();
  });

  it('deletes managed integrations that left the file (their keys stop working) and keeps API-made ones', async () => {
    const result = await apply('services:\n  - { slug: checkout, name: Checkout }\n');
    expect(result.changes.sort()).toEqual(['integration grafana: removed', 'integration prod-am: removed', 'integration prod-pd: removed']);
    expect((await sendAm(AM_KEY)).statusCode).toBe(401);
    expect((await t.store.db.selectFrom('integrations').select('name').orderBy('name').execute()).map((r) => r.name)).toEqual(['by-api']);
    // The alerts they received stay.
    expect((await t.store.db.selectFrom('alerts').select('id').execute()).length).toBeGreaterThanOrEqual(2);
  });
});

describe('server start with integrations in FIREBREAK_CONFIG', () => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-int-start-'));

  it('refuses to start when a key file is missing, naming the line', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'integrations:\n  - { name: am, format: alertmanager-webhook, keyFile: secret/am.key }\n');
    const config = loadEnvConfig({ DATABASE_URL: `sqlite:${join(dir, 'bad.db')}`, PORT: '0', FIREBREAK_CONFIG: file, FIREBREAK_LOG: 'silent' });
    const error = await startServer(config, { log: silentLogger, webRoot: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as ConfigFileError).problems).toEqual([`${file}:2:56 integrations.0.keyFile: cannot read ${join(dir, 'secret/am.key')} (ENOENT)`]);
  });

  it('applies the integrations before listening, so the sender is accepted at once', async () => {
    const file = join(dir, 'good.yaml');
    writeFileSync(join(dir, 'am.key'), AM_KEY);
    writeFileSync(file, 'integrations:\n  - { name: am, format: alertmanager-webhook, keyFile: am.key }\n');
    const config = loadEnvConfig({ DATABASE_URL: `sqlite:${join(dir, 'good.db')}`, PORT: '0', FIREBREAK_CONFIG: file, FIREBREAK_LOG: 'silent' });
    const server = await startServer(config, { log: silentLogger, webRoot: null });
    try {
      const res = await fetch(`${server.url}/ingest/alertmanager/${AM_KEY}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: FIXTURE });
      expect(res.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
