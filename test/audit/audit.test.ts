import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditCommand } from '../../src/cli/commands/audit.js';
import { parseConfigText } from '../../src/config/config-file.js';
import type { Actor } from '../../src/core/actor.js';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { recordAudit } from '../../src/domain/audit/record-audit.js';
import { verifyAuditLog } from '../../src/domain/audit/verify-audit.js';
import { ensureDefaults } from '../../src/domain/bootstrap.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import type { Ctx } from '../../src/domain/context.js';
import { createService } from '../../src/domain/services/create-service.js';
import { deleteService } from '../../src/domain/services/delete-service.js';
import { updateService } from '../../src/domain/services/update-service.js';
import { replaceSeverityScheme } from '../../src/domain/severities/replace-severity-scheme.js';
import { createChecklistTemplate } from '../../src/domain/tasks/create-checklist-template.js';
import { deleteChecklistTemplate } from '../../src/domain/tasks/delete-checklist-template.js';
import { updateChecklistTemplate } from '../../src/domain/tasks/update-checklist-template.js';
import { createTeam } from '../../src/domain/teams/create-team.js';
import { deleteTeam } from '../../src/domain/teams/delete-team.js';
import { removeTeamMember } from '../../src/domain/teams/remove-team-member.js';
import { setTeamMember } from '../../src/domain/teams/set-team-member.js';
import { updateTeam } from '../../src/domain/teams/update-team.js';
import { createApiKey, revokeApiKey } from '../../src/domain/users/manage-api-keys.js';
import { createUser } from '../../src/domain/users/create-user.js';
import { setUserPassword } from '../../src/domain/users/set-user-password.js';
import { signIn, signOut } from '../../src/domain/users/sign-in.js';
import { updateUser } from '../../src/domain/users/update-user.js';
import type { Store } from '../../src/store/index.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

const clock = new ManualClock('2026-03-01T10:00:00Z');
const ctxFor = (store: Store, actor: Actor = { type: 'system', name: 'test' }): Ctx => ({ actor, clock, log: silentLogger, requestId: 'test', store, ip: '203.0.113.7' });

async function head(store: Store) {
  return store.db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
}

