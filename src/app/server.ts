import { DOMAIN_INCIDENT_HOOKS } from './incident-hooks.js';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { systemActor } from '../core/actor.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { configProblemAt, ConfigFileError, loadConfigFile, type LoadedConfig } from '../config/config-file.js';
import { readIntegrationKeys } from '../config/integration-keys.js';
import type { EnvConfig } from '../config/env-config.js';
import { isAppError } from '../core/errors.js';
import { ensureDefaults } from '../domain/bootstrap.js';
import { applyConfig } from '../domain/config/apply-config.js';
import type { Ctx } from '../domain/context.js';
import { DEFAULT_DIGEST, ensureDigestTimer } from '../domain/actions/index.js';
import { buildApp } from '../http/app.js';
import { httpLimits } from '../http/connection-limits.js';
import { ingestServiceOf } from '../http/routes/ingest.js';
import { startHeartbeatChecks } from '../ingest/heartbeat-checker.js';
import { startAlertExpiry } from '../ingest/alert-expiry.js';
import { startReportScheduler } from '../worker/report-scheduler.js';
import { startRetention } from '../worker/retention.js';
import type { WorkerOptions } from '../worker/worker-options.js';
import { HealthRegistry } from '../http/health.js';
import { MetricsRegistry, registerProcessMetrics } from '../observability/metrics.js';
import { migrateToLatest, openStore, type Store } from '../store/index.js';
import { startDatabaseClock } from './clock-sync.js';
import { startMemoryTrim } from './memory-trim.js';
import { createPagingRuntime } from './paging.js';
import { startPublicEdge, type PublicEdge } from './public-edge.js';
import { startRunbookDirectory } from './runbook-directory.js';
import { VERSION } from './version.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  /** The public edge's own listener (FIREBREAK_PUBLIC_PORT), when it runs. */
  publicEdgeUrl: string | null;
  stop(): Promise<void>;
}

/** The worker's knobs that the environment sets (docs/configuration.md); the rest keep their defaults. */
export function workerOptionsFromEnv(config: EnvConfig): Partial<WorkerOptions> {
  return { bulkConcurrency: config.FIREBREAK_BULK_SEND_CONCURRENCY, bulkRateWhilePaging: config.FIREBREAK_BULK_RATE_WHILE_PAGING };
}

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * The composition root for `firebreak serve`: open the store, migrate under a lock, create
 * defaults, build the app, listen. Everything is passed down; nothing reads the environment
 * below this point.
 */
