import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getAlert } from '../../domain/alerts/alert-queries.js';
import { IncidentAlertsInput, listIncidentAlertsPage } from '../../domain/alerts/incident-alerts.js';
import { listAlerts } from '../../domain/alerts/search-alerts.js';
import { listIncidentChanges, listServiceChanges } from '../../domain/alerts/change-events.js';
import {
  createIntegration, deleteIntegration, getIntegration, listIntegrations, rotateIntegrationKey, senderConfig, updateIntegration,
  type IntegrationView,
} from '../../domain/alerts/integrations.js';
import {
  createMaintenanceWindow, deleteMaintenanceWindow, endMaintenanceWindow, getMaintenanceWindow, listMaintenanceWindows, updateMaintenanceWindow,
} from '../../domain/alerts/maintenance-windows.js';
import { createRoutingRule, deleteRoutingRule, expireSilence, getSilence, listRoutingRules, listSilences, upsertSilence } from '../../domain/alerts/noise.js';
import { previewSilence } from '../../domain/alerts/preview-silence.js';
import type { Ctx } from '../../domain/context.js';
import { releaseHeldAlerts } from '../../ingest/alert-release.js';
import type { IngestService } from '../../ingest/ingest-service.js';
import type { AppDeps } from '../app.js';
import { queryList, route, type RouteTable } from '../route.js';
import { registerAlertmanagerReadRoutes } from './alertmanager-read.js';
import {
  AlertDetail, AlertPage, IncidentAlertsPage, Integration, IntegrationList, IntegrationWithKey, MaintenanceWindow, MaintenanceWindowList, Silence, SilenceList,
  SilencePreview, SilenceSaved,
} from '../views/alerts.js';

/**
 * Management API for ingestion (integrations, alerts, routing rules, silences, maintenance)
 * plus the Alertmanager-compatible silences API that amtool speaks. All through `route()`,
 * so every one is in the OpenAPI document and the auth-coverage test.
 */
