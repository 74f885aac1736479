import { z } from 'zod';
import { INCIDENT_STATUSES } from '../../domain/incidents/status.js';
import { ActionItem } from './action-items.js';
import { isoTime, itemsOf, view } from './registry.js';

/** Incidents as the API answers (domain/incidents/incident-view.ts). */
export const ServiceRef = view('ServiceRef', z.object({ id: z.string(), slug: z.string(), name: z.string() }));

export const Incident = view('Incident', z.object({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  summary: z.string(),
  severity: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  service: ServiceRef.nullable(),
  isDrill: z.boolean(),
  createdBy: z.string().nullable(),
  detectedAt: isoTime,
  declaredAt: isoTime,
  acknowledgedAt: isoTime.nullable(),
  mitigatedAt: isoTime.nullable(),
  resolvedAt: isoTime.nullable(),
  /** Closed after resolution (the post-mortem gate passed). */
  closedAt: isoTime.nullable(),
  updatedAt: isoTime,
  version: z.number().int(),
  roles: z.array(z.object({ role: z.string(), userId: z.string(), userName: z.string(), assignedAt: isoTime })),
  /** Whom the incident was last re-assigned to by hand (paged at once). */
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
}));

export const Task = view('Task', z.object({
  id: z.string(),
  title: z.string(),
  position: z.number(),
  source: z.string().nullable(),
  done: z.boolean(),
  doneBy: z.string().nullable(),
  doneAt: isoTime.nullable(),
  /** Post-incident checklist tasks: when due, and their time window ("Immediate (0–1 h)"). */
  dueAt: isoTime.optional(),
  group: z.string().optional(),
}));

export const TargetResult = view('TargetResult', z.object({
  targetSeconds: z.number().nullable(),
  actualSeconds: z.number().nullable(),
  met: z.boolean().nullable(),
  outcome: z.enum(['met', 'missed', 'pending', 'notApplicable']),
}));

/** One incident with its tasks, targets and the open action items of earlier incidents on its service. */
export const IncidentDetail = view('IncidentDetail', Incident.extend({
  tasks: z.array(Task),
  targets: z.object({ ack: TargetResult, resolve: TargetResult }),
  openActionItems: z.array(ActionItem),
  /** The policy paging it and the level "page the next level now" would page; null: no policy pages it. */
  escalation: z.object({
    policy: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
    levels: z.number(),
    nextLevel: z.number().nullable(),
  }).nullable(),
}));

export const IncidentPage = view('IncidentPage', z.object({ items: z.array(Incident), nextCursor: z.string().nullable() }));

export const TimelineEvent = view('TimelineEvent', z.object({
  id: z.string(),
  incidentId: z.string(),
  at: isoTime,
  kind: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string() }),
  body: z.string(),
  data: z.record(z.string(), z.unknown()),
}));

export const TimelineList = itemsOf(TimelineEvent);
