import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { deleteUpdateTemplate } from '../../domain/updates/delete-update-template.js';
import { listUpdateTemplates } from '../../domain/updates/list-update-templates.js';
import { listUpdates } from '../../domain/updates/list-updates.js';
import { postUpdate } from '../../domain/updates/post-update.js';
import { previewUpdate } from '../../domain/updates/preview-update.js';
import { AUDIENCES, UPDATE_KINDS } from '../../domain/updates/schemas.js';
import { setUpdateTemplate } from '../../domain/updates/set-update-template.js';
import { route, type RouteTable } from '../route.js';
import { StakeholderUpdate, UpdateList, UpdatePreview, UpdateTemplate, UpdateTemplateList } from '../views/updates.js';

// Shapes for the OpenAPI document; the domain validates again with its own schemas.
const NextUpdateBy = z.string().nullable().optional().describe('ISO time; null: no next update; absent: now + the severity cadence');
const PostBody = z.object({
  kind: z.enum(UPDATE_KINDS),
  body: z.string().describe('Markdown, as posted'),
  audiences: z.array(z.enum(AUDIENCES)).optional(),
  bodies: z.partialRecord(z.enum(AUDIENCES), z.string()).optional().describe("what the update says to one audience, when it differs from body (e.g. each audience's own template)"),
  nextUpdateBy: NextUpdateBy,
});
const PreviewBody = z.object({
  kind: z.enum(UPDATE_KINDS).optional(),
  audience: z.enum(AUDIENCES).optional(),
  template: z.string().optional().describe('a Liquid template to try instead of the stored one'),
  nextUpdateBy: NextUpdateBy,
});
const TemplateBody = z.object({ body: z.string().describe('Liquid template (strict variables)') });
const TemplateQuery = z.object({ audience: z.enum(AUDIENCES).optional() });

export function registerUpdateRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: { publicUrl: string }): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  r({
    method: 'GET', url: '/api/v1/incidents/:incident/updates', tag: 'updates', access: 'read',
    response: UpdateList,
    summary: "An incident's stakeholder updates, oldest first, with the next update's deadline and the severity's cadence.",
    handler: async ({ ctx, params }) => listUpdates({ ctx, input: { incident: params.incident } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/updates', tag: 'updates', access: 'respond', status: 201, body: PostBody,
    response: StakeholderUpdate,
    summary: 'Post a stakeholder update (a timeline event); moves the cadence reminder to its "next update by". Internal and responder audiences are sent in the background (see `deliveries` per audience).',
    handler: async ({ ctx, params, body }) => postUpdate({ ctx, input: { ...body, incident: params.incident } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/updates/preview', tag: 'updates', access: 'read', body: PreviewBody,
    response: UpdatePreview,
    summary: 'Render the template for a kind and audience (or a given template) for this incident, without posting.',
    handler: async ({ ctx, params, body }) => previewUpdate({ ctx, input: { ...body, incident: params.incident }, publicUrl: deps.publicUrl }),
  });
  r({
    method: 'GET', url: '/api/v1/update-templates', tag: 'updates', access: 'read',
    response: UpdateTemplateList,
    summary: 'Update templates: stored ones and the built-in default of each kind without one.',
    handler: async ({ ctx }) => ({ items: await listUpdateTemplates({ ctx }) }),
  });
  r({
    method: 'PUT', url: '/api/v1/update-templates/:kind', tag: 'updates', access: 'admin', body: TemplateBody, query: TemplateQuery,
    response: UpdateTemplate,
    summary: 'Create or replace the template of a kind (?audience= for one audience) (admin). Checked before saving: an error is a 400 with line and column.',
    handler: async ({ ctx, params, body, query }) => setUpdateTemplate({ ctx, input: { ...body, kind: params.kind, audience: query.audience } }),
  });
  r({
    method: 'DELETE', url: '/api/v1/update-templates/:kind', tag: 'updates', access: 'admin', status: 204, query: TemplateQuery,
    summary: 'Delete the template of a kind (?audience=) (admin); the built-in default applies again.',
    handler: async ({ ctx, params, query }) => deleteUpdateTemplate({ ctx, input: { kind: params.kind, audience: query.audience } }),
  });
}
