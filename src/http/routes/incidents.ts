import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Ctx } from '../../domain/context.js';
import {
  addIncidentNote, assignIncidentRole, changeIncidentSeverity, changeIncidentStatus, declareIncident, getIncident,
  handOffIncident, listIncidents, listTimeline, updateIncident,
} from '../../domain/incidents/index.js';
import { DeclareIncidentInput, LIMITS } from '../../domain/incidents/schemas.js';
import { INCIDENT_STATUSES, STATUS_EVENTS } from '../../domain/incidents/status.js';
import { addTask } from '../../domain/tasks/add-task.js';
import { setTaskDone } from '../../domain/tasks/set-task-done.js';
import { queryList, route, type RouteTable } from '../route.js';
import { streamTimeline } from '../sse.js';
import { Incident, IncidentDetail, IncidentPage, Task, TimelineEvent, TimelineList } from '../views/incidents.js';

const ListQuery = z.object({
  status: z.union([z.string(), z.array(z.string())]).optional().describe('comma-separated: triggered, acknowledged, investigating, identified, monitoring, resolved, or open'),
  severity: z.union([z.string(), z.array(z.string())]).optional(),
  service: z.string().optional(),
  from: z.string().optional().describe('ISO 8601 or epoch ms; declared at or after'),
  to: z.string().optional().describe('ISO 8601 or epoch ms; declared before'),
  q: z.string().optional().describe('text in title or summary'),
  includeDrills: z.enum(['true', 'false']).optional(),
  limit: z.string().regex(/^\d+$/, 'must be a whole number').optional(),
  cursor: z.string().optional(),
});

const timeParam = (v: string | undefined) => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : v);

const StatusBody = z.object({ status: z.enum(INCIDENT_STATUSES).optional(), event: z.enum(STATUS_EVENTS).optional(), note: z.string().max(LIMITS.note).optional() });
const NoteBody = z.object({ body: z.string() });
const SeverityBody = z.object({ severity: z.string(), reason: z.string().optional() });
const PatchBody = z.object({ title: z.string().optional(), summary: z.string().optional(), service: z.string().nullable().optional() });
const RoleBody = z.object({ user: z.string().nullable() });
const HandOffBody = z.object({ role: z.string().optional(), to: z.string(), state: z.string(), actionsTaken: z.string().optional(), nextSteps: z.string() });
const TaskBody = z.object({ title: z.string() });
const TaskPatch = z.object({ done: z.boolean() });
const AckBody = z.object({ note: z.string().max(LIMITS.note).optional() });