export function registerAlertAdminRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: AppDeps, service: IngestService): void {
  const withSender = (view: IntegrationView, key: string | null) => ({ ...view, sender: senderConfig(view, deps.publicUrl, key) });
  /**
   * After a silence or maintenance window ended by request: the alerts it held page now, not at
   * the next sweep. The end is committed already, so a failure here only delays them to the
   * sweep (alert-expiry.ts), and the request still succeeds.
   */
  const release = async (heldBy: string): Promise<void> => {
    try {
      await releaseHeldAlerts({ store: deps.store, clock: deps.clock, service, heldBy });
    } catch (error) {
      deps.log.warn('ingest', 'releasing held alerts failed; the periodic sweep retries', { heldBy, error: (error as Error).message });
    }
  };

  route(app, table, {
    method: 'POST', url: '/api/v1/integrations', noStore: true, tag: 'integrations', access: 'admin', status: 201, body: z.unknown(),
    response: IntegrationWithKey,
    summary: 'Create an integration (ingest endpoint). The key, URL and sender config snippet are in this response only.',
    handler: async ({ ctx, body }) => {
      const { integration, key } = await createIntegration({ ctx, input: body });
      service.invalidateKeys();
      return { ...withSender(integration, key), key };
    },
  }, buildCtx);
  route(app, table, {
    method: 'GET', url: '/api/v1/integrations', tag: 'integrations', access: 'read',
    response: IntegrationList,
    summary: 'List integrations (keys are never returned, only their last 4 characters).',
    handler: async ({ ctx }) => ({ items: (await listIntegrations({ ctx })).map((i) => withSender(i, null)) }),
  }, buildCtx);
  route(app, table, {
    method: 'GET', url: '/api/v1/integrations/:id', tag: 'integrations', access: 'read',
    response: Integration,
    summary: 'Show one integration with its URL and sender config snippet.',
    handler: async ({ ctx, params }) => withSender(await getIntegration({ ctx, input: { integration: params.id } }), null),
  }, buildCtx);
  route(app, table, {
    method: 'PATCH', url: '/api/v1/integrations/:id', tag: 'integrations', access: 'admin', body: z.record(z.string(), z.unknown()),
    response: Integration,
    summary: 'Change name, service, settings or disabled.',
    handler: async ({ ctx, params, body }) => {
      const view = await updateIntegration({ ctx, input: { ...body, integration: params.id } });
      service.invalidateKeys();
      return withSender(view, null);
    },
  }, buildCtx);
  route(app, table, {
    method: 'POST', url: '/api/v1/integrations/:id/rotate-key', noStore: true, tag: 'integrations', access: 'admin',
    response: IntegrationWithKey,
    summary: 'Replace the key; the old one stops working. The new key is in this response only.',
    handler: async ({ ctx, params }) => {
      const { integration, key } = await rotateIntegrationKey({ ctx, input: { integration: params.id } });
      service.invalidateKeys();
      return { ...withSender(integration, key), key };
    },
  }, buildCtx);
  route(app, table, {
    method: 'DELETE', url: '/api/v1/integrations/:id', tag: 'integrations', access: 'admin', status: 204,
    summary: 'Delete an integration; its key stops working, its alerts stay.',
    handler: async ({ ctx, params }) => {
      await deleteIntegration({ ctx, input: { integration: params.id } });
      service.invalidateKeys();
    },
  }, buildCtx);

  route(app, table, {
    method: 'GET', url: '/api/v1/alerts', tag: 'alerts', access: 'read',
    response: AlertPage,
    summary: 'List alerts, newest first, in keyset pages (`before` = the previous page\'s `next`); filter by status (open, firing, acknowledged, resolved, suppressed), integration (id), incident (id), label `matchers` (Alertmanager syntax), first received `since`/`until` (ISO 8601). `scanLimited` says the search stopped at its bound of alerts read: `next` searches on.',
    handler: async ({ ctx, query }) => listAlerts({ ctx, input: query }),
  }, buildCtx);
  route(app, table, {
    method: 'GET', url: '/api/v1/alerts/:id', tag: 'alerts', access: 'read',
    response: AlertDetail,
    summary: 'One alert with its raw payload and the decision: why it did or did not page.',
    handler: async ({ ctx, params }) => getAlert({ ctx, input: { alert: params.id! } }),
  }, buildCtx);
  route(app, table, {
    method: 'GET', url: '/api/v1/incidents/:ref/alerts', tag: 'alerts', access: 'read',
    response: IncidentAlertsPage,
    summary: 'The alerts grouped into an incident, first received first, with their links, images, custom_details and tags; counts and first/last seen over all of them; paged: ?limit (default 50, at most 500), ?after=<next>.',
    query: IncidentAlertsInput.omit({ incident: true }),
    handler: async ({ ctx, params, query }) => listIncidentAlertsPage({ ctx, input: { ...(query as object), incident: params.ref! } }),
  }, buildCtx);

  route(app, table, {
    method: 'GET', url: '/api/v1/incidents/:ref/changes', tag: 'alerts', access: 'read',
    summary: 'Change events (deploys, config changes) of the incident\'s service from a day before it was detected until it resolved.',
    handler: async ({ ctx, params }) => ({ items: await listIncidentChanges({ ctx, input: { incident: params.ref! } }) }),
  }, buildCtx);
  route(app, table, {
    method: 'GET', url: '/api/v1/services/:ref/changes', tag: 'alerts', access: 'read',
    summary: 'Recent change events of a service, last received first (PagerDuty /v2/change/enqueue); ?limit, ?before=<change id>.',
    handler: async ({ ctx, params, query }) => listServiceChanges({ ctx, input: { ...(query as object), service: params.ref! } }),
  }, buildCtx);

  route(app, table, {
    method: 'GET', url: '/api/v1/routing-rules', tag: 'routing', access: 'read',
    summary: 'Routing rules in evaluation order (first match wins).',
    handler: async ({ ctx }) => ({ items: await listRoutingRules({ ctx }) }),
  }, buildCtx);
  route(app, table, {
    method: 'POST', url: '/api/v1/routing-rules', tag: 'routing', access: 'admin', status: 201, body: z.unknown(),
    summary: 'Add a routing rule: matchers → service / severity / drop.',
    handler: async ({ ctx, body }) => createRoutingRule({ ctx, input: body }),
  }, buildCtx);
  route(app, table, {
    method: 'DELETE', url: '/api/v1/routing-rules/:id', tag: 'routing', access: 'admin', status: 204,
    summary: 'Delete a routing rule.',
    handler: async ({ ctx, params }) => deleteRoutingRule({ ctx, input: { rule: params.id } }),
  }, buildCtx);

  route(app, table, {
    method: 'GET', url: '/api/v1/maintenance-windows', tag: 'maintenance', access: 'read',
    response: MaintenanceWindowList,
    summary: 'Maintenance windows, newest first.',
    handler: async ({ ctx }) => ({ items: await listMaintenanceWindows({ ctx }) }),
  }, buildCtx);
  route(app, table, {
    method: 'POST', url: '/api/v1/maintenance-windows', tag: 'maintenance', access: 'admin', status: 201, body: z.unknown(),
    response: MaintenanceWindow,
    summary: 'Schedule a maintenance window: alerts for its services are recorded but page nobody.',
    handler: async ({ ctx, body }) => createMaintenanceWindow({ ctx, input: body }),
  }, buildCtx);
  route(app, table, {
    method: 'GET', url: '/api/v1/maintenance-windows/:id', tag: 'maintenance', access: 'read',
    response: MaintenanceWindow,
    summary: 'One maintenance window, with its state (pending, active, ended).',
    handler: async ({ ctx, params }) => getMaintenanceWindow({ ctx, input: { id: params.id! } }),
  }, buildCtx);
  route(app, table, {
    method: 'PATCH', url: '/api/v1/maintenance-windows/:id', tag: 'maintenance', access: 'admin', body: z.unknown(),
    response: MaintenanceWindow,
    summary: 'Change services, startsAt (not once started), endsAt (not into the past) or reason. 409 for an ended window or one a scheduled maintenance made.',
    handler: async ({ ctx, params, body }) => {
      const view = await updateMaintenanceWindow({ ctx, input: { id: params.id!, patch: body } });
      // Fewer services or a later start: alerts it held that no longer fall in it page now.
      await release(params.id!);
      return view;
    },
  }, buildCtx);
  route(app, table, {
    method: 'POST', url: '/api/v1/maintenance-windows/:id/end', tag: 'maintenance', access: 'admin',
    response: MaintenanceWindow,
    summary: 'End a maintenance window now (a pending one never starts); alerts it held page. Kept in the list as ended.',
    handler: async ({ ctx, params }) => {
      const view = await endMaintenanceWindow({ ctx, input: { id: params.id! } });
      await release(params.id!);
      return view;
    },
  }, buildCtx);
  route(app, table, {
    method: 'DELETE', url: '/api/v1/maintenance-windows/:id', tag: 'maintenance', access: 'admin', status: 204,
    summary: 'Delete a maintenance window.',
    handler: async ({ ctx, params }) => {
      await deleteMaintenanceWindow({ ctx, input: { id: params.id! } });
      await release(params.id!);
    },
  }, buildCtx);

  registerAlertmanagerReadRoutes(app, table, buildCtx, deps);

  // Silences, twice: Firebreak's own path and the Alertmanager API v2 mirror for amtool.
  for (const base of ['/api/v1', '/api/v2'] as const) {
    route(app, table, {
      method: 'GET', url: `${base}/silences`, tag: 'silences', access: 'read',
    response: SilenceList,
      summary: 'List silences; `filter` takes matchers as amtool sends them.',
      handler: async ({ ctx, raw }) => listSilences({ ctx, input: { filter: queryList((raw.query as { filter?: unknown }).filter) } }),
    }, buildCtx);
    route(app, table, {
      method: 'POST', url: `${base}/silences`, tag: 'silences', access: 'respond', body: z.unknown(),
    response: SilenceSaved,
      summary: 'Create (or, with id, update) a silence; Alertmanager semantics. Answers {silenceID}.',
      handler: async ({ ctx, body }) => {
        const answer = await upsertSilence({ ctx, input: body });
        // Editing a silence may replace it (Alertmanager semantics): the old one has ended.
        const old = (body as { id?: unknown } | null)?.id;
        if (typeof old === 'string' && old !== answer.silenceID) await release(old);
        return answer;
      },
    }, buildCtx);
  }
  route(app, table, {
    method: 'POST', url: '/api/v1/silences/preview', tag: 'silences', access: 'read', body: z.unknown(),
    response: SilencePreview,
    summary: 'The open alerts a silence with these matchers would hold if saved now (text or the silences API objects); checked as saving checks them.',
    handler: async ({ ctx, body }) => previewSilence({ ctx, input: body }),
  }, buildCtx);
  route(app, table, {
    method: 'GET', url: '/api/v2/silence/:id', tag: 'silences', access: 'read',
    response: Silence,
    summary: 'One silence (Alertmanager API v2).',
    handler: async ({ ctx, params }) => getSilence({ ctx, input: { id: params.id! } }),
  }, buildCtx);
  route(app, table, {
    method: 'DELETE', url: '/api/v2/silence/:id', tag: 'silences', access: 'respond',
    summary: 'Expire a silence (Alertmanager API v2).',
    handler: async ({ ctx, params }) => {
      await expireSilence({ ctx, input: { id: params.id! } });
      await release(params.id!);
      return {};
    },
  }, buildCtx);
  route(app, table, {
    method: 'DELETE', url: '/api/v1/silences/:id', tag: 'silences', access: 'respond', status: 204,
    summary: 'Expire a silence.',
    handler: async ({ ctx, params }) => {
      await expireSilence({ ctx, input: { id: params.id! } });
      await release(params.id!);
    },
  }, buildCtx);
}
