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

/** A bar of the timeline: epoch ms, start inclusive, end exclusive, clipped to the window. */
const TimelineBar = z.object({ start: z.number(), end: z.number(), userId: z.string() });

/** Each layer on its own, the overrides, and the final on-call result with its gaps over [from, to) (domain/oncall/timeline.ts). */
export const ScheduleTimeline = view('ScheduleTimeline', z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  from: isoTime,
  to: isoTime,
  layers: z.array(z.object({ id: z.string(), name: z.string(), bars: z.array(TimelineBar) })),
  overrides: z.array(TimelineBar.extend({ id: z.string(), replacesUserId: z.string().optional() })),
  /** Who is on call, with the layer turn or override that decided and why. */
  final: z.array(TimelineBar.extend({ layerId: z.string().optional(), overrideId: z.string().optional(), reason: z.string() })),
  gaps: z.array(z.object({ start: z.number(), end: z.number() })),
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

/** Escalation policies and their dry run (domain/escalation/policy.ts, domain/paging/manage-policies.ts, preview-escalation.ts). */
export const EscalationTarget = view('EscalationTarget', z.object({ type: z.enum(['user', 'schedule', 'team']), id: z.string() }));

const LabelMatcher = z.object({ name: z.string(), op: z.enum(['=', '!=', '=~', '!~']), value: z.string() });

/** All given parts must hold: every matcher matches, the severity is one of `severities`, enough alerts fire. */
export const EscalationCondition = view('EscalationCondition', z.object({
  matchers: z.array(LabelMatcher).optional(),
  severities: z.array(z.string()).optional(),
  /** At least `atLeast` of the incident's firing alerts match `matchers` when the level falls due. */
  firingAlerts: z.object({ atLeast: z.number(), matchers: z.array(LabelMatcher).optional() }).optional(),
}));

export const EscalationLevel = view('EscalationLevel', z.object({
  /** Seconds after the previous level fired (after escalation started, for the first). */
  delaySeconds: z.number(),
  targets: z.array(EscalationTarget),
  /** Page one target per firing, rotating through `targets`. */
  roundRobin: z.boolean().optional(),
  /** The level pages only when this holds at its due time; otherwise it is skipped. */
  condition: EscalationCondition.optional(),
}));

export const EscalationPolicy = view('EscalationPolicy', z.object({
  id: z.string(),
  name: z.string(),
  teamId: z.string().nullable(),
  levels: z.array(EscalationLevel),
  /** Extra passes over all levels after the first. */
  repeat: z.number(),
  repeatDelaySeconds: z.number(),
  /** After an acknowledgement, re-trigger if not resolved within this many seconds; null: never. */
  ackTimeoutSeconds: z.number().nullable(),
  catchUp: z.enum(['late-but-once', 'skip-to-current']),
  /** The whole policy pages only when this holds. */
  condition: EscalationCondition.optional(),
  /** Each entry pages its targets once, that long after escalation started, unless the incident is resolved by then. */
  ifUnresolved: z.array(z.object({ afterSeconds: z.number(), targets: z.array(EscalationTarget) })).optional(),
  /** Severity keys that page with this policy by default. */
  severities: z.array(z.string()),
  /** Every severity, service and routing rule that pages with it (deleting it is refused while any do). */
  usedBy: z.array(z.string()),
  version: z.number(),
}));
export const EscalationPolicyList = itemsOf(EscalationPolicy);

const PreviewPerson = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  /** Named by their target but never paged. */
  disabled: z.boolean(),
  /** False when the person has no usable contact method. */
  reachable: z.boolean(),
});

/** Who would be paged, and when, if an incident opened now and nobody acknowledged. */
export const EscalationPreview = view('EscalationPreview', z.object({
  policy: z.object({ id: z.string(), name: z.string() }),
  severity: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  startsAt: isoTime,
  steps: z.array(z.object({
    at: isoTime,
    /** Seconds after the incident opened. */
    offsetSeconds: z.number(),
    kind: z.enum(['page', 'skip', 'if-unresolved']),
    /** 1-based; null for an "if unresolved" entry. */
    level: z.number().nullable(),
    round: z.number().nullable(),
    /** Everyone each target names at the step's time (a schedule: who is on call then). */
    targets: z.array(z.object({ type: z.enum(['user', 'schedule', 'team']), id: z.string(), name: z.string(), people: z.array(PreviewPerson) })),
    paged: z.array(PreviewPerson),
    reason: z.string(),
  })),
  /** How escalation ends when nobody acknowledges. */
  end: z.string(),
}));
