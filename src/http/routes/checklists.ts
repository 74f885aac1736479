import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { createChecklistTemplate } from '../../domain/tasks/create-checklist-template.js';
import { deleteChecklistTemplate } from '../../domain/tasks/delete-checklist-template.js';
import { listChecklistTemplates } from '../../domain/tasks/list-checklist-templates.js';
import { updateChecklistTemplate } from '../../domain/tasks/update-checklist-template.js';
import { route, type RouteTable } from '../route.js';
import { ChecklistTemplate, ChecklistTemplateList } from '../views/people.js';

const Trigger = z.enum(['on_open', 'on_resolve']).describe('on_open (default): tasks when the incident opens; on_resolve: when it resolves');
const Group = z.object({
  name: z.string().describe('e.g. "Immediate (0–1 h)"'),
  dueOffsetSeconds: z.number().int().describe('tasks are due this long after the trigger'),
  items: z.array(z.union([z.string(), z.object({ title: z.string(), dueOffsetSeconds: z.number().int().optional() })])),
});
const CreateBody = z.object({ slug: z.string(), name: z.string(), severities: z.array(z.string()), items: z.array(z.string()).optional(), trigger: Trigger.optional(), groups: z.array(Group).optional() });
const PatchBody = z.object({ slug: z.string().optional(), name: z.string().optional(), severities: z.array(z.string()).optional(), items: z.array(z.string()).optional(), trigger: Trigger.optional(), groups: z.array(Group).optional() });

export function registerChecklistRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  r({
    method: 'GET', url: '/api/v1/checklist-templates', tag: 'checklists', access: 'read',
    response: ChecklistTemplateList,
    summary: 'Checklist templates: tasks added to new incidents of the listed severities.',
    handler: async ({ ctx }) => ({ items: await listChecklistTemplates({ ctx }) }),
  });
  r({
    method: 'POST', url: '/api/v1/checklist-templates', tag: 'checklists', access: 'admin', status: 201, body: CreateBody,
    response: ChecklistTemplate,
    summary: 'Create a checklist template (admin).',
    handler: async ({ ctx, body }) => createChecklistTemplate({ ctx, input: body }),
  });
  r({
    method: 'PATCH', url: '/api/v1/checklist-templates/:id', tag: 'checklists', access: 'admin', body: PatchBody,
    response: ChecklistTemplate,
    summary: 'Change a checklist template by id or slug (admin). Templates from firebreak.yaml answer 409.',
    handler: async ({ ctx, params, body }) => updateChecklistTemplate({ ctx, input: { ...body, template: params.id! } }),
  });
  r({
    method: 'DELETE', url: '/api/v1/checklist-templates/:id', tag: 'checklists', access: 'admin', status: 204,
    summary: 'Delete a checklist template (admin); tasks already added stay.',
    handler: async ({ ctx, params }) => deleteChecklistTemplate({ ctx, input: { template: params.id! } }),
  });
}
