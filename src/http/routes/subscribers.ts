import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { SUBSCRIBER_KINDS } from '../../domain/subscribers/schemas.js';
import { addSubscriber, listSubscribers, removeSubscriber } from '../../domain/subscribers/manage-subscribers.js';
import { NOTIFIERS, type ChannelDeps } from '../../notify/registry.js';
import { route, type RouteTable } from '../route.js';
import { NewSubscriber, SubscriberList } from '../views/status-pages.js';

const AddBody = z.object({
  kind: z.enum(SUBSCRIBER_KINDS),
  address: z.string().describe('e-mail address, or the webhook URL (checked by the outbound SSRF guard)'),
  components: z.array(z.string()).optional().describe('component ids or names on this page; empty: the whole page'),
  confirmed: z.boolean().optional().describe('e-mail only: already agreed elsewhere (import), no confirmation mail'),
});

/** The admin side of a page's subscribers: addresses are private, so all of it needs admin. */
export function registerSubscriberRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: { channels: ChannelDeps; wake: (at: number) => void }): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  r({
    method: 'GET', url: '/api/v1/status-pages/:page/subscribers', tag: 'status pages', access: 'admin',
    response: SubscriberList,
    summary: "A status page's subscribers with their addresses (admin only: addresses are private).",
    handler: async ({ ctx, params }) => ({ items: await listSubscribers({ ctx, input: { page: params.page! } }) }),
  });
  r({
    method: 'POST', url: '/api/v1/status-pages/:page/subscribers', tag: 'status pages', access: 'admin', status: 201, body: AddBody, noStore: true,
    response: NewSubscriber,
    summary: 'Add a subscriber (admin). E-mail gets a confirmation mail unless confirmed; a webhook is signed per Standard Webhooks with a secret returned only in this answer.',
    handler: async ({ ctx, params, body }) => {
      if (body.kind === 'webhook') await NOTIFIERS.webhook.validateAddress(body.address, deps.channels);
      const created = await addSubscriber({ ctx, input: { ...body, page: params.page } });
      deps.wake(ctx.clock.now());
      return created;
    },
  });
  r({
    method: 'DELETE', url: '/api/v1/status-pages/:page/subscribers/:subscriber', tag: 'status pages', access: 'admin', status: 204,
    summary: 'Remove a subscriber (by id or address); its unsent notifications go with it.',
    handler: async ({ ctx, params }) => removeSubscriber({ ctx, input: { page: params.page, subscriber: params.subscriber } }),
  });
}
