import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { deleteAudienceGroup } from '../../domain/audiences/delete-group.js';
import { deleteAudienceRule } from '../../domain/audiences/delete-rule.js';
import { getAudienceGroup, listAudienceGroups, listAudienceRules } from '../../domain/audiences/list-groups.js';
import { saveAudienceGroup } from '../../domain/audiences/save-group.js';
import { saveAudienceRule } from '../../domain/audiences/save-rule.js';
import type { ChannelDeps } from '../../notify/registry.js';
import { checkOutboundUrl } from '../../notify/ssrf.js';
import { newWebhookSecret } from '../../notify/webhook/sign.js';
import { route, type RouteTable } from '../route.js';
import { AudienceGroup, AudienceGroupList, AudienceRule, AudienceRuleList, SavedAudienceGroup } from '../views/updates.js';

// Shapes for the OpenAPI document; the domain validates again with its own schemas.
const GroupBody = z.object({
  name: z.string(),
  description: z.string().optional(),
  emails: z.array(z.string()).optional().describe('email addresses'),
  slackWebhookUrl: z.string().nullable().optional().describe('a Slack incoming webhook; passes the outbound SSRF guard'),
  webhookUrl: z.string().nullable().optional().describe('a generic webhook, signed per Standard Webhooks; passes the outbound SSRF guard'),
  webhookSecret: z.string().nullable().optional().describe('whsec_…; generated (and shown once) when absent'),
  users: z.array(z.string()).optional().describe('user ids or emails: reached through their own contact methods'),
  teams: z.array(z.string()).optional().describe('team ids or slugs: every member'),
});
const RuleBody = z.object({
  group: z.string().describe('the group slug or id'),
  severities: z.array(z.string()).optional().describe('severity keys; empty = any'),
  services: z.array(z.string()).optional().describe('service slugs; empty = any'),
});

/** Audience groups and rules: who hears about which incidents' internal updates. */
export function registerAudienceRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: { channels: ChannelDeps }): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  const checkUrl = async (field: string, url: string) => {
    await checkOutboundUrl(url, { policy: deps.channels.outbound.policy, ...(deps.channels.outbound.resolve ? { resolve: deps.channels.outbound.resolve } : {}), field });
  };
  r({
    method: 'GET', url: '/api/v1/audience-groups', tag: 'audiences', access: 'read',
    response: AudienceGroupList,
    summary: 'Audience groups (internal stakeholders) with their members.',
    handler: async ({ ctx }) => ({ items: await listAudienceGroups({ ctx }) }),
  });
  r({
    method: 'GET', url: '/api/v1/audience-groups/:group', tag: 'audiences', access: 'read',
    response: AudienceGroup,
    summary: 'One audience group (slug or id).',
    handler: async ({ ctx, params }) => getAudienceGroup({ ctx, input: { group: params.group! } }),
  });
  r({
    method: 'PUT', url: '/api/v1/audience-groups/:slug', noStore: true, tag: 'audiences', access: 'admin', body: GroupBody,
    response: SavedAudienceGroup,
    summary: 'Create or replace an audience group (admin). URLs pass the SSRF guard; a bad address is a 400 naming the field. A generated webhook secret is shown once.',
    handler: async ({ ctx, params, body }) => saveAudienceGroup({ ctx, input: { ...body, slug: params.slug }, checkUrl, newSecret: newWebhookSecret }),
  });
  r({
    method: 'DELETE', url: '/api/v1/audience-groups/:group', tag: 'audiences', access: 'admin', status: 204,
    summary: 'Delete an audience group and its rules (admin).',
    handler: async ({ ctx, params }) => deleteAudienceGroup({ ctx, input: { group: params.group! } }),
  });
  r({
    method: 'GET', url: '/api/v1/audience-rules', tag: 'audiences', access: 'read',
    response: AudienceRuleList,
    summary: 'Audience rules: which groups hear about incidents of which severities and services.',
    handler: async ({ ctx }) => ({ items: await listAudienceRules({ ctx }) }),
  });
  r({
    method: 'POST', url: '/api/v1/audience-rules', tag: 'audiences', access: 'admin', status: 201, body: RuleBody,
    response: AudienceRule,
    summary: 'Add an audience rule, e.g. SEV1 on payments → executives (admin).',
    handler: async ({ ctx, body }) => saveAudienceRule({ ctx, input: body }),
  });
  r({
    method: 'PUT', url: '/api/v1/audience-rules/:id', tag: 'audiences', access: 'admin', body: RuleBody,
    response: AudienceRule,
    summary: 'Replace an audience rule (admin).',
    handler: async ({ ctx, params, body }) => saveAudienceRule({ ctx, input: body, id: params.id! }),
  });
  r({
    method: 'DELETE', url: '/api/v1/audience-rules/:id', tag: 'audiences', access: 'admin', status: 204,
    summary: 'Delete an audience rule (admin).',
    handler: async ({ ctx, params }) => deleteAudienceRule({ ctx, input: { id: params.id! } }),
  });
}
