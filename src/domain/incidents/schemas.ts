import { z } from 'zod';
import { epochMs } from '../../core/input-schemas.js';
import { INCIDENT_STATUSES, STATUS_EVENTS } from './status.js';

/** Limits shared by the API, the CLI and the UI. */
export const LIMITS = { title: 200, summary: 10_000, note: 20_000, role: 40, task: 500 } as const;

export const IncidentRef = z.string().trim().min(1).max(40);
const Markdown = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const EpochOrIso = z.union([epochMs.nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);

export const DeclareIncidentInput = z.object({
  title: z.string().trim().min(1, 'is required').max(LIMITS.title),
  severity: z.string().trim().min(1, 'is required').max(20),
  service: z.string().trim().min(1).max(80).nullish(),
  summary: Markdown(LIMITS.summary).default(''),
  detectedAt: EpochOrIso.optional(),
  isDrill: z.boolean().default(false),
});

export const ChangeStatusInput = z
  .object({
    incident: IncidentRef,
    status: z.enum(INCIDENT_STATUSES).optional(),
    event: z.enum(STATUS_EVENTS).optional(),
    note: Markdown(LIMITS.note).optional(),
  })
  .refine((v) => (v.status === undefined) !== (v.event === undefined), { message: 'give exactly one of status or event', path: ['status'] });

export const ChangeSeverityInput = z.object({
  incident: IncidentRef,
  severity: z.string().trim().min(1).max(20),
  reason: Markdown(2000).optional(),
});

export const UpdateIncidentInput = z.object({
  incident: IncidentRef,
  title: z.string().trim().min(1).max(LIMITS.title).optional(),
  summary: Markdown(LIMITS.summary).optional(),
  service: z.string().trim().min(1).max(80).nullable().optional(),
});

export const AddNoteInput = z.object({
  incident: IncidentRef,
  body: z.string().trim().min(1, 'is required').max(LIMITS.note),
});

export const RoleName = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(LIMITS.role)
  .regex(/^[a-z][a-z0-9_-]*$/, 'use lower-case letters, digits, - and _ (e.g. commander, communications, scribe)');

export const AssignRoleInput = z.object({
  incident: IncidentRef,
  role: RoleName,
  user: z.string().trim().min(1).max(254).nullable(),
});

export const HandOffInput = z.object({
  incident: IncidentRef,
  role: RoleName.default('commander'),
  to: z.string().trim().min(1).max(254),
  state: z.string().trim().min(1, 'is required: where things stand').max(5000),
  actionsTaken: z.string().trim().max(5000).default(''),
  nextSteps: z.string().trim().min(1, 'is required: what the next person should do').max(5000),
});

export const AddTaskInput = z.object({
  incident: IncidentRef,
  title: z.string().trim().min(1).max(LIMITS.task),
});

export const SetTaskDoneInput = z.object({
  incident: IncidentRef,
  task: z.string().trim().startsWith('task_', 'must be a task id (task_…)').max(40),
  done: z.boolean(),
});

export const ListIncidentsInput = z.object({
  status: z.array(z.enum([...INCIDENT_STATUSES, 'open'])).default([]),
  severity: z.array(z.string().max(20)).default([]),
  service: z.string().max(80).optional(),
  from: EpochOrIso.optional(),
  to: EpochOrIso.optional(),
  q: z.string().max(200).optional(),
  includeDrills: z.boolean().default(false),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});

export const ListTimelineInput = z.object({
  incident: IncidentRef,
  after: z.string().max(40).optional(),
  limit: z.number().int().min(1).max(1000).default(500),
});
