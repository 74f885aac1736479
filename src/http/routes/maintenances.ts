import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { createMaintenance } from '../../domain/maintenance/create-maintenance.js';
import { MAINTENANCE_ACTIONS, MAINTENANCE_STATUSES } from '../../domain/maintenance/lifecycle.js';
import { getMaintenance, listMaintenances } from '../../domain/maintenance/list-maintenances.js';
import { transitionMaintenance } from '../../domain/maintenance/transition-maintenance.js';
import { updateMaintenance } from '../../domain/maintenance/update-maintenance.js';
import { releaseHeldAlerts } from '../../ingest/alert-release.js';
import type { AppDeps } from '../app.js';
import { route, type RouteTable } from '../route.js';
import { ingestServiceOf } from './ingest.js';
import { Maintenance, MaintenanceList } from '../views/status-pages.js';

// Shapes for the OpenAPI document; the domain validates again with its own schemas.
const ApiMatcher = z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean().optional() });
const Fields = {
  name: z.string().describe('public title'),
  description: z.string().describe('public description (Markdown)'),
  scheduledFor: z.string().describe('start, ISO 8601; not in the past'),
  scheduledUntil: z.string().describe('end, ISO 8601; after the start'),
  components: z.array(z.string()).describe('affected component ids or names of this page: under maintenance while it runs'),
  matchers: z.union([z.string(), z.array(ApiMatcher)]).describe('alerts to silence while it runs (Alertmanager matchers, as silences take them)'),
  services: z.array(z.string()).describe('service ids or slugs whose alerts are held while it runs'),
  remindMinutes: z.number().int().nullable().describe('minutes before the start of the reminder announcement (default 60; null: none)'),
};
const CreateBody = z.object({ ...Fields, description: Fields.description.optional(), components: Fields.components.optional(), matchers: Fields.matchers.optional(), services: Fields.services.optional(), remindMinutes: Fields.remindMinutes.optional() });
const UpdateBody = z.object(Fields).partial();
const ActionBody = z.object({ body: z.string().optional().describe('public update posted with the move (Markdown); absent: a standard sentence') });
const ListQuery = z.object({ status: z.enum(MAINTENANCE_STATUSES).optional() });

/**
 * Scheduled maintenance of a status page: CRUD and the status moves. Starting and completing
 * also happen on their own at the scheduled times (durable timers, worker); a request that
 * ends one releases the alerts it held at once, as expiring a silence does.
 */
export function registerMaintenanceRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: AppDeps): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  const base = '/api/v1/status-pages/:page/maintenances';
  /** The end is committed; a failed release only waits for the periodic sweep (alert-expiry.ts). */
  const release = async (ids: string[]): Promise<void> => {
    const service = ingestServiceOf(app);
    if (!service) return;
    for (const heldBy of ids) {
      try {
        await releaseHeldAlerts({ store: deps.store, clock: deps.clock, service, heldBy });
      } catch (error) {
        deps.log.warn('ingest', 'releasing alerts held by a maintenance failed; the periodic sweep retries', { heldBy, error: (error as Error).message });
      }
    }
  };

  r({
    method: 'GET', url: base, tag: 'maintenance', access: 'read', query: ListQuery,
    response: MaintenanceList,
    summary: "A status page's scheduled maintenances, latest start first; ?status filters.",
    handler: async ({ ctx, params, query }) => ({ items: await listMaintenances({ ctx, input: { page: params.page, status: query.status } }) }),
  });
  r({
    method: 'POST', url: base, tag: 'maintenance', access: 'respond', status: 201, body: CreateBody,
    response: Maintenance,
    summary: 'Schedule a maintenance: affected components, alerts to silence (matchers and/or services), reminder; starts and completes on its own at the scheduled times.',
    handler: async ({ ctx, params, body }) => createMaintenance({ ctx, input: { ...body, page: params.page } }),
  });
  r({
    method: 'GET', url: `${base}/:id`, tag: 'maintenance', access: 'read',
    response: Maintenance,
    summary: 'One scheduled maintenance with its public updates and announcements.',
    handler: async ({ ctx, params }) => getMaintenance({ ctx, input: { page: params.page!, maintenance: params.id! } }),
  });
  r({
    method: 'PATCH', url: `${base}/:id`, tag: 'maintenance', access: 'respond', body: UpdateBody,
    response: Maintenance,
    summary: 'Edit a maintenance that is not over (while it runs: not its start or what it silences; its end moves its silence too).',
    handler: async ({ ctx, params, body }) => updateMaintenance({ ctx, input: { ...body, page: params.page, maintenance: params.id } }),
  });
  for (const action of MAINTENANCE_ACTIONS) {
    r({
      method: 'POST', url: `${base}/:id/${action}`, tag: 'maintenance', access: 'respond', body: ActionBody,
      response: Maintenance,
      summary: {
        start: 'Start a scheduled maintenance now (before its time): components under maintenance, alerts silenced.',
        verify: 'Move a running maintenance to verifying (still under maintenance, alerts still held).',
        complete: 'Complete a running maintenance now: components back, silence ended, alerts still firing page.',
        cancel: 'Cancel a maintenance (scheduled or running); it leaves the public page; a running one ends as on complete.',
      }[action],
      handler: async ({ ctx, params, body }) => {
        const { maintenance, ended } = await transitionMaintenance({ ctx, input: { ...body, action, page: params.page, maintenance: params.id } });
        await release(ended);
        return maintenance;
      },
    });
  }
}
