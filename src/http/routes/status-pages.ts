import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { addComponent } from '../../domain/statuspages/add-component.js';
import { changeComponent } from '../../domain/statuspages/change-component.js';
import { createStatusPage } from '../../domain/statuspages/create-status-page.js';
import { getStatusPage, listStatusPages } from '../../domain/statuspages/list-status-pages.js';
import { postPublicUpdate } from '../../domain/statuspages/post-public-update.js';
import { publishIncident } from '../../domain/statuspages/publish-incident.js';
import { setComponentStatus } from '../../domain/statuspages/set-component-status.js';
import { previewPublicPage } from '../../domain/statuspages/preview-page.js';
import { publishDraft } from '../../domain/statuspages/publish-draft.js';
import { removeComponent } from '../../domain/statuspages/remove-component.js';
import { updateStatusPage } from '../../domain/statuspages/update-status-page.js';
import { renderPublicPage } from '../public/render-page.js';
import { COMPONENT_STATUSES, IMPACTS, PUBLIC_STATUSES } from '../../domain/statuspages/status.js';
import { route, type RouteTable } from '../route.js';
import { PagePreview, PublicIncident, StatusPage, StatusPageList } from '../views/status-pages.js';

// Shapes for the OpenAPI document; the domain validates again with its own schemas.
const CreateBody = z.object({
  slug: z.string(), name: z.string(),
  autoPublish: z.object({ severities: z.record(z.string(), z.enum(['draft', 'publish'])), title: z.string().optional(), body: z.string().optional() }).optional().describe('severities whose incidents make a public incident by themselves'),
  hostName: z.string().nullable().optional().describe('custom host name served at its root (behind your reverse proxy)'),
  severityMap: z.record(z.string(), z.enum(COMPONENT_STATUSES)).optional().describe('severity key → component status, over the default SEV1 major_outage, SEV2 partial_outage, others degraded_performance'),
});
const ComponentBody = z.object({
  name: z.string(), description: z.string().optional(), group: z.string().nullable().optional().describe('id or name of a group on this page'),
  isGroup: z.boolean().optional(), services: z.array(z.string()).optional().describe('service ids or slugs'),
});
const ChangeComponentBody = z.object({
  name: z.string().optional(), description: z.string().optional(),
  group: z.string().nullable().optional().describe('id or name of a group on this page; null: the top level'),
  services: z.array(z.string()).optional().describe('service ids or slugs'),
  position: z.number().int().optional().describe('its place among the components beside it (same group or top level), from 1'),
});
const StatusBody = z.object({ status: z.enum(COMPONENT_STATUSES).nullable().describe('null: derive from open incidents again') });
const PublishBody = z.object({
  incident: z.string().describe('incident number or id'), name: z.string().describe('public title'), impact: z.enum(IMPACTS).optional(),
  status: z.enum(PUBLIC_STATUSES).optional(), body: z.string().describe('first public update'), components: z.array(z.string()).optional(),
});
const AutoPublishBody = z.object({
  severities: z.record(z.string(), z.enum(['draft', 'publish'])).describe('severity key → draft (one click to publish) or publish (public at once)'),
  title: z.string().optional().describe('Liquid template of the public title; sees page.name, severity, impact, components (names); empty: the default'),
  body: z.string().optional().describe('Liquid template of the first public update (Markdown); same variables'),
});
const UpdatePageBody = z.object({
  name: z.string().optional(), hostName: z.string().nullable().optional(),
  severityMap: z.record(z.string(), z.enum(COMPONENT_STATUSES)).optional(), autoPublish: AutoPublishBody.optional(),
});
const PublishDraftBody = z.object({ name: z.string().optional().describe('replaces the draft\'s public title'), body: z.string().optional().describe('replaces the draft\'s first update') });
const PreviewBody = z.object({
  page: z.string().nullable().optional().describe('an existing page whose public incidents and history show in the preview'),
  name: z.string(), severityMap: z.record(z.string(), z.enum(COMPONENT_STATUSES)).optional(),
  components: z.array(z.object({
    name: z.string(), description: z.string().optional(), group: z.string().nullable().optional().describe('name of a group in this list'),
    isGroup: z.boolean().optional(), services: z.array(z.string()).optional(), status: z.enum(COMPONENT_STATUSES).nullable().optional(),
  })).optional(),
});
const PublicUpdateBody = z.object({ status: z.enum(PUBLIC_STATUSES), body: z.string() });