/** A database with `n` audit entries after the bootstrap ones. */
async function databaseWithEntries(dialect: 'sqlite' | 'postgres', n: number): Promise<TestDatabase> {
  const db = await createTestDatabase(dialect);
  await ensureDefaults({ ctx: ctxFor(db.store), input: { adminEmail: 'admin@example.test' } });
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    await db.store.transaction((tx) => recordAudit(ctxFor(db.store), tx, { action: 'test.entry', target: `t${i}`, data: { i } }));
  }
  return db;
}

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  describe('every audited action writes exactly one entry', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      await ensureDefaults({ ctx: ctxFor(db.store), input: { adminEmail: 'admin@example.test' } });
    });
    afterAll(() => db?.drop());

    it('for users, teams, services, checklists, severities, keys, sign-ins and config', async () => {
      const store = db.store;
      const adminRow = await store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      const admin = ctxFor(store, { type: 'user', id: adminRow.id, name: adminRow.name, role: 'admin' });
      const expectOne = async (action: string, work: () => Promise<unknown>) => {
        const before = await head(store);
        clock.advance(1000);
        await work();
        const entries = await store.db.selectFrom('audit_log').selectAll().where('seq', '>', before.seq).execute();
        expect(entries.map((e) => e.action), action).toEqual([action]);
        expect(entries[0]!.data).not.toMatch(/scrypt|password_hash|fbk_/);
        return entries[0]!;
      };

      const created = await expectOne('user.create', () => createUser({ ctx: admin, input: { email: 'r@example.test', name: 'R', password: 'first-password-123' } }));
      expect(created).toMatchObject({ actor_type: 'user', actor_id: adminRow.id, ip: '203.0.113.7' });
      await expectOne('user.update', () => updateUser({ ctx: admin, input: { user: 'r@example.test', role: 'viewer' } }));
      await expectOne('user.password_set', () => setUserPassword({ ctx: admin, input: { user: 'r@example.test', password: 'second-password-123' } }));
      await expectOne('team.create', () => createTeam({ ctx: admin, input: { slug: 'sre', name: 'SRE' } }));
      await expectOne('team.update', () => updateTeam({ ctx: admin, input: { team: 'sre', name: 'Site Reliability' } }));
      await expectOne('team.member_set', () => setTeamMember({ ctx: admin, input: { team: 'sre', user: 'r@example.test' } }));
      await expectOne('team.member_remove', () => removeTeamMember({ ctx: admin, input: { team: 'sre', user: 'r@example.test' } }));
      await expectOne('service.create', () => createService({ ctx: admin, input: { slug: 'api', name: 'API', team: 'sre' } }));
      await expectOne('service.update', () => updateService({ ctx: admin, input: { service: 'api', name: 'Public API' } }));
      await expectOne('service.delete', () => deleteService({ ctx: admin, input: { service: 'api' } }));
      await expectOne('team.delete', () => deleteTeam({ ctx: admin, input: { team: 'sre' } }));
      await expectOne('checklist.create', () => createChecklistTemplate({ ctx: admin, input: { slug: 'c', name: 'C', severities: ['SEV1'], items: ['a'] } }));
      await expectOne('checklist.update', () => updateChecklistTemplate({ ctx: admin, input: { template: 'c', items: ['a', 'b'] } }));
      await expectOne('checklist.delete', () => deleteChecklistTemplate({ ctx: admin, input: { template: 'c' } }));
      await expectOne('severity.replace_scheme', () => replaceSeverityScheme({ ctx: admin, input: { items: [{ key: 'SEV1', name: 'Critical' }, { key: 'SEV2', name: 'Major' }] } }));
      const key = await createApiKey({ ctx: admin, input: { name: 'ci', scopes: ['read'] } });
      await expectOne('apikey.revoke', () => revokeApiKey({ ctx: admin, input: { id: key.id } }));
      const failed = await expectOne('auth.sign_in_failed', () => signIn({ ctx: ctxFor(store), input: { email: 'r@example.test', password: 'wrong' } }).catch(() => null));
      expect(failed.target).toBe('r@example.test');
      await expectOne('auth.sign_in', () => signIn({ ctx: ctxFor(store), input: { email: 'r@example.test', password: 'second-password-123' } }));
      const session = await store.db.selectFrom('sessions').select('id').executeTakeFirstOrThrow();
      await expectOne('auth.sign_out', () => signOut({ ctx: admin, input: { sessionId: session.id } }));
      const parsed = parseConfigText('services:\n  - { slug: web, name: Web }\n');
      if (!parsed.ok) throw new Error('bad test config');
      await expectOne('config.apply', () => applyConfig({ ctx: ctxFor(store, { type: 'system', name: 'firebreak.yaml' }), input: { config: parsed.loaded.config } }));

      // No-ops write nothing.
      const before = await head(store);
      await updateUser({ ctx: admin, input: { user: 'r@example.test', role: 'viewer' } });
      await applyConfig({ ctx: ctxFor(store, { type: 'system', name: 'firebreak.yaml' }), input: { config: parsed.loaded.config } });
      expect((await head(store)).seq).toBe(before.seq);
      expect((await verifyAuditLog(store.db)).ok).toBe(true);
    });
  });

  describe('tampering is detected with its position', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await databaseWithEntries(dialect, 8);
    });
    afterAll(() => db?.drop());

    // Each case tampers, checks, then restores the rows it touched, so cases stay independent.
    async function withSnapshot(work: () => Promise<void>): Promise<void> {
      const rows = await db.store.db.selectFrom('audit_log').selectAll().execute();
      const savedHead = await head(db.store);
      try {
        await work();
      } finally {
        await db.store.db.deleteFrom('audit_log').execute();
        await db.store.db.insertInto('audit_log').values(rows).execute();
        await db.store.db.updateTable('audit_head').set(savedHead).execute();
      }
    }

    it('an intact chain verifies', async () => {
      const result = await verifyAuditCommand(db.store);
      expect(result.exitCode).toBe(0);
      expect(result.output).toMatch(/checked 9 audit entries\nhead 9:[0-9a-f]{64}\n/);
    });

    it('an edited field', () => withSnapshot(async () => {
      await sql`update audit_log set data = ${'{"i":99}'} where seq = 4`.execute(db.store.db);
      const result = await verifyAuditLog(db.store.db);
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([{ seq: 4, problem: 'entry content does not match its hash (edited entry)' }]);
      const cli = await verifyAuditCommand(db.store);
      expect(cli.exitCode).toBe(1);
      expect(cli.output).toContain('entry 4: entry content does not match its hash (edited entry)');
    }));

    it('a deleted row', () => withSnapshot(async () => {
      await sql`delete from audit_log where seq = 5`.execute(db.store.db);
      const result = await verifyAuditLog(db.store.db);
      expect(result.problems.map((p) => p.seq)).toEqual([6, 6]);
      expect(result.problems[0]!.problem).toMatch(/entries 5\.\.5 are missing/);
    }));

    it('two swapped rows', () => withSnapshot(async () => {
      await sql`update audit_log set seq = -1 where seq = 3`.execute(db.store.db);
      await sql`update audit_log set seq = 3 where seq = 6`.execute(db.store.db);
      await sql`update audit_log set seq = 6 where seq = -1`.execute(db.store.db);
      const result = await verifyAuditLog(db.store.db);
      expect(result.ok).toBe(false);
      expect(result.problems[0]).toMatchObject({ seq: 3 });
      expect(result.problems.map((p) => p.seq)).toContain(6);
    }));

    it('a truncated tail, caught only by an exported head', () => withSnapshot(async () => {
      const exported = await head(db.store);
      await sql`delete from audit_log where seq > 7`.execute(db.store.db);
      const last = await db.store.db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', '=', 7).executeTakeFirstOrThrow();
      await db.store.db.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).execute();
      expect((await verifyAuditCommand(db.store)).exitCode).toBe(0);
      const cli = await verifyAuditCommand(db.store, { expectHead: `${exported.seq}:${exported.hash}` });
      expect(cli.exitCode).toBe(1);
      expect(cli.output).toContain(`entry 9: exported head 9:${exported.hash.slice(0, 12)}… is not in the log (truncated or rewritten)`);
      const json = JSON.parse((await verifyAuditCommand(db.store, { expectHead: `${exported.seq}:${exported.hash}`, json: true })).output);
      expect(json).toMatchObject({ ok: false, entries: 7, headSeq: 7 });
    }));

    it('a tail removed without fixing the head', () => withSnapshot(async () => {
      await sql`delete from audit_log where seq = 9`.execute(db.store.db);
      const result = await verifyAuditLog(db.store.db);
      expect(result.problems).toEqual([{ seq: 8, problem: expect.stringMatching(/stored head is entry 9 but the log ends at entry 8/) }]);
    }));

    it('rejects a malformed --expect-head naming the flag', async () => {
      await expect(verifyAuditCommand(db.store, { expectHead: '12:abc' })).rejects.toMatchObject({ code: 'VALIDATION', issues: [{ field: '--expect-head' }] });
    });
  });

  describe('HTTP', () => {
    let t: TestApp;
    let admin: { token: string };
    let viewer: { token: string };
    let responder: { token: string };
    beforeAll(async () => {
      t = await createTestApp(dialect);
      admin = await t.userWithKey('admin');
      viewer = await t.userWithKey('viewer');
      responder = await t.userWithKey('responder');
      for (const slug of ['a', 'b', 'c']) await t.app.inject({ method: 'POST', url: '/api/v1/teams', payload: { slug, name: slug }, headers: bearer(admin.token) });
    });
    afterAll(() => t?.close());

    it('lists entries newest first for admins only, filtered by action and paged', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer(viewer.token) })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer(responder.token) })).statusCode).toBe(403);
      const page1 = (await t.app.inject({ method: 'GET', url: '/api/v1/audit?action=team&limit=2', headers: bearer(admin.token) })).json();
      expect(page1.items.map((e: { data: { slug: string } }) => e.data.slug)).toEqual(['c', 'b']);
      expect(page1.items[0]).toMatchObject({ action: 'team.create', actor: { type: 'apiKey' } });
      const page2 = (await t.app.inject({ method: 'GET', url: `/api/v1/audit?action=team.create&limit=2&cursor=${page1.nextCursor}`, headers: bearer(admin.token) })).json();
      expect(page2.items.map((e: { data: { slug: string } }) => e.data.slug)).toEqual(['a']);
      expect(page2.nextCursor).toBeNull();
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=0', headers: bearer(admin.token) })).statusCode).toBe(400);
    });

    it('verifies the chain for admins', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: bearer(viewer.token) })).statusCode).toBe(403);
      const res = (await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: bearer(admin.token) })).json();
      expect(res).toMatchObject({ ok: true, problems: [] });
      expect(res.head).toBe(`${res.headSeq}:${res.headHash}`);
      const again = (await t.app.inject({ method: 'GET', url: `/api/v1/audit/verify?expectHead=${res.head}`, headers: bearer(admin.token) })).json();
      expect(again.ok).toBe(true);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify?expectHead=nope', headers: bearer(admin.token) })).statusCode).toBe(400);
    });
  });

  // Defined only for PostgreSQL (SQLite is single-instance by design), so nothing is skipped.
  if (dialect === 'postgres') it('200 concurrent writes from two instances keep one unforked chain', async () => {
    const db = await databaseWithEntries(dialect, 0);
    try {
      const stores = [db.openAnother(), db.openAnother()];
      const start = (await head(db.store)).seq;
      await Promise.all(Array.from({ length: 200 }, (_, i) => {
        const store = stores[i % 2]!;
        return store.transaction((tx) => recordAudit(ctxFor(store), tx, { action: 'test.concurrent', target: `w${i}` }));
      }));
      const result = await verifyAuditLog(db.store.db);
      expect(result).toMatchObject({ ok: true, entries: start + 200, headSeq: start + 200, problems: [] });
      const targets = await db.store.db.selectFrom('audit_log').select('target').where('action', '=', 'test.concurrent').execute();
      expect(new Set(targets.map((r) => r.target)).size).toBe(200);
    } finally {
      await db.drop();
    }
  });
});
