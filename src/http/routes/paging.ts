import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { validation } from '../../core/errors.js';
import { timeText } from '../../core/input-schemas.js';
import type { Ctx } from '../../domain/context.js';
import { escalationPolicySchema } from '../../domain/escalation/index.js';
import { layerSchema } from '../../domain/oncall/index.js';
import { feedToken } from '../../domain/paging/ack-token.js';
import { listIncidentDeliveries } from '../../domain/paging/list-deliveries.js';
import {
  createContactMethod, createNotificationRule, deleteContactMethod, deleteNotificationRule, listContactMethods, testContactMethod,
} from '../../domain/paging/manage-contact-methods.js';
import {
  createEscalationPolicy, deleteEscalationPolicy, getEscalationPolicy, listEscalationPolicies, updateEscalationPolicy,
} from '../../domain/paging/manage-policies.js';
import {
  addScheduleOverride, createSchedule, deleteSchedule, deleteScheduleOverride, getOnCall, getSchedule, listSchedules, updateSchedule,
} from '../../domain/paging/manage-schedules.js';
import { pageNextLevel } from '../../domain/paging/page-next-level.js';
import { previewEscalation, PreviewEscalationInput } from '../../domain/paging/preview-escalation.js';
import { pageNow } from '../../domain/paging/page-now.js';
import { reassignIncident } from '../../domain/paging/reassign-incident.js';
import { getScheduleTimeline } from '../../domain/paging/schedule-timeline.js';
import { loadSchedule } from '../../domain/paging/schedules-repo.js';
import { authorize } from '../../domain/access/authorize.js';
import { findUser } from '../../domain/lookups.js';
import { NOTIFIERS, type ChannelDeps } from '../../notify/registry.js';
import { newWebhookSecret } from '../../notify/webhook/sign.js';
import { route, type RouteTable } from '../route.js';
import {
  ContactList, Delivery, EscalationPolicy, EscalationPolicyList, EscalationPreview, FeedUrl, NewContactMethod, NotificationRule, OnCall, PageResult, Reassigned, Schedule,
  ScheduleList, ScheduleTimeline, TestSent,
} from '../views/paging.js';

const ScheduleBody = z.object({ name: z.string(), team: z.string().nullable().optional().describe('team id or slug; null (on update) leaves no team'), timeZone: z.string(), layers: z.array(layerSchema).optional() });
const SchedulePatch = ScheduleBody.partial();
const OverrideBody = z.object({ user: z.string(), replacesUser: z.string().optional(), start: z.union([z.number(), z.string()]), end: z.union([z.number(), z.string()]) });
const TimelineQuery = z.object({
  from: timeText.optional().describe('ISO 8601 or epoch ms; default now'),
  days: z.string().regex(/^\d{1,3}$/, 'must be a whole number of days').optional().describe('how many days to draw (1–62, default 14)'),
});
const AtQuery = z.object({ at: timeText.optional().describe('ISO 8601 or epoch ms; default now') });
const PolicyBody = escalationPolicySchema.omit({ id: true }).extend({ name: z.string(), team: z.string().optional(), severities: z.array(z.string()).optional() });
const ContactBody = z.object({ user: z.string().optional(), kind: z.enum(['webhook', 'slack', 'email', 'ntfy']), label: z.string().optional(), address: z.string(), secret: z.string().optional() });
const RuleBody = z.object({ user: z.string().optional(), contactMethod: z.string(), delaySeconds: z.number() });
const UserQuery = z.object({ user: z.string().optional() });
const PageBody = z.object({
  user: z.string().optional(),
  schedule: z.string().optional(),
  level: z.literal('next').optional().describe('`next`: the level escalation would page next (give exactly one of user, schedule, level)'),
  note: z.string().optional(),
});
const ReassignBody = z.object({ user: z.string().describe('user id or email'), note: z.string().optional() });