export function registerStatusPageRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: { onChange: () => Promise<void> }): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  /** Public answers of this instance show a change at once (others within their cache time). */
  const changed = async <T>(result: Promise<T>): Promise<T> => { const v = await result; await deps.onChange(); return v; };
  r({
    method: 'GET', url: '/api/v1/status-pages', tag: 'status pages', access: 'read',
    response: StatusPageList,
    summary: 'Status pages with their components, current statuses and top-level status.',
    handler: async ({ ctx }) => ({ items: await listStatusPages({ ctx }) }),
  });
  r({
    method: 'GET', url: '/api/v1/status-pages/:page', tag: 'status pages', access: 'read',
    response: StatusPage,
    summary: 'One status page by id or slug.',
    handler: async ({ ctx, params }) => getStatusPage({ ctx, input: { page: params.page! } }),
  });
  r({
    method: 'POST', url: '/api/v1/status-pages', tag: 'status pages', access: 'admin', status: 201, body: CreateBody,
    response: StatusPage,
    summary: 'Create a status page (admin), public at /status/<slug> and, with hostName, at that host\'s root.',
    handler: async ({ ctx, body }) => changed(createStatusPage({ ctx, input: body })),
  });
  r({
    method: 'POST', url: '/api/v1/status-pages/:page/components', tag: 'status pages', access: 'admin', status: 201, body: ComponentBody,
    response: StatusPage,
    summary: 'Add a component or group (admin); its status follows open incidents on its services.',
    handler: async ({ ctx, params, body }) => changed(addComponent({ ctx, input: { ...body, page: params.page } })),
  });
  r({
    method: 'PATCH', url: '/api/v1/status-pages/:page/components/:component', tag: 'status pages', access: 'admin', body: ChangeComponentBody,
    response: StatusPage,
    summary: 'Rename a component, change its description or services, or move it to another group or place (admin; what is given). Its id stays.',
    handler: async ({ ctx, params, body }) => changed(changeComponent({ ctx, input: { ...body, page: params.page, component: params.component } })),
  });
  r({
    method: 'DELETE', url: '/api/v1/status-pages/:page/components/:component', tag: 'status pages', access: 'admin',
    response: StatusPage,
    summary: "Remove a component (admin); a group's members move to the top level. Subscribers who followed only it then follow the whole page.",
    handler: async ({ ctx, params }) => changed(removeComponent({ ctx, input: { page: params.page, component: params.component } })),
  });
  r({
    method: 'PUT', url: '/api/v1/status-pages/:page/components/:component/status', tag: 'status pages', access: 'respond', body: StatusBody,
    summary: "Override a component's status by hand (null: derived again).",
    handler: async ({ ctx, params, body }) => changed(setComponentStatus({ ctx, input: { ...body, page: params.page, component: params.component } })),
  });
  r({
    method: 'POST', url: '/api/v1/status-pages/:page/incidents', tag: 'status pages', access: 'respond', status: 201, body: PublishBody,
    response: PublicIncident,
    summary: 'Publish an incident on the page with its own public title, impact and first update; nothing internal is shown.',
    handler: async ({ ctx, params, body }) => changed(publishIncident({ ctx, input: { ...body, page: params.page } })),
  });
  r({
    method: 'POST', url: '/api/v1/status-pages/:page/incidents/:incident/updates', tag: 'status pages', access: 'respond', status: 201, body: PublicUpdateBody,
    response: PublicIncident,
    summary: 'Post a public update on a published incident (its public status moves with it).',
    handler: async ({ ctx, params, body }) => changed(postPublicUpdate({ ctx, input: { ...body, page: params.page, incident: params.incident } })),
  });
  r({
    method: 'PATCH', url: '/api/v1/status-pages/:page', tag: 'status pages', access: 'admin', body: UpdatePageBody,
    response: StatusPage,
    summary: "Change a page's name, host name, severity → component status mapping or auto-publish settings (admin; what is given).",
    handler: async ({ ctx, params, body }) => changed(updateStatusPage({ ctx, input: { ...body, page: params.page } })),
  });
  r({
    method: 'POST', url: '/api/v1/status-pages/:page/incidents/:incident/publish', tag: 'status pages', access: 'respond', body: PublishDraftBody,
    response: PublicIncident,
    summary: 'Publish an auto-publish draft with one click (optionally with another title or first update).',
    handler: async ({ ctx, params, body }) => changed(publishDraft({ ctx, input: { ...body, page: params.page, incident: params.incident } })),
  });
  r({
    method: 'POST', url: '/api/v1/status-pages/preview', tag: 'status pages', access: 'admin', body: PreviewBody,
    response: PagePreview,
    summary: 'The public page HTML an unsaved page definition would show now (the editor\'s live preview); nothing is saved.',
    handler: async ({ ctx, body }) => ({ html: renderPublicPage(await previewPublicPage({ ctx, input: body }), { base: '#' }) }),
  });
}
