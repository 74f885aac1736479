import { notFound } from '../core/errors.js';
import type { Db, Tx } from '../store/index.js';

/** Users are named by id (`usr_…`) or email; services and teams by id or slug. */
export async function findUser(db: Db | Tx, ref: string) {
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where(ref.startsWith('usr_') ? 'id' : 'email', '=', ref.startsWith('usr_') ? ref : ref.toLowerCase())
    .executeTakeFirst();
  if (!user) throw notFound('user', ref);
  return user;
}

export async function findService(db: Db | Tx, ref: string) {
  const service = await db.selectFrom('services').selectAll().where(ref.startsWith('svc_') ? 'id' : 'slug', '=', ref).executeTakeFirst();
  if (!service) throw notFound('service', ref);
  return service;
}

export async function findTeam(db: Db | Tx, ref: string) {
  const team = await db.selectFrom('teams').selectAll().where(ref.startsWith('team_') ? 'id' : 'slug', '=', ref).executeTakeFirst();
  if (!team) throw notFound('team', ref);
  return team;
}

/** Severity keys are matched without regard to case; the stored spelling wins. */
export async function findSeverity(db: Db | Tx, key: string) {
  const rows = await db.selectFrom('severities').selectAll().orderBy('rank').execute();
  const found = rows.find((r) => r.key.toLowerCase() === key.trim().toLowerCase());
  if (!found) {
    throw notFound('severity', `${key} (known: ${rows.map((r) => r.key).join(', ')})`);
  }
  return found;
}

/** Escalation policies are named by id (`pol_…`) or name. */
export async function findEscalationPolicy(db: Db | Tx, ref: string) {
  const policy = await db.selectFrom('escalation_policies').select(['id', 'name']).where(ref.startsWith('pol_') ? 'id' : 'name', '=', ref).executeTakeFirst();
  if (!policy) throw notFound('escalation policy', ref);
  return policy;
}