export function registerPagingRoutes(
  app: FastifyInstance,
  table: RouteTable,
  buildCtx: (req: FastifyRequest) => Ctx,
  deps: { channels: ChannelDeps; keys: { feed: string }; publicUrl: string; wake: (at: number) => void },
): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  const base = deps.publicUrl.replace(/\/$/, '');

  // Schedules
  r({ method: 'GET', url: '/api/v1/schedules', tag: 'schedules', access: 'read', response: ScheduleList, summary: 'List schedules with coverage warnings for the next two weeks.', handler: ({ ctx }) => listSchedules({ ctx }) });
  r({ method: 'POST', url: '/api/v1/schedules', tag: 'schedules', access: 'admin', response: Schedule, status: 201, body: ScheduleBody, summary: 'Create a schedule (layers of rotations in one time zone).', handler: ({ ctx, body }) => createSchedule({ ctx, input: body }) });
  r({ method: 'GET', url: '/api/v1/schedules/:schedule', tag: 'schedules', access: 'read', response: Schedule, summary: 'One schedule, its overrides and coverage warnings.', handler: ({ ctx, params }) => getSchedule({ ctx, input: { schedule: params.schedule! } }) });
  r({ method: 'PUT', url: '/api/v1/schedules/:schedule', tag: 'schedules', access: 'admin', response: Schedule, body: SchedulePatch, summary: 'Change a schedule.', handler: ({ ctx, params, body }) => updateSchedule({ ctx, input: { ...body, schedule: params.schedule! } }) });
  r({ method: 'DELETE', url: '/api/v1/schedules/:schedule', tag: 'schedules', access: 'admin', status: 204, summary: 'Delete a schedule; refused (409) naming the escalation policies that still page it.', handler: ({ ctx, params }) => deleteSchedule({ ctx, input: { schedule: params.schedule! } }) });
  r({ method: 'POST', url: '/api/v1/schedules/:schedule/overrides', tag: 'schedules', access: 'respond', response: Schedule, status: 201, body: OverrideBody, summary: 'Someone covers part of a shift.', handler: ({ ctx, params, body }) => addScheduleOverride({ ctx, input: { ...body, schedule: params.schedule } }) });
  r({ method: 'DELETE', url: '/api/v1/schedules/:schedule/overrides/:override', tag: 'schedules', access: 'respond', status: 204, summary: 'Remove an override.', handler: ({ ctx, params }) => deleteScheduleOverride({ ctx, input: { schedule: params.schedule!, override: params.override! } }) });
  r({ method: 'GET', url: '/api/v1/schedules/:schedule/oncall', tag: 'schedules', access: 'read', response: OnCall, query: AtQuery, summary: 'Who is on call at a time, and which layer or override decided.', handler: ({ ctx, params, query }) => getOnCall({ ctx, input: { schedule: params.schedule!, at: query.at } }) });
  r({
    method: 'GET', url: '/api/v1/schedules/:schedule/timeline', tag: 'schedules', access: 'read', response: ScheduleTimeline, query: TimelineQuery,
    summary: 'Each layer, the overrides and the final on-call timeline (with gaps) over the next days.',
    handler: ({ ctx, params, query }) => getScheduleTimeline({ ctx, input: { schedule: params.schedule!, from: query.from, days: query.days === undefined ? undefined : Number(query.days) } }),
  });
  r({ method: 'GET', url: '/api/v1/oncall', tag: 'schedules', access: 'read', response: OnCall, query: AtQuery, summary: 'Who is on call on every schedule.', handler: ({ ctx, query }) => getOnCall({ ctx, input: { at: query.at } }) });
  r({
    method: 'GET', url: '/api/v1/schedules/:schedule/feed', noStore: true, tag: 'schedules', access: 'read', summary: 'The subscribable iCalendar URL of a schedule.',
    response: FeedUrl,
    handler: async ({ ctx, params }) => {
      authorize(ctx.actor, 'read');
      const s = await loadSchedule(ctx.store.db, params.schedule!);
      return { url: `${base}/ical/schedules/${s.id}.ics?token=${feedToken(deps.keys.feed, 'schedule', s.id)}` };
    },
  });
  r({
    method: 'GET', url: '/api/v1/users/:user/feed', noStore: true, tag: 'schedules', access: 'read', summary: "The subscribable iCalendar URL of a user's shifts.",
    response: FeedUrl,
    handler: async ({ ctx, params }) => {
      authorize(ctx.actor, 'read');
      const u = await findUser(ctx.store.db, params.user!);
      return { url: `${base}/ical/users/${u.id}.ics?token=${feedToken(deps.keys.feed, 'user', u.id)}` };
    },
  });

  // Escalation policies
  r({ method: 'GET', url: '/api/v1/escalation-policies', tag: 'escalation', access: 'read', response: EscalationPolicyList, summary: 'List escalation policies.', handler: ({ ctx }) => listEscalationPolicies({ ctx }) });
  r({ method: 'POST', url: '/api/v1/escalation-policies', tag: 'escalation', access: 'admin', status: 201, response: EscalationPolicy, body: PolicyBody, summary: 'Create a policy; `severities` makes it their default.', handler: ({ ctx, body }) => createEscalationPolicy({ ctx, input: body }) });
  r({ method: 'GET', url: '/api/v1/escalation-policies/:policy', tag: 'escalation', access: 'read', response: EscalationPolicy, summary: 'One escalation policy.', handler: ({ ctx, params }) => getEscalationPolicy({ ctx, input: { policy: params.policy! } }) });
  r({ method: 'PUT', url: '/api/v1/escalation-policies/:policy', tag: 'escalation', access: 'admin', body: PolicyBody, response: EscalationPolicy, summary: 'Replace a policy (running incidents keep their snapshot).', handler: ({ ctx, params, body }) => updateEscalationPolicy({ ctx, input: { ...body, policy: params.policy! } }) });
  r({
    method: 'POST', url: '/api/v1/escalation-policies/:policy/preview', tag: 'escalation', access: 'read', response: EscalationPreview, body: PreviewEscalationInput.omit({ policy: true }),
    summary: 'Dry-run: who would be paged, and when, if an incident of this severity (and labels) opened now and nobody acknowledged. Pages nobody.',
    handler: ({ ctx, params, body }) => previewEscalation({ ctx, input: { ...body, policy: params.policy! } }),
  });
  r({ method: 'DELETE', url: '/api/v1/escalation-policies/:policy', tag: 'escalation', access: 'admin', status: 204, summary: 'Delete a policy.', handler: ({ ctx, params }) => deleteEscalationPolicy({ ctx, input: { policy: params.policy! } }) });

  // Contact methods and notification rules
  const checkAddress = async (kind: 'webhook' | 'slack' | 'email' | 'ntfy', address: string) => NOTIFIERS[kind].validateAddress(address, deps.channels);
  r({ method: 'GET', url: '/api/v1/contact-methods', tag: 'notifications', access: 'read', response: ContactList, query: UserQuery, summary: "A user's contact methods and notification rules (yours by default).", handler: ({ ctx, query }) => listContactMethods({ ctx, input: { user: query.user } }) });
  r({ method: 'POST', url: '/api/v1/contact-methods', noStore: true, tag: 'notifications', access: 'read', response: NewContactMethod, status: 201, body: ContactBody, summary: 'Add a contact method; URLs pass the SSRF guard. A generated webhook secret is shown once.', handler: ({ ctx, body }) => createContactMethod({ ctx, input: body, checkAddress, newSecret: newWebhookSecret }) });
  r({ method: 'DELETE', url: '/api/v1/contact-methods/:id', tag: 'notifications', access: 'read', status: 204, summary: 'Remove a contact method.', handler: ({ ctx, params }) => deleteContactMethod({ ctx, input: { id: params.id! } }) });
  r({
    method: 'POST', url: '/api/v1/contact-methods/:id/test', tag: 'notifications', access: 'read', status: 202, summary: 'Send a test notification; see its result in GET /api/v1/deliveries/:id.',
    response: TestSent,
    handler: async ({ ctx, params }) => {
      const result = await testContactMethod({ ctx, input: { id: params.id! } });
      deps.wake(ctx.clock.now());
      return result;
    },
  });
  r({
    method: 'GET', url: '/api/v1/deliveries/:id', tag: 'notifications', access: 'read', summary: 'One delivery (e.g. a test-send) and its last attempt.',
    response: Delivery,
    handler: async ({ ctx, params }) => {
      authorize(ctx.actor, 'read');
      const d = await ctx.store.db.selectFrom('deliveries').selectAll().where('id', '=', params.id!).executeTakeFirst();
      if (!d) throw validation('id', `delivery ${params.id} was not found`);
      return { id: d.id, channel: d.channel, purpose: d.purpose, status: d.status, attempts: d.attempts, lastStatusCode: d.last_status_code, lastError: d.last_error, latencyMs: d.latency_ms, sentAt: d.sent_at === null ? null : new Date(d.sent_at).toISOString() };
    },
  });
  r({ method: 'POST', url: '/api/v1/notification-rules', tag: 'notifications', access: 'read', response: NotificationRule, status: 201, body: RuleBody, summary: 'Notify a contact method N seconds after a page (e.g. push at 0, email at 120).', handler: ({ ctx, body }) => createNotificationRule({ ctx, input: body }) });
  r({ method: 'DELETE', url: '/api/v1/notification-rules/:id', tag: 'notifications', access: 'read', status: 204, summary: 'Remove a notification rule.', handler: ({ ctx, params }) => deleteNotificationRule({ ctx, input: { id: params.id! } }) });

  // Incident paging
  r({ method: 'GET', url: '/api/v1/incidents/:incident/deliveries', tag: 'incidents', access: 'read', summary: 'Delivery log of an incident: channel, target, result, latency.', handler: ({ ctx, params }) => listIncidentDeliveries({ ctx, input: { incident: params.incident! } }) });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/page', tag: 'incidents', access: 'respond', status: 202, body: PageBody,
    response: PageResult,
    summary: 'Page a person, whoever is on call for a schedule, or the next escalation level (`level: "next"`), now.',
    handler: async ({ ctx, params, body }) => {
      const { level, ...rest } = body;
      if (level !== undefined && (rest.user !== undefined || rest.schedule !== undefined)) throw validation('level', 'give exactly one of user, schedule or level');
      const result = level === 'next' ? await pageNextLevel({ ctx, input: { incident: params.incident, note: rest.note } }) : await pageNow({ ctx, input: { ...rest, incident: params.incident } });
      deps.wake(ctx.clock.now());
      return result;
    },
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/reassign', tag: 'incidents', access: 'respond', body: ReassignBody,
    response: Reassigned,
    summary: 'Re-assign to a person: they are paged at once; while triggered, escalation continues with its pending level re-timed from now.',
    handler: async ({ ctx, params, body }) => {
      const result = await reassignIncident({ ctx, input: { ...body, incident: params.incident } });
      deps.wake(ctx.clock.now());
      return result;
    },
  });
}
