import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import {
  closeIncident, createPostmortem, deletePostmortemTemplate, editPostmortem, getIncidentPostmortem, getPostmortem, listPostmortems,
  listPostmortemTemplates, listStars, movePostmortem, postmortemMarkdown, setPostmortemTemplate, starTimelineEvent, unstarTimelineEvent, STAR_TAGS,
} from '../../domain/postmortems/index.js';
import { POSTMORTEM_STATUSES } from '../../domain/postmortems/schemas.js';
import { route, type RouteTable } from '../route.js';
import { IncidentClosed, Postmortem, PostmortemList, PostmortemTemplate, PostmortemTemplateList, Star, StarList, Unstarred } from '../views/postmortems.js';

// Shapes for the OpenAPI document; the domain validates again with its own schemas.
const DueAt = z.string().describe('ISO time with offset; must be in the future');
const CreateBody = z.object({
  related: z.array(z.string()).optional().describe('other incidents (ids or numbers) this post-mortem also covers'),
  template: z.string().optional().describe('template slug: blameless (default), google-sre, or a team template'),
  title: z.string().optional(),
  owner: z.string().optional().describe('user id or e-mail; default: you'),
  reviewers: z.array(z.string()).optional(),
  dueAt: DueAt.optional().describe("default: the severity's postmortemDue after resolution"),
});
const EditBody = z.object({
  version: z.number().int().optional().describe('the version you edited; a stale one is a 409'),
  title: z.string().optional(),
  body: z.string().optional().describe('Markdown'),
  publicBody: z.string().optional().describe("Markdown shown on the status page's public incident (Statuspage postmortem_body)"),
  owner: z.string().nullable().optional(),
  reviewers: z.array(z.string()).optional(),
  dueAt: DueAt.nullable().optional(),
});
const ListQuery = z.object({ status: z.enum(POSTMORTEM_STATUSES).optional(), limit: z.coerce.number().int().optional() });
const StarBody = z.object({ tag: z.enum(STAR_TAGS).optional().describe('what kind of key moment (default other)') });
const TemplateBody = z.object({ name: z.string(), body: z.string().describe('Liquid template (strict variables); see docs/postmortems.md') });

export function registerPostmortemRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/postmortem', tag: 'postmortems', access: 'respond', status: 201, body: CreateBody,
    response: Postmortem,
    summary: 'Start the post-mortem of an incident (and related ones), drafted from the record with a template. 404: no such incident; 409: it already has one.',
    handler: async ({ ctx, params, body }) => createPostmortem({ ctx, input: { ...body, incident: params.incident } }),
  });
  r({
    method: 'GET', url: '/api/v1/incidents/:incident/postmortem', tag: 'postmortems', access: 'read',
    response: Postmortem,
    summary: 'The post-mortem covering an incident (404 if none).',
    handler: async ({ ctx, params }) => getIncidentPostmortem({ ctx, input: { incident: params.incident } }),
  });
  r({
    method: 'GET', url: '/api/v1/incidents/:incident/postmortem.md', tag: 'postmortems', access: 'read',
    summary: "Export the incident's post-mortem as a Markdown file.",
    handler: async ({ ctx, params, reply }) => {
      const view = await getIncidentPostmortem({ ctx, input: { incident: params.incident } });
      const name = `postmortem-${view.incidents.map((i) => i.number).join('-')}.md`;
      return reply.type('text/markdown; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(postmortemMarkdown(view));
    },
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/close', tag: 'postmortems', access: 'respond',
    response: IncidentClosed,
    summary: 'Close a resolved incident. 409 when its severity requires a published post-mortem and it has none.',
    handler: async ({ ctx, params }) => closeIncident({ ctx, input: { incident: params.incident } }),
  });
  r({
    method: 'GET', url: '/api/v1/incidents/:incident/stars', tag: 'postmortems', access: 'read',
    response: StarList,
    summary: "The incident's starred timeline events (key moments) with their tags.",
    handler: async ({ ctx, params }) => ({ items: await listStars({ ctx, input: { incident: params.incident } }) }),
  });
  r({
    method: 'PUT', url: '/api/v1/incidents/:incident/timeline/:event/star', tag: 'postmortems', access: 'respond', body: StarBody,
    response: Star,
    summary: 'Star a timeline event as a key moment (detection, diagnosis, mitigation, repair, other); again to change the tag.',
    handler: async ({ ctx, params, body }) => starTimelineEvent({ ctx, input: { ...body, incident: params.incident, event: params.event } }),
  });
  r({
    method: 'DELETE', url: '/api/v1/incidents/:incident/timeline/:event/star', tag: 'postmortems', access: 'respond',
    response: Unstarred,
    summary: 'Unstar a timeline event.',
    handler: async ({ ctx, params }) => unstarTimelineEvent({ ctx, input: { incident: params.incident, event: params.event } }),
  });
  r({
    method: 'GET', url: '/api/v1/postmortems', tag: 'postmortems', access: 'read', query: ListQuery,
    response: PostmortemList,
    summary: 'Post-mortems, newest first (?status=draft|in_review|published).',
    handler: async ({ ctx, query }) => ({ items: await listPostmortems({ ctx, input: query }) }),
  });
  r({
    method: 'GET', url: '/api/v1/postmortems/:postmortem', tag: 'postmortems', access: 'read',
    response: Postmortem,
    summary: 'One post-mortem.',
    handler: async ({ ctx, params }) => getPostmortem({ ctx, input: { postmortem: params.postmortem } }),
  });
  r({
    method: 'PATCH', url: '/api/v1/postmortems/:postmortem', tag: 'postmortems', access: 'respond', body: EditBody,
    response: Postmortem,
    summary: 'Edit text, public text, owner, reviewers or due date (a past due date is a 400).',
    handler: async ({ ctx, params, body }) => editPostmortem({ ctx, input: { ...body, postmortem: params.postmortem } }),
  });
  for (const move of ['submit', 'publish', 'return'] as const) {
    r({
      method: 'POST', url: `/api/v1/postmortems/:postmortem/${move}`, tag: 'postmortems', access: 'respond',
      response: Postmortem,
      summary: {
        submit: 'Submit a draft for review.',
        publish: 'Publish a reviewed post-mortem (every covered incident must be resolved); its public text goes to the status page.',
        return: 'Return a post-mortem in review (or published) to draft.',
      }[move],
      handler: async ({ ctx, params }) => movePostmortem({ ctx, input: { postmortem: params.postmortem, move } }),
    });
  }
  r({
    method: 'GET', url: '/api/v1/postmortem-templates', tag: 'postmortems', access: 'read',
    response: PostmortemTemplateList,
    summary: 'Post-mortem templates: the built-in ones and the teams\' own.',
    handler: async ({ ctx }) => ({ items: await listPostmortemTemplates({ ctx }) }),
  });
  r({
    method: 'PUT', url: '/api/v1/postmortem-templates/:slug', tag: 'postmortems', access: 'admin', body: TemplateBody,
    response: PostmortemTemplate,
    summary: 'Create or replace a team template (admin). Checked before saving: an unknown variable is a 400 with line and column.',
    handler: async ({ ctx, params, body }) => setPostmortemTemplate({ ctx, input: { ...body, slug: params.slug } }),
  });
  r({
    method: 'DELETE', url: '/api/v1/postmortem-templates/:slug', tag: 'postmortems', access: 'admin', status: 204,
    summary: 'Delete a team template (admin).',
    handler: async ({ ctx, params }) => deletePostmortemTemplate({ ctx, input: { slug: params.slug } }),
  });
}
