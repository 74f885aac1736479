import { z } from 'zod';
import { Incident } from './incidents.js';
import { isoTime, itemsOf, view } from './registry.js';

/** Schedules, who is on call, contact methods and paging (domain/paging, domain/oncall). */
export const ScheduleLayer = view('ScheduleLayer', z.object({
  id: z.string(),
  name: z.string(),
  rotation: z.object({
    type: z.enum(['daily', 'weekly', 'custom']),
    /** Only for `custom`: length of one turn. */
    shiftLengthSeconds: z.number().optional(),
    /** Local `HH:MM` at which one member hands over to the next. */
    handoffTime: z.string(),
    /** Local `YYYY-MM-DD` of the first turn. */
    startDate: z.string(),
    /** User ids in rotation order. */
    members: z.array(z.string()),
  }),
  /** Windows in which the layer is active; none means always. */
  restrictions: z.array(z.object({
    type: z.enum(['daily', 'weekly']),
    from: z.string(),
    to: z.string(),
    days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).optional(),
  })).optional(),
}));

export const Schedule = view('Schedule', z.object({
  id: z.string(),
  name: z.string(),
  teamId: z.string().nullable(),
  timeZone: z.string(),
  layers: z.array(ScheduleLayer),
  overrides: z.array(z.object({ id: z.string(), userId: z.string(), replacesUserId: z.string().nullable(), start: isoTime, end: isoTime })),
  /** Gaps and overlaps of the next two weeks. */
  warnings: z.array(z.string()),
  /** Escalation policies that page this schedule (deleting it is refused while any do). */
  usedBy: z.array(z.string()),
  version: z.number(),
  createdAt: isoTime,
  updatedAt: isoTime,
}));
export const ScheduleList = itemsOf(Schedule);

/** Who is on call at `at`, per schedule, and the layer turn or override that decided (times in epoch ms). */
export const OnCall = view('OnCall', z.object({
  at: isoTime,
  schedules: z.array(z.object({
    id: z.string(),
    name: z.string(),
    users: z.array(z.object({ id: z.string(), name: z.string() })),
    reason: z.string(),
    explanation: z.array(z.object({
      layerId: z.string().optional(),
      layerName: z.string().optional(),
      overrideId: z.string().optional(),
      shiftStart: z.number(),
      shiftEnd: z.number(),
      reason: z.string(),
    })),
  })),
}));

/** A subscribable iCalendar URL (carries its token). */
export const FeedUrl = view('FeedUrl', z.object({ url: z.string() }));

export const ContactMethod = view('ContactMethod', z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.enum(['webhook', 'slack', 'email', 'ntfy']),
  label: z.string(),
  address: z.string(),
  verified: z.boolean(),
  hasSecret: z.boolean(),
  disabledReason: z.string().nullable(),
  createdAt: isoTime,
}));

/** The create answer: a generated webhook secret is shown this once. */
export const NewContactMethod = view('NewContactMethod', ContactMethod.extend({ secret: z.string().optional() }));

export const NotificationRule = view('NotificationRule', z.object({ id: z.string(), contactMethodId: z.string(), delaySeconds: z.number() }));

export const ContactList = view('ContactList', z.object({ items: z.array(ContactMethod), rules: z.array(NotificationRule) }));

export const TestSent = view('TestSent', z.object({ deliveryId: z.string() }));

export const Delivery = view('Delivery', z.object({
  id: z.string(),
  channel: z.string(),
  purpose: z.string(),
  status: z.string(),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  latencyMs: z.number().nullable(),
  sentAt: isoTime.nullable(),
}));

const PagedPerson = z.object({ id: z.string(), name: z.string(), email: z.string(), reachable: z.boolean() });

/** `level: "next"` answers with the level paged; a person or schedule, with who was paged. */
export const PageResult = view('PageResult', z.union([
  z.object({
    level: z.number(),
    round: z.number(),
    /** `escalated`: the pending level falls due now; `paged`: paged by hand, escalation left paused. */
    mode: z.enum(['escalated', 'paged']),
    userIds: z.array(z.string()),
    users: z.array(PagedPerson),
    deliveries: z.number(),
  }),
  z.object({ userIds: z.array(z.string()), users: z.array(PagedPerson), deliveries: z.number() }),
]));

export const Reassigned = view('Reassigned', Incident.extend({ deliveries: z.number(), escalationDueAt: isoTime.nullable() }));
