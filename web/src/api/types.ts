/**
 * Names for the views the API answers with. Each is generated from the server's response schemas
 * (src/http/views/, via the OpenAPI document into schema.d.ts), never written by hand here.
 */
import type { components } from './schema.js';

type View = components['schemas'];

export type Incident = View['Incident'];
export type IncidentDetail = View['IncidentDetail'];
export type IncidentStatus = Incident['status'];
export type RoleAssignment = Incident['roles'][number];
/** A role of the catalogue the incident page offers (GET /api/v1/incident-roles). */
export type IncidentRole = View['IncidentRole'];
export type Task = View['Task'];
export type TargetResult = View['TargetResult'];
export type TimelineEvent = View['TimelineEvent'];
export type Severity = View['Severity'];
export type Session = View['Session'];
export type Actor = View['Actor'];
export type UserSummary = View['UserSummary'];
export type User = View['User'];
export type Team = View['Team'];
export type Service = View['Service'];
export type ServiceSummary = View['ServiceRef'];

/** In the order the status control offers them (the server's list is INCIDENT_STATUSES in domain/incidents/status.ts). */
export const INCIDENT_STATUSES: IncidentStatus[] = ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring', 'resolved'];

/** The role a signed-in user or API key acts with; integrations and the system have none. */
export const actorRole = (actor: Actor): 'admin' | 'responder' | 'viewer' | null => ('role' in actor ? actor.role : null);

/**
 * The incident a page holds: GET answers it with tasks, targets and open action items; most
 * verbs answer the incident alone, so those parts are kept from before (or absent).
 */
export type LiveIncident = Incident & Partial<Omit<IncidentDetail, keyof Incident>>;
