import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/app/server.js';
import { ConfigFileError, parseConfigText, type FirebreakConfig } from '../../src/config/config-file.js';
import { loadEnvConfig } from '../../src/config/env-config.js';
import { AppError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import { declareIncident } from '../../src/domain/incidents/declare-incident.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

const EXAMPLE = new URL('../../examples/firebreak.yaml', import.meta.url);

function parse(text: string): FirebreakConfig {
  const result = parseConfigText(text);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.loaded.config;
}

const BASE = `
users:
  - { email: ana@example.com, name: Ana, role: admin }
  - { email: ben@example.com, name: Ben, role: responder, timeZone: Europe/Berlin }
  - { email: cai@example.com, name: Cai, role: viewer }
teams:
  - slug: sre
    name: SRE
    members:
      - { user: ana@example.com, role: manager }
      - { user: ben@example.com }
  - { slug: web, name: Web }
services:
  - { slug: api, name: API, team: sre }
  - { slug: site, name: Website, team: web, description: Marketing site }
severities:
  - { key: P1, name: Critical, ackTarget: 5m, resolveTarget: 4h }
  - { key: P2, name: High, ackTarget: 15m }
checklists:
  - { slug: p1-start, name: P1 start, severities: [p1], items: [Open a bridge, Name a commander] }
`;

describe.each(DIALECTS)('apply firebreak.yaml on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string };
  const configCtx = () => t.ctx({ type: 'system', name: 'firebreak.yaml' });
  const apply = (config: FirebreakConfig) => applyConfig({ ctx: configCtx(), input: { config, file: 'firebreak.yaml' } });
  const auditCount = async (action: string) => Number((await t.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    await t.store.db.insertInto('services').values({ id: 'svc_byapi', slug: 'by-api', name: 'Made through the API', description: '', team_id: null, managed_by: null, created_at: 0, updated_at: 0 }).execute();
  });
  afterAll(() => t?.close());

  it('creates every declared object as managed, with one config.apply audit entry', async () => {
    const result = await apply(parse(BASE));
    expect(result.changed).toBe(true);
    expect(result.changes).toContain('user ben@example.com: created (responder)');
    expect(result.changes).toContain('team sre: added member ben@example.com (responder)');
    expect(await auditCount('config.apply')).toBe(1);
    const users = await t.store.db.selectFrom('users').select(['email', 'role', 'time_zone', 'managed_by', 'password_hash']).where('email', 'like', '%@example.com').orderBy('email').execute();
    expect(users).toEqual([
      { email: 'ana@example.com', role: 'admin', time_zone: 'UTC', managed_by: 'config', password_hash: null },
      { email: 'ben@example.com', role: 'responder', time_zone: 'Europe/Berlin', managed_by: 'config', password_hash: null },
      { email: 'cai@example.com', role: 'viewer', time_zone: 'UTC', managed_by: 'config', password_hash: null },
    ]);
    const services = await t.store.db.selectFrom('services').select(['slug', 'managed_by']).orderBy('slug').execute();
    expect(services).toEqual([{ slug: 'api', managed_by: 'config' }, { slug: 'by-api', managed_by: null }, { slug: 'site', managed_by: 'config' }]);
    const severities = await t.store.db.selectFrom('severities').select(['key', 'rank', 'ack_target_seconds', 'managed_by']).orderBy('rank').execute();
    expect(severities).toEqual([
      { key: 'P1', rank: 0, ack_target_seconds: 300, managed_by: 'config' },
      { key: 'P2', rank: 1, ack_target_seconds: 900, managed_by: 'config' },
    ]);
    const checklist = await t.store.db.selectFrom('checklist_templates').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(checklist.severities)).toEqual(['P1']);
  });

  it('is idempotent: the same file again changes nothing and writes no audit entry', async () => {
    const before = await t.store.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
    const result = await apply(parse(BASE));
    expect(result).toEqual({ changed: false, changes: [] });
    expect((await t.store.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq).toBe(before.seq);
  });

  it('refuses API edits of managed objects, naming the file', async () => {
    const attempts = [
      t.app.inject({ method: 'PATCH', url: '/api/v1/services/api', payload: { name: 'Renamed' }, headers: bearer(admin.token) }),
      t.app.inject({ method: 'DELETE', url: '/api/v1/services/site', headers: bearer(admin.token) }),
      t.app.inject({ method: 'PATCH', url: '/api/v1/teams/sre', payload: { name: 'x' }, headers: bearer(admin.token) }),
      t.app.inject({ method: 'PUT', url: '/api/v1/teams/sre/members/cai@example.com', payload: { role: 'observer' }, headers: bearer(admin.token) }),
      t.app.inject({ method: 'PATCH', url: '/api/v1/users/ben@example.com', payload: { role: 'admin' }, headers: bearer(admin.token) }),
      t.app.inject({ method: 'PUT', url: '/api/v1/severities', payload: { items: [{ key: 'X1', name: 'x' }] }, headers: bearer(admin.token) }),
      t.app.inject({ method: 'DELETE', url: '/api/v1/checklist-templates/p1-start', headers: bearer(admin.token) }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toMatch(/managed by firebreak\.yaml; edit the file/);
    }
    // Passwords are not in the file, and an emergency disable must not wait for a deploy.
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/users/ben@example.com/password', payload: { password: 'a-long-enough-password' }, headers: bearer(admin.token) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/users/cai@example.com', payload: { disabled: true }, headers: bearer(admin.token) })).statusCode).toBe(200);
    expect((await apply(parse(BASE))).changed).toBe(false);
    expect((await t.store.db.selectFrom('users').select('disabled').where('email', '=', 'cai@example.com').executeTakeFirstOrThrow()).disabled).toBe(1);
  });

  it('removes managed objects that left the file, disables removed users, leaves API objects alone', async () => {
    const next = BASE
      .replace('  - { email: cai@example.com, name: Cai, role: viewer }\n', '')
      .replace('  - { slug: web, name: Web }\n', '')
      .replace('  - { slug: site, name: Website, team: web, description: Marketing site }\n', '')
      .replace('      - { user: ben@example.com }\n', '      - { user: ben@example.com, role: observer }\n')
      .replace(/checklists:[\s\S]*$/, '');
    const result = await apply(parse(next));
    expect(result.changes.sort()).toEqual([
      'checklist p1-start: removed',
      'service site: removed',
      'team sre: ben@example.com role responder → observer',
      'team web: removed',
      'user cai@example.com: removed from the file, disabled',
    ]);
    const cai = await t.store.db.selectFrom('users').select(['disabled', 'managed_by']).where('email', '=', 'cai@example.com').executeTakeFirstOrThrow();
    expect(cai).toEqual({ disabled: 1, managed_by: null });
    expect(await t.store.db.selectFrom('services').select('slug').orderBy('slug').execute()).toEqual([{ slug: 'api' }, { slug: 'by-api' }]);
    expect(await t.store.db.selectFrom('teams').select('slug').execute()).toEqual([{ slug: 'sre' }]);
    expect(await auditCount('config.apply')).toBe(2);
    // Declaring the user again takes them back and lets them sign in.
    expect((await apply(parse(BASE))).changes).toContain('user cai@example.com: now managed by the file, enabled');
  });

  it('adopts an API-made object with the same slug', async () => {
    const res = await apply(parse(BASE.replace('services:\n', 'services:\n  - { slug: by-api, name: Adopted }\n')));
    expect(res.changes).toContain("service by-api: now managed by the file, name 'Made through the API' → 'Adopted'");
  });

  it('refuses to drop a severity that open incidents use, and rolls everything back', async () => {
    const incident = await declareIncident({ ctx: t.ctx({ type: 'user', id: 'usr_x', name: 'x', role: 'admin' }), input: { title: 'Checkout down', severity: 'P2' } });
    const without = BASE.replace('  - { key: P2, name: High, ackTarget: 15m }\n', '').replace('  - { email: ben', '  - { email: new@example.com, name: New }\n  - { email: ben');
    const error = await apply(parse(without)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFLICT');
    expect((error as AppError).message).toContain(`#${incident.number}`);
    expect((error as AppError).issues[0]?.field).toBe('severities');
    expect(await t.store.db.selectFrom('users').select('id').where('email', '=', 'new@example.com').executeTakeFirst()).toBeUndefined();
  });

  it('refuses a file that would leave no active admin', async () => {
    // Only the file's admin is left active, then the file demotes her.
    await t.store.db.updateTable('users').set({ disabled: 1 }).where('role', '=', 'admin').where('managed_by', 'is', null).execute();
    try {
      const error = await apply(parse(BASE.replace('role: admin', 'role: viewer'))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('CONFLICT');
      expect((error as AppError).issues[0]?.field).toBe('users');
      expect((await t.store.db.selectFrom('users').select('role').where('email', '=', 'ana@example.com').executeTakeFirstOrThrow()).role).toBe('admin');
    } finally {
      await t.store.db.updateTable('users').set({ disabled: 0 }).where('role', '=', 'admin').where('managed_by', 'is', null).execute();
    }
  });
});

