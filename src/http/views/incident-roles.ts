import { z } from 'zod';
import { isoTime, itemsOf, view } from './registry.js';

/** The catalogue of incident roles (domain/incident-roles). */
export const IncidentRole = view('IncidentRole', z.object({
  /** What an incident's assignment names (`commander`, `security-lead`). */
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  position: z.number(),
  /** `config` when firebreak.yaml declares it (API writes answer 409). */
  managedBy: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
}));

export const IncidentRoleList = itemsOf(IncidentRole);
