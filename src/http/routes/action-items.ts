import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { addActionItem } from '../../domain/actions/add-action-item.js';
import { findActionItem, toActionItemViews } from '../../domain/actions/action-item-view.js';
import { setActionItemStatus } from '../../domain/actions/close-action-item.js';
import { editActionItem } from '../../domain/actions/edit-action-item.js';
import { listActionItems } from '../../domain/actions/list-action-items.js';
import { ACTION_PRIORITIES, ACTION_STATUSES } from '../../domain/actions/schemas.js';
import { authorize } from '../../domain/access/authorize.js';
import type { Ctx } from '../../domain/context.js';
import { route, type RouteTable } from '../route.js';
import { ActionItem, ActionItemList } from '../views/action-items.js';

// Shapes for the OpenAPI document; the domain validates again with its own schemas.
const Due = z.string().describe('ISO date (2026-03-10: end of that day, UTC) or time; must be in the future');
const Url = z.string().nullable().optional().describe('an http(s) link to the external issue');
const AddBody = z.object({
  title: z.string(),
  owner: z.string().describe('user id or e-mail'),
  dueAt: Due,
  priority: z.enum(ACTION_PRIORITIES).optional().describe('default medium'),
  externalUrl: Url,
  postmortemId: z.string().nullable().optional().describe('the post-mortem this item came from'),
});
const EditBody = z.object({ title: z.string().optional(), owner: z.string().optional(), dueAt: Due.optional(), priority: z.enum(ACTION_PRIORITIES).optional(), externalUrl: Url });
const StatusBody = z.object({ status: z.enum(ACTION_STATUSES), reason: z.string().nullable().optional().describe("required for wont_do") });
const ListQuery = z.object({
  team: z.string().optional().describe('id or slug: items its members own or on services it owns'),
  owner: z.string().optional().describe('user id or e-mail'),
  service: z.string().optional(),
  incident: z.string().optional().describe('incident number or id'),
  postmortem: z.string().optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional().describe('true: open and past due'),
});

export function registerActionItemRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  r({
    method: 'GET', url: '/api/v1/action-items', tag: 'action-items', access: 'read', query: ListQuery,
    response: ActionItemList,
    summary: 'Action items, soonest due first; filter by team, owner, service, incident, post-mortem, status or overdue.',
    handler: async ({ ctx, query }) => ({
      items: await listActionItems({ ctx, input: { ...query, postmortem: undefined, postmortemId: query.postmortem, overdue: query.overdue === undefined ? undefined : query.overdue === 'true' } }),
    }),
  });
  r({
    method: 'GET', url: '/api/v1/incidents/:incident/action-items', tag: 'action-items', access: 'read',
    response: ActionItemList,
    summary: "An incident's action items.",
    handler: async ({ ctx, params }) => ({ items: await listActionItems({ ctx, input: { incident: params.incident } }) }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/action-items', tag: 'action-items', access: 'respond', status: 201, body: AddBody,
    response: ActionItem,
    summary: 'Add an action item to an incident: owner, due date (in the future), priority, optional external issue link. Its owner is reminded when it becomes overdue.',
    handler: async ({ ctx, params, body }) => addActionItem({ ctx, input: { ...body, incident: params.incident } }),
  });
  r({
    method: 'GET', url: '/api/v1/action-items/:id', tag: 'action-items', access: 'read',
    response: ActionItem,
    summary: 'One action item.',
    handler: async ({ ctx, params }) => {
      authorize(ctx.actor, 'read');
      return (await toActionItemViews(ctx.store.db, [await findActionItem(ctx.store.db, params.id!)], ctx.clock.now()))[0];
    },
  });
  r({
    method: 'PATCH', url: '/api/v1/action-items/:id', tag: 'action-items', access: 'respond', body: EditBody,
    response: ActionItem,
    summary: 'Change an open action item; a new due date moves its overdue reminder.',
    handler: async ({ ctx, params, body }) => editActionItem({ ctx, input: { ...body, item: params.id } }),
  });
  r({
    method: 'POST', url: '/api/v1/action-items/:id/status', tag: 'action-items', access: 'respond', body: StatusBody,
    response: ActionItem,
    summary: "Close an action item (done, or wont_do with a reason) or re-open it; closing cancels its reminder.",
    handler: async ({ ctx, params, body }) => setActionItemStatus({ ctx, input: { ...body, item: params.id } }),
  });
}