describe('server start with FIREBREAK_CONFIG', () => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-config-'));

  it('refuses to start on an invalid file, listing every problem with its location', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'services:\n  - { slug: api, name: API, team: nope }\nusers:\n  - { email: x, name: X }\n');
    const config = loadEnvConfig({ DATABASE_URL: `sqlite:${join(dir, 'bad.db')}`, PORT: '0', FIREBREAK_CONFIG: file, FIREBREAK_LOG: 'silent' });
    const error = await startServer(config, { log: silentLogger, webRoot: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as ConfigFileError).problems).toEqual([`${file}:4:14 users.0.email: is not an email address`]);
  });

  it('applies a valid file before listening', async () => {
    const config = loadEnvConfig({ DATABASE_URL: `sqlite:${join(dir, 'good.db')}`, PORT: '0', FIREBREAK_CONFIG: EXAMPLE.pathname, FIREBREAK_LOG: 'silent' });
    const server = await startServer(config, { log: silentLogger, webRoot: null });
    try {
      const services = await server.store.db.selectFrom('services').select('slug').where('managed_by', '=', 'config').orderBy('slug').execute();
      expect(services.map((s) => s.slug)).toEqual(['checkout', 'postgres-main', 'public-api']);
    } finally {
      await server.stop();
    }
  });
});