export function registerIncidentRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: { clock: Clock }): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);

  r({
    method: 'GET', url: '/api/v1/incidents', tag: 'incidents', access: 'read', query: ListQuery,
    response: IncidentPage,
    summary: 'List incidents, newest first, with filters and cursor pagination.',
    handler: async ({ ctx, query }) =>
      listIncidents({
        ctx,
        input: {
          status: queryList(query.status),
          severity: queryList(query.severity),
          service: query.service,
          from: timeParam(query.from),
          to: timeParam(query.to),
          q: query.q,
          includeDrills: query.includeDrills === 'true',
          limit: query.limit ? Number(query.limit) : undefined,
          cursor: query.cursor,
        },
      }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents', tag: 'incidents', access: 'respond', status: 201, body: DeclareIncidentInput,
    response: Incident,
    summary: 'Declare an incident. It starts triggered; checklists for its severity are applied.',
    handler: async ({ ctx, body }) => declareIncident({ ctx, input: body }),
  });
  r({
    method: 'GET', url: '/api/v1/incidents/:incident', tag: 'incidents', access: 'read',
    response: IncidentDetail,
    summary: 'One incident by id (inc_…) or number, with roles and tasks.',
    handler: async ({ ctx, params }) => getIncident({ ctx, input: { incident: params.incident } }),
  });
  r({
    method: 'PATCH', url: '/api/v1/incidents/:incident', tag: 'incidents', access: 'respond', body: PatchBody,
    response: Incident,
    summary: 'Change title, summary or service.',
    handler: async ({ ctx, params, body }) => updateIncident({ ctx, input: { ...body, incident: params.incident } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/status', tag: 'incidents', access: 'respond', body: StatusBody,
    response: Incident,
    summary: 'Move the incident to a status (or apply an event); an impossible move is a 409.',
    handler: async ({ ctx, params, body }) => changeIncidentStatus({ ctx, input: { ...body, incident: params.incident } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/acknowledge', tag: 'incidents', access: 'respond', body: AckBody,
    response: Incident,
    summary: 'Acknowledge: stops paging. 409 if it is not triggered.',
    handler: async ({ ctx, params, body }) => changeIncidentStatus({ ctx, input: { incident: params.incident, event: 'acknowledge', note: body.note } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/resolve', tag: 'incidents', access: 'respond', body: AckBody,
    response: Incident,
    summary: 'Resolve the incident.',
    handler: async ({ ctx, params, body }) => changeIncidentStatus({ ctx, input: { incident: params.incident, event: 'resolve', note: body.note } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/severity', tag: 'incidents', access: 'respond', body: SeverityBody,
    response: Incident,
    summary: 'Change severity; recorded on the timeline, and the new level’s checklists are applied.',
    handler: async ({ ctx, params, body }) => changeIncidentSeverity({ ctx, input: { ...body, incident: params.incident } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/notes', tag: 'timeline', access: 'respond', status: 201, body: NoteBody,
    response: TimelineEvent,
    summary: 'Add a Markdown note to the timeline.',
    handler: async ({ ctx, params, body }) => addIncidentNote({ ctx, input: { ...body, incident: params.incident } }),
  });
  r({
    method: 'GET', url: '/api/v1/incidents/:incident/timeline', tag: 'timeline', access: 'read',
    response: TimelineList,
    query: z.object({ after: z.string().optional(), limit: z.string().regex(/^\d+$/).optional() }),
    summary: 'The timeline, oldest first; `after` an event id returns only newer events.',
    handler: async ({ ctx, params, query }) => ({
      items: await listTimeline({ ctx, input: { incident: params.incident, after: query.after, limit: query.limit ? Number(query.limit) : undefined } }),
    }),
  });
  r({
    method: 'GET', url: '/api/v1/incidents/:incident/stream', tag: 'timeline', access: 'read',
    summary: 'Server-sent events: each new timeline event as it is written, from any instance.',
    handler: async ({ ctx, params, raw, reply }) => streamTimeline(ctx, params.incident!, raw, reply, deps.clock),
  });
  r({
    method: 'PUT', url: '/api/v1/incidents/:incident/roles/:role', tag: 'roles', access: 'respond', body: RoleBody,
    response: Incident,
    summary: 'Assign a role (commander, communications, scribe or custom) to a user by id or email; null clears it.',
    handler: async ({ ctx, params, body }) => assignIncidentRole({ ctx, input: { incident: params.incident, role: params.role, user: body.user } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/handoff', tag: 'roles', access: 'respond', body: HandOffBody,
    response: Incident,
    summary: 'Hand a role to someone else with a structured note (state, actions taken, next steps).',
    handler: async ({ ctx, params, body }) => handOffIncident({ ctx, input: { ...body, incident: params.incident } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/tasks', tag: 'tasks', access: 'respond', status: 201, body: TaskBody,
    response: Task,
    summary: 'Add a task to the incident checklist.',
    handler: async ({ ctx, params, body }) => addTask({ ctx, input: { ...body, incident: params.incident } }),
  });
  r({
    method: 'PATCH', url: '/api/v1/incidents/:incident/tasks/:task', tag: 'tasks', access: 'respond', body: TaskPatch,
    response: Task,
    summary: 'Tick or untick a task.',
    handler: async ({ ctx, params, body }) => setTaskDone({ ctx, input: { incident: params.incident, task: params.task, done: body.done } }),
  });
}