export async function startServer(config: EnvConfig, options: { log: Logger; clock?: Clock; webRoot?: string | null; onAdminCreated?: (email: string, password: string, url: string) => void }): Promise<RunningServer> {
  // An invalid firebreak.yaml stops the start before anything is touched, listing every problem.
  const loadedConfig = config.FIREBREAK_CONFIG ? loadConfigFile(config.FIREBREAK_CONFIG) : null;
  // Integration keys live in files or variables named by the file (never in it); read them here too.
  const integrationKeys = loadedConfig ? readIntegrationKeys(loadedConfig, process.env) : new Map<string, string>();
  const store = openStore(config.DATABASE_URL, {
    poolSize: config.FIREBREAK_DB_POOL_SIZE,
    postgresTimeouts: { connectMs: config.FIREBREAK_DB_CONNECT_TIMEOUT_MS, statementMs: config.FIREBREAK_DB_STATEMENT_TIMEOUT_MS },
    log: options.log,
  });
  // PostgreSQL: migrations run on a connection of their own with no statement timeout, so one
  // that rewrites a large table (0012 redacts every stored payload) does not fail the start.
  const migrationStore = store.dialect.name === 'postgres' ? openStore(config.DATABASE_URL, { poolSize: 1, log: options.log }) : store;
  let report: Awaited<ReturnType<typeof migrateToLatest>>;
  try {
    report = await migrateToLatest(migrationStore.dialect);
  } finally {
    if (migrationStore !== store) await migrationStore.close();
  }
  if (report.applied.length) options.log.info('store', 'migrations applied', { applied: report.applied });
  // PostgreSQL: every instance on the database server's time, so a skewed host fires no timer early.
  const databaseClock = await startDatabaseClock(store, options.clock ?? systemClock, options.log);
  const clock: Clock = databaseClock?.clock ?? options.clock ?? systemClock;
  const ctx: Ctx = { actor: systemActor('bootstrap'), clock, log: options.log, requestId: 'bootstrap', store };
  const { adminCreated } = await ensureDefaults({ ctx, input: { adminEmail: config.FIREBREAK_ADMIN_EMAIL } });
  if (loadedConfig) {
    try {
      await applyConfigFile({ ...ctx, actor: systemActor('firebreak.yaml') }, loadedConfig, integrationKeys);
    } catch (e) {
      await store.close();
      throw e;
    }
  }
  // The weekly action-item digest's durable timer (kept if already set for this schedule).
  await ensureDigestTimer(ctx, loadedConfig?.config.actionItems?.digest ?? DEFAULT_DIGEST);

  const runbookDir = loadedConfig?.config.runbooks
    ? startRunbookDirectory(ctx, resolve(dirname(loadedConfig.file), loadedConfig.config.runbooks.directory), { watch: loadedConfig.config.runbooks.watch })
    : null;
  await runbookDir?.syncNow();

  const metrics = new MetricsRegistry();
  registerProcessMetrics(metrics, clock.now());
  const health = new HealthRegistry();
  databaseClock?.register(metrics, health);
  const paging = await createPagingRuntime({
    store, clock, log: options.log, metrics, health,
    config: {
      publicUrl: config.publicUrl,
      outboundAllow: config.FIREBREAK_OUTBOUND_ALLOW,
      secret: config.FIREBREAK_SECRET,
      smtpUrl: config.FIREBREAK_SMTP_URL,
      smtpFrom: config.FIREBREAK_SMTP_FROM,
      slackSigningSecret: config.FIREBREAK_SLACK_SIGNING_SECRET,
      heartbeatUrl: config.FIREBREAK_HEARTBEAT_URL,
      auditorOverdueSeconds: config.FIREBREAK_AUDITOR_OVERDUE_SECONDS,
      auditorRetryingSeconds: config.FIREBREAK_AUDITOR_RETRYING_SECONDS,
      auditorFailedWindowSeconds: config.FIREBREAK_AUDITOR_FAILED_WINDOW_SECONDS,
      worker: config.FIREBREAK_ROLES.includes('worker'),
    },
    otherHooks: [...DOMAIN_INCIDENT_HOOKS],
    workerOptions: workerOptionsFromEnv(config),
  });
  let edge: PublicEdge | null = null;
  const { app } = await buildApp({
    onPublicChange: () => edge?.changed(),
    extraRoutes: [...paging.routes],
    store, clock, log: options.log, metrics, health, publicUrl: config.publicUrl, version: VERSION,
    incidentHooks: [...DOMAIN_INCIDENT_HOOKS, paging.hook],
    webRoot: options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot,
    trustedProxies: config.FIREBREAK_TRUSTED_PROXIES,
    accessLog: config.FIREBREAK_ACCESS_LOG === 'on',
    ...(config.FIREBREAK_METRICS_TOKEN ? { metricsToken: config.FIREBREAK_METRICS_TOKEN } : {}),
    secureCookies: config.FIREBREAK_SECURE_COOKIES === 'auto' ? config.publicUrl.startsWith('https://') : config.FIREBREAK_SECURE_COOKIES === 'true',
    httpLimits: httpLimits(config.FIREBREAK_HTTP_REQUEST_TIMEOUT_SECONDS),
    ingestDefaults: {
      rateLimit: config.FIREBREAK_INGEST_RATE_PER_SECOND > 0 ? { perSecond: config.FIREBREAK_INGEST_RATE_PER_SECOND, burst: config.FIREBREAK_INGEST_RATE_BURST } : null,
      storm: config.FIREBREAK_INGEST_STORM_INCIDENTS > 0 ? { maxIncidents: config.FIREBREAK_INGEST_STORM_INCIDENTS, withinMinutes: config.FIREBREAK_INGEST_STORM_MINUTES } : null,
    },
  });
  const ingestService = ingestServiceOf(app);
  const stopMemoryTrim = ingestService ? startMemoryTrim({ committedAlerts: () => ingestService.queue.stats.weight, isIdle: () => ingestService.queue.isIdle }) : () => {};
  const stopHeartbeats = ingestService ? startHeartbeatChecks({ store, clock, log: options.log, service: ingestService }) : () => {};
  // Alertmanager-API alerts that stopped being posted resolve when their endsAt passes.
  const stopExpiry = ingestService ? startAlertExpiry({ store, clock, log: options.log, service: ingestService }) : async () => {};
  const stopRetention = config.FIREBREAK_ROLES.includes('worker')
    ? startRetention({ store, clock, log: options.log, rawPayloadDays: config.FIREBREAK_RAW_PAYLOAD_RETENTION_DAYS, changeEventDays: config.FIREBREAK_CHANGE_EVENT_RETENTION_DAYS })
    : async () => {};
  const stopReports = config.FIREBREAK_ROLES.includes('worker')
    ? startReportScheduler({
      store, clock, log: options.log, publicUrl: config.publicUrl, smtp: { url: config.FIREBREAK_SMTP_URL, from: config.FIREBREAK_SMTP_FROM, timeoutMs: 30_000 },
      pagingRecently: () => paging.worker.pagingRecently(),
    })
    : async () => {};
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  const port = new URL(address).port;
  const url = config.PUBLIC_URL ? config.publicUrl : `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  const stop = async () => {
    await edge?.stop();
    // The worker first: it hands its claims back at once so another instance takes over.
    await paging.stop();
    databaseClock?.stop();
    runbookDir?.stop();
    stopMemoryTrim();
    stopHeartbeats();
    await stopExpiry();
    await stopRetention();
    await stopReports();
    await app.close();
    await store.close();
  };
  if (config.FIREBREAK_PUBLIC_PORT !== undefined) {
    try {
      edge = await startPublicEdge({
        databaseUrl: config.DATABASE_URL, host: config.HOST, port: config.FIREBREAK_PUBLIC_PORT, publicUrl: config.publicUrl,
        upstream: `http://${config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST}:${port}`,
        httpLimits: httpLimits(config.FIREBREAK_HTTP_REQUEST_TIMEOUT_SECONDS), nice: config.FIREBREAK_PUBLIC_NICE,
      }, options.log);
    } catch (e) {
      await stop();
      throw e;
    }
  }
  if (adminCreated) options.onAdminCreated?.(adminCreated.email, adminCreated.password, url);
  paging.start();
  options.log.info('lifecycle', 'listening', { url, store: store.dialect.description, roles: config.FIREBREAK_ROLES, ...(edge ? { publicEdge: edge.url } : {}) });
  return { app, store, url, publicEdgeUrl: edge?.url ?? null, stop };
}

/** Applies the file; a problem only the database can reveal is reported at its place in the file. */
async function applyConfigFile(ctx: Ctx, loaded: LoadedConfig, integrationKeys: ReadonlyMap<string, string>): Promise<void> {
  try {
    const result = await applyConfig({ ctx, input: { config: loaded.config, file: loaded.file, integrationKeys } });
    ctx.log.info('config', result.changed ? 'firebreak.yaml applied' : 'firebreak.yaml unchanged', { file: loaded.file, changes: result.changes.slice(0, 50), total: result.changes.length });
  } catch (e) {
    if (!isAppError(e)) throw e;
    const issues = e.issues.length ? e.issues : [{ field: '', message: e.message }];
    throw new ConfigFileError(issues.map((i) => configProblemAt(loaded, i.field, i.message)));
  }
}
