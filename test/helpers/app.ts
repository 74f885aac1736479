import { DOMAIN_INCIDENT_HOOKS } from '../../src/app/incident-hooks.js';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../src/core/actor.js';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { ensureDefaults } from '../../src/domain/bootstrap.js';
import type { Ctx } from '../../src/domain/context.js';
import { createApiKey } from '../../src/domain/users/manage-api-keys.js';
import { hashPassword } from '../../src/domain/users/passwords.js';
import { newId } from '../../src/core/ids.js';
import { buildApp, type AppDeps } from '../../src/http/app.js';
import { HealthRegistry } from '../../src/http/health.js';
import type { RouteTable } from '../../src/http/route.js';
import { MetricsRegistry } from '../../src/observability/metrics.js';
import type { Store } from '../../src/store/index.js';
import { createPagingRuntime, type PagingConfig, type PagingRuntime } from '../../src/app/paging.js';
import type { Resolver } from '../../src/notify/ssrf.js';
import type { DeliveryEvent, WorkerDeps, WorkerOptions } from '../../src/worker/worker.js';
import { createTestDatabase, type DialectName, type TestDatabase } from './dialects.js';

/** Paging in tests: the worker is not started; tests drive it with `t.paging.worker.drain()`. */
export interface TestPagingOptions {
  config?: Partial<PagingConfig>;
  resolve?: Resolver;
  workerOptions?: Partial<WorkerOptions>;
  onDelivery?: (event: DeliveryEvent) => void;
  beforeSend?: WorkerDeps['beforeSend'];
}

export interface TestApp {
  db: TestDatabase;
  store: Store;
  app: FastifyInstance;
  routes: RouteTable;
  clock: ManualClock;
  paging: PagingRuntime;
  ctx(actor?: Actor): Ctx;
  /** Creates a user with the role and returns an API key acting as them. */
  userWithKey(role: 'admin' | 'responder' | 'viewer', scopes?: ('read' | 'write' | 'admin' | 'ingest')[]): Promise<{ userId: string; email: string; token: string; password: string }>;
  close(): Promise<void>;
}

let seq = 0;

/** A migrated database with defaults, an in-process app, and a clock the test moves. */
export async function createTestApp(dialect: DialectName, options: { start?: string; paging?: TestPagingOptions; database?: TestDatabase; log?: Logger; app?: Pick<AppDeps, 'httpLimits' | 'ingestDefaults' | 'accessLog'>; http?: Pick<AppDeps, 'trustedProxies' | 'metricsToken'> } = {}): Promise<TestApp> {
  const db = options.database ?? await createTestDatabase(dialect);
  const clock = new ManualClock(options.start ?? '2026-03-01T10:00:00Z');
  const metrics = new MetricsRegistry();
  const log = options.log ?? silentLogger;
  const health = new HealthRegistry();
  const paging = await createPagingRuntime({
    store: db.store, clock, log, metrics, health,
    config: { publicUrl: 'http://firebreak.test', outboundAllow: '', smtpFrom: 'Firebreak <firebreak@example.test>', auditorOverdueSeconds: 60, worker: false, ...options.paging?.config },
    ...(options.paging?.resolve ? { resolve: options.paging.resolve } : {}),
    ...(options.paging?.workerOptions ? { workerOptions: options.paging.workerOptions } : {}),
    ...(options.paging?.onDelivery ? { onDelivery: options.paging.onDelivery } : {}),
    ...(options.paging?.beforeSend ? { beforeSend: options.paging.beforeSend } : {}),
    otherHooks: [...DOMAIN_INCIDENT_HOOKS],
  });
  const incidentHooks = [...DOMAIN_INCIDENT_HOOKS, paging.hook];
  const ctx = (actor: Actor = { type: 'system', name: 'test' }): Ctx => ({ actor, clock, log, requestId: 'test', store: db.store, incidentHooks });
  await ensureDefaults({ ctx: ctx(), input: { adminEmail: 'admin@example.test' } });
  const { app, routes } = await buildApp({ store: db.store, clock, log, metrics, health, publicUrl: 'http://firebreak.test', version: 'test', webRoot: null, incidentHooks, extraRoutes: [...paging.routes], checkResponses: true, ...options.app, ...options.http });
  await app.ready();
  return {
    db, store: db.store, app, routes, clock, ctx, paging,
    userWithKey: async (role, scopes) => {
      const n = ++seq;
      const email = `${role}${n}@example.test`;
      const password = `pw-${role}-${n}-long-enough`;
      const now = clock.now();
      const userId = newId('usr', now);
      await db.store.db
        .insertInto('users')
        .values({ id: userId, email, name: `${role[0]!.toUpperCase()}${role.slice(1)} ${n}`, role, password_hash: await hashPassword(password), time_zone: 'UTC', disabled: 0, managed_by: null, created_at: now, updated_at: now })
        .execute();
      const key = await createApiKey({
        ctx: ctx({ type: 'user', id: userId, name: email, role }),
        input: { name: `test ${n}`, scopes: scopes ?? (role === 'admin' ? ['admin'] : role === 'responder' ? ['write'] : ['read']) },
      });
      return { userId, email, token: key.token, password };
    },
    close: async () => {
      await paging.stop();
      await app.close();
      await db.drop();
      // Also caught when a test never looked at the status of the answer that broke its schema.
      if (routes.responseMismatches.length) throw new Error(`answers outside their response schemas:\n${routes.responseMismatches.join('\n')}`);
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
