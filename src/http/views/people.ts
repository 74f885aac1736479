import { z } from 'zod';
import { CHECKLIST_TRIGGERS } from '../../domain/tasks/checklist-template-view.js';
import { isoTime, itemsOf, view } from './registry.js';

/** Users, teams, services, severities, sessions and checklist templates (domain/users, teams, services, severities, tasks). */
const Role = z.enum(['admin', 'responder', 'viewer']);

/** Who did something or is signed in (core/actor.ts). */
export const Actor = view('Actor', z.union([
  z.object({ type: z.literal('user'), id: z.string(), name: z.string(), role: Role }),
  z.object({ type: z.literal('apiKey'), id: z.string(), name: z.string(), userId: z.string().nullable(), role: Role, scopes: z.array(z.enum(['read', 'write', 'admin', 'ingest'])) }),
  z.object({ type: z.literal('integration'), id: z.string(), name: z.string() }),
  z.object({ type: z.literal('system'), name: z.string() }),
]));

export const Session = view('Session', z.object({ actor: Actor, email: z.string().nullable(), csrfToken: z.string().nullable() }));

export const SignedIn = view('SignedIn', z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.string() }),
  csrfToken: z.string(),
}));

/** What an admin (or the user themself) sees: the items of an admin's list, the create answer. */
export const User = view('User', z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  timeZone: z.string(),
  disabled: z.boolean(),
  hasPassword: z.boolean(),
  managedBy: z.string().nullable(),
  teams: z.array(z.object({ slug: z.string(), name: z.string(), role: z.string() })),
  createdAt: isoTime,
  updatedAt: isoTime,
}));

/** One user in full (GET and PATCH /users/:id, for an admin or the user themself). */
export const UserDetail = view('UserDetail', User.extend({
  /** Where the user is named for paging (policies, schedules, overrides, teams); a disabled user stays there but is skipped. */
  pagedVia: z.array(z.string()),
}));

/** A one-time sign-in link (`/welcome#<token>`), shown once. */
export const SignInLink = view('SignInLink', z.object({ url: z.string(), expiresAt: isoTime }));

/** What the password change did: every session of the user ended, the caller's own included. */
export const PasswordSet = view('PasswordSet', z.object({ sessionsEnded: z.number() }));

/** What everyone else sees of a user: enough to pick someone for a role. */
export const UserSummary = view('UserSummary', z.object({ id: z.string(), email: z.string(), name: z.string() }));

/** GET /users/:id: the full view for an admin or the user themself, the summary for anyone else. */
export const UserDetailOrSummary = z.union([UserDetail, UserSummary]);
/** GET /users: every user in full for an admin; active users' summaries for anyone else, never a mix. */
export const UserList = z.union([itemsOf(User), itemsOf(UserSummary)]);

export const Team = view('Team', z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  managedBy: z.string().nullable(),
  members: z.array(z.object({ userId: z.string(), email: z.string(), name: z.string(), role: z.string() })),
  createdAt: isoTime,
  updatedAt: isoTime,
}));
export const TeamList = itemsOf(Team);

export const Service = view('Service', z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  team: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  managedBy: z.string().nullable(),
  /** The service's own escalation policy; null = the severity's default pages. */
  escalationPolicy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
}));
export const ServiceList = itemsOf(Service);

/** One service with what it is wired to (GET /services/:id). */
export const ServiceDetail = view('ServiceDetail', Service.extend({
  runbooks: z.array(z.object({ slug: z.string(), title: z.string() })),
  integrations: z.array(z.object({ id: z.string(), name: z.string(), format: z.string(), disabled: z.boolean() })),
  routingRules: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Unresolved incidents, newest first (at most 50). */
  openIncidents: z.array(z.object({ number: z.number(), title: z.string(), severity: z.string(), status: z.string(), declaredAt: isoTime })),
  openIncidentCount: z.number(),
}));

export const Severity = view('Severity', z.object({
  key: z.string(),
  rank: z.number(),
  name: z.string(),
  description: z.string(),
  examples: z.array(z.string()),
  ackTargetSeconds: z.number().nullable(),
  resolveTargetSeconds: z.number().nullable(),
  updateCadenceSeconds: z.number().nullable(),
  escalationPolicyId: z.string().nullable(),
  /** Incidents of this severity cannot be closed until their post-mortem is published. */
  postmortemRequired: z.boolean(),
  postmortemDueSeconds: z.number().nullable(),
  /** Communication deadlines opened as incident tasks. */
  commTasks: z.array(z.object({ title: z.string(), audience: z.enum(['responders', 'internal', 'public']).optional(), withinSeconds: z.number() })),
  managedBy: z.string().nullable(),
  /** Targets count business hours only (Monday–Friday 09:00–17:00 UTC). */
  businessHours: z.boolean(),
}));
export const SeverityList = itemsOf(Severity);

export const ChecklistTemplate = view('ChecklistTemplate', z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  severities: z.array(z.string()),
  items: z.array(z.string()),
  trigger: z.enum(CHECKLIST_TRIGGERS),
  /** Time windows, in order: their tasks are due `dueOffsetSeconds` after the trigger. */
  groups: z.array(z.object({
    name: z.string(),
    dueOffsetSeconds: z.number(),
    items: z.array(z.union([z.string(), z.object({ title: z.string(), dueOffsetSeconds: z.number().optional() })])),
  })),
  managedBy: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
}));
export const ChecklistTemplateList = itemsOf(ChecklistTemplate);
