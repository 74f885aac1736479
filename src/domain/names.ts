import { z } from 'zod';

/**
 * Field shapes shared by the API verbs and `firebreak.yaml`, so an object the file declares is
 * valid through the API too and the other way round.
 */
export const Slug = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and - (starting with a letter or digit)');

export const Email = z.string().trim().toLowerCase().pipe(z.email({ error: 'is not an email address' })).pipe(z.string().max(254));

export const DisplayName = z.string().trim().min(1).max(120);

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** IANA zone names (`Europe/Berlin`, `UTC`), checked against the runtime's time zone data. */
export const TimeZone = z.string().trim().min(1).max(64).refine(isTimeZone, { error: 'is not a known IANA time zone (e.g. Europe/Berlin, UTC)' });

export const USER_ROLES = ['admin', 'responder', 'viewer'] as const;
export const UserRoleInput = z.enum(USER_ROLES);

export const TEAM_ROLES = ['manager', 'responder', 'observer'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
export const TeamRoleInput = z.enum(TEAM_ROLES);

/** A checklist item is one line a responder ticks off. */
export const ChecklistItem = z.string().trim().min(1).max(300);

/** Value written to `managed_by` for objects declared in `firebreak.yaml`. */
export const MANAGED_BY_CONFIG = 'config';
