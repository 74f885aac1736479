import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { randomToken } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { Ctx } from '../domain/context.js';
import type { IncidentHook } from '../domain/incidents/hooks.js';
import { createLinkSigner, type LinkSigner } from '../domain/paging/ack-token.js';
import { createPagingHook } from '../domain/paging/escalation-hook.js';
import type { HealthRegistry } from '../http/health.js';
import type { RouteTable } from '../http/route.js';
import { registerAudienceRoutes } from '../http/routes/audiences.js';
import { registerPagingPublicRoutes } from '../http/routes/paging-public.js';
import { registerPagingRoutes } from '../http/routes/paging.js';
import { registerSubscriberPublicRoutes } from '../http/public/subscriber-routes.js';
import { registerSubscriberRoutes } from '../http/routes/subscribers.js';
import { closeSmtpTransports, prepareSmtpTransport } from '../notify/email/send.js';
import type { ChannelDeps } from '../notify/registry.js';
import { parseOutboundAllow, type Resolver } from '../notify/ssrf.js';
import type { MetricsRegistry } from '../observability/metrics.js';
import { afterCommit, type Store } from '../store/index.js';
import { EscalationAuditor, startHeartbeat } from '../worker/auditor.js';
import { Worker, type DeliveryEvent, type WorkerDeps, type WorkerOptions } from '../worker/worker.js';

export interface PagingConfig {
  publicUrl: string;
  outboundAllow: string;
  secret?: string | undefined;
  smtpUrl?: string | undefined;
  smtpFrom: string;
  slackSigningSecret?: string | undefined;
  heartbeatUrl?: string | undefined;
  auditorOverdueSeconds: number;
  /** A delivery unsent this long after it fell due is reported (default 300). */
  auditorRetryingSeconds?: number;
  /** A delivery that failed for good is reported this long (default 3600). */
  auditorFailedWindowSeconds?: number;
  /** Run the worker (timers, deliveries, auditor, heartbeat) in this process. */
  worker: boolean;
}

export interface PagingRuntime {
  hook: IncidentHook;
  worker: Worker;
  auditor: EscalationAuditor;
  links: LinkSigner;
  keys: { link: string; feed: string };
  channels: ChannelDeps;
  /** Route groups for buildApp's `extraRoutes`. */
  routes: ((app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx) => void)[];
  start(): void;
  stop(): Promise<void>;
}

/**
 * Loads a server key: the configured secret, else the one stored on first start. Insert-if-absent
 * then read, so two instances starting together agree on one key.
 */
