import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { listOpenAlerts, type OpenAlert } from '../../domain/alerts/list-open-alerts.js';
import { listIntegrations } from '../../domain/alerts/integrations.js';
import type { Ctx } from '../../domain/context.js';
import { route, type RouteTable } from '../route.js';

/**
 * The read half of Alertmanager's API v2, so `amtool alert query`, `amtool config show` and
 * Grafana's Alertmanager data source work against Firebreak with the same base URL and API key
 * they use for silences. Shapes follow Alertmanager's OpenAPI (gettableAlert, alertmanagerStatus,
 * receiver); Firebreak's integrations stand in for receivers.
 */
const START = Date.now() - Math.round(process.uptime() * 1000);

/** Alertmanager's booleans arrive as "true"/"false"; anything else is a 400 naming the field. */
const flag = z.enum(['true', 'false']).transform((v) => v === 'true').optional();
const AlertsQuery = z.object({
  active: flag, silenced: flag, inhibited: flag, unprocessed: flag,
  receiver: z.string().max(200).optional(),
  filter: z.union([z.string(), z.array(z.string())]).optional(),
});

/** gettableAlert: an open alert as an Alertmanager would list it. */
export function toGettableAlert(a: OpenAlert): Record<string, unknown> {
  return {
    labels: a.labels,
    annotations: a.annotations,
    startsAt: a.startedAt ?? a.firstSeenAt,
    // Alertmanager always sends an end; for alerts without one it is in the past-less future.
    endsAt: a.endsAt ?? '0001-01-01T00:00:00.000Z',
    updatedAt: a.lastSeenAt,
    generatorURL: a.generatorUrl ?? '',
    fingerprint: a.dedupKey,
    receivers: [{ name: a.integrationName }],
    status: { state: a.state, silencedBy: a.suppressedBy ? [a.suppressedBy] : [], inhibitedBy: [] },
  };
}

export function registerAlertmanagerReadRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: { version: string }): void {
  route(app, table, {
    method: 'GET', url: '/api/v2/alerts', tag: 'alertmanager', access: 'read', query: AlertsQuery,
    summary: 'Open alerts as Alertmanager API v2 lists them (`amtool alert query`). `filter` takes matchers; `active`/`silenced` as Alertmanager; `receiver` is an integration name.',
    handler: async ({ ctx, query }) => {
      const integration = query.receiver ? (await listIntegrations({ ctx })).find((i) => i.name === query.receiver) : undefined;
      // An unknown receiver matches nothing, as in Alertmanager.
      if (query.receiver && !integration) return [];
      const filter = query.filter === undefined ? [] : Array.isArray(query.filter) ? query.filter : [query.filter];
      const { alerts } = await listOpenAlerts({
        ctx, input: { filter, active: query.active ?? true, silenced: query.silenced ?? true, ...(integration ? { integration: integration.id } : {}) },
      });
      return alerts.map(toGettableAlert);
    },
  }, buildCtx);
  route(app, table, {
    method: 'GET', url: '/api/v2/status', tag: 'alertmanager', access: 'read',
    summary: 'Alertmanager API v2 status (cluster, version, uptime), as Grafana and `amtool config show` read it.',
    handler: async () => ({
      cluster: { name: 'firebreak', status: 'ready', peers: [] },
      versionInfo: { version: deps.version, revision: '', branch: '', buildUser: 'firebreak', buildDate: '', goVersion: '' },
      // Firebreak's routing is not an Alertmanager config file; firebreak.yaml holds it.
      config: { original: '' },
      uptime: new Date(START).toISOString(),
    }),
  }, buildCtx);
  route(app, table, {
    method: 'GET', url: '/api/v2/receivers', tag: 'alertmanager', access: 'read',
    summary: 'Alertmanager API v2 receivers: the integration names.',
    handler: async ({ ctx }) => (await listIntegrations({ ctx })).map((i) => ({ name: i.name })),
  }, buildCtx);
}