export async function loadOrCreateKey(store: Store, name: string, configured: string | undefined, now: number): Promise<string> {
  if (configured) return `${name}:${configured}`;
  await store.db
    .insertInto('paging_keys')
    .values({ name, value: randomToken(32), created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await store.db.selectFrom('paging_keys').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

/** Wires paging: the incident hook, the worker, the auditor, the heartbeat and the routes. */
export async function createPagingRuntime(deps: {
  store: Store;
  clock: Clock;
  log: Logger;
  metrics: MetricsRegistry;
  health?: HealthRegistry;
  config: PagingConfig;
  /** Injected DNS for tests; the system resolver otherwise. */
  resolve?: Resolver;
  workerOptions?: Partial<WorkerOptions>;
  onDelivery?: (event: DeliveryEvent) => void;
  beforeSend?: WorkerDeps['beforeSend'];
  /** The other modules' hooks, so incidents the worker re-triggers run them too. */
  otherHooks?: readonly IncidentHook[];
  instanceId?: string;
}): Promise<PagingRuntime> {
  const { store, clock, log, metrics, config } = deps;
  const { policy, problems } = parseOutboundAllow(config.outboundAllow);
  if (problems.length) throw new Error(problems.join('; '));
  const now = clock.now();
  const keys = {
    link: await loadOrCreateKey(store, 'link', config.secret, now),
    feed: await loadOrCreateKey(store, 'feed', config.secret, now),
  };
  const links = createLinkSigner(keys.link);
  const sendTimeoutMs = deps.workerOptions?.sendTimeoutMs ?? 15_000;
  const channels: ChannelDeps = {
    outbound: { policy, ...(deps.resolve ? { resolve: deps.resolve } : {}), timeoutMs: sendTimeoutMs },
    smtp: { url: config.smtpUrl, from: config.smtpFrom, timeoutMs: sendTimeoutMs },
    nowMs: () => clock.now(),
  };
  let worker: Worker | null = null;
  // The worker is told after the commit that made the timer, so its first look finds it. A first
  // level due at once is stepped in the opening transaction and sent by this process's worker
  // right after the commit (config.worker false: no running worker, so the timer path).
  const hook = createPagingHook({
    wakeup: (at, tx) => afterCommit(tx, () => worker?.wake(at)),
    firstStep: { claim: () => worker?.claimOnInsert() ?? null, send: (rows) => worker?.sendClaimed(rows) },
  });
  const incidentHooks = [...(deps.otherHooks ?? []), hook];
  worker = new Worker({
    store, clock, log, incidentHooks, channels, publicUrl: config.publicUrl, links, metrics,
    ...(deps.workerOptions ? { options: deps.workerOptions } : {}),
    ...(deps.onDelivery ? { onDelivery: deps.onDelivery } : {}),
    ...(deps.beforeSend ? { beforeSend: deps.beforeSend } : {}),
    ...(deps.instanceId ? { instanceId: deps.instanceId } : {}),
  });
  const auditor = new EscalationAuditor({
    store, clock, log, metrics,
    overdueMs: config.auditorOverdueSeconds * 1000,
    retryingMs: (config.auditorRetryingSeconds ?? 300) * 1000,
    failedWindowMs: (config.auditorFailedWindowSeconds ?? 3600) * 1000,
  });
  if (config.worker) {
    deps.health?.register('escalation-auditor', () => auditor.health());
    deps.health?.register('deliveries', () => auditor.deliveriesHealth());
  }
  let heartbeat: { stop(): void } | null = null;
  const routes: PagingRuntime['routes'] = [
    (app, table, buildCtx) => registerPagingRoutes(app, table, buildCtx, { channels, keys, publicUrl: config.publicUrl, wake: (at: number) => worker?.wake(at) }),
    (app, table, buildCtx) => registerAudienceRoutes(app, table, buildCtx, { channels }),
    (app, table, buildCtx) => registerPagingPublicRoutes(app, table, buildCtx, { links, keys, slackSigningSecret: config.slackSigningSecret, publicUrl: config.publicUrl }),
    // Status page subscribers live here: they need the channels (SSRF guard) and the worker's wake.
    (app, table, buildCtx) => registerSubscriberRoutes(app, table, buildCtx, { channels, wake: (at: number) => worker?.wake(at) }),
    (app, table, buildCtx) => registerSubscriberPublicRoutes(app, table, buildCtx, { wake: (at: number) => worker?.wake(at) }),
  ];
  return {
    hook, worker, auditor, links, keys, channels, routes,
    start: () => {
      if (!config.worker) return;
      worker!.start();
      // In the background: the first page or subscriber mail then finds the library loaded.
      void prepareSmtpTransport(channels.smtp).catch((error: unknown) => log.warn('notify', 'could not prepare the SMTP transport; the first mail will', { error: (error as Error).message }));
      auditor.start(30_000);
      if (config.heartbeatUrl) {
        const w = worker!;
        heartbeat = startHeartbeat({
          url: config.heartbeatUrl,
          intervalMs: 60_000,
          log,
          // Alive = the loop went round recently and the auditor sees nothing overdue.
          healthy: () => w.running && Date.now() - w.lastLoopAt < 30_000 && auditor.health().ok,
        });
      }
    },
    stop: async () => {
      heartbeat?.stop();
      auditor.stop();
      await worker!.stop();
      closeSmtpTransports();
    },
  };
}
