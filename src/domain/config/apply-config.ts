import type { FirebreakConfig } from '../../config/config-file.js';
import { severityLevelsFromConfig } from '../../config/config-file.js';
import { AppError, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { MANAGED_BY_CONFIG } from '../names.js';
import { applyIntegrations } from './apply-integrations.js';
import { configPolicy } from './config-policy.js';
import { applyRoutes } from './apply-routes.js';
import { applyUpdateTemplates } from './apply-update-templates.js';
import { applyPostmortemTemplates } from './apply-postmortem-templates.js';
import { applyStatusPages } from './apply-status-pages.js';
import { applyAudiences } from './apply-audiences.js';
import { applyReportSchedules } from './apply-report-schedules.js';
import { validateSeverityScheme } from '../severities/severity-scheme.js';
import { writeSeverityScheme } from '../severities/write-severity-scheme.js';
import { endUserSessions } from '../users/user-view.js';
import { applyEscalationPolicies } from './apply-escalation-policies.js';
import { applyIncidentRoles } from './apply-incident-roles.js';
import { assertScopeMayWrite, FILE_SCOPE, updatedWord, type ApplyScope } from './scope.js';

export interface ApplyConfigResult {
  changed: boolean;
  /** One line per change, e.g. `team sre: added member ana@example.com (responder)`. */
  changes: string[];
}

const MAX_AUDITED_CHANGES = 500;

/**
 * Makes the database match `firebreak.yaml` in one transaction, with one `config.apply` audit
 * entry. Declared objects are created or updated and marked managed; an existing API-made
 * object with the same slug or email is adopted. Managed objects that left the file are removed,
 * except users, who are disabled and handed back to the API (their incidents name them). Objects
 * the file never declared are left alone. Applying the same file again changes nothing.
 */
export async function applyConfig({ ctx, input }: { ctx: Ctx; input: { config: FirebreakConfig; file?: string; integrationKeys?: ReadonlyMap<string, string> } }): Promise<ApplyConfigResult> {
  authorize(ctx.actor, 'admin');
  const { config } = input;
  const levels = config.severities ? validateSeverityScheme(severityLevelsFromConfig(config.severities)) : null;
  return ctx.store.transaction(async (tx) => {
    // Serialises instances applying at the same start-up: the second sees the first's result.
    await ctx.store.dialect.forUpdate(tx.selectFrom('audit_head').select('seq').where('chain', '=', 'main')).execute();
    const changes: string[] = [];
    const userIds = await applyUsers(ctx, tx, config, changes);
    const teamIds = await applyTeams(ctx, tx, config, userIds, changes);
    await applyServices(ctx, tx, config, teamIds, changes);
    // After users and teams (targets name them), before severities (a severity names its default).
    await applyEscalationPolicies(ctx, tx, config, changes);
    await applySeverities(ctx, tx, config, levels, changes);
    await applyChecklists(ctx, tx, config, changes);
    // Keys come from files or the environment, read by the caller (config/integration-keys.ts).
    await applyIntegrations(ctx, tx, config, input.integrationKeys ?? new Map(), changes);
    // After services, severities and integrations: a rule names them.
    await applyRoutes(ctx, tx, config, changes);
    await applyUpdateTemplates(ctx, tx, config, changes);
    await applyPostmortemTemplates(ctx, tx, config, changes);
    // After services: components name them.
    await applyStatusPages(ctx, tx, config, changes);
    // After users, teams, services and severities: groups and rules name them.
    await applyAudiences(ctx, tx, config, changes);
    // After services and teams: a schedule's filters name them.
    await applyReportSchedules(ctx, tx, config, changes);
    await applyIncidentRoles(ctx, tx, config, changes);
    if (changes.length > 0) {
      await recordAudit(ctx, tx, {
        action: 'config.apply',
        target: input.file ?? null,
        data: { changes: changes.slice(0, MAX_AUDITED_CHANGES), total: changes.length },
      });
    }
    return { changed: changes.length > 0, changes };
  });
}

async function applyUsers(ctx: Ctx, tx: Tx, config: FirebreakConfig, changes: string[]): Promise<Map<string, string>> {
  const now = ctx.clock.now();
  const existing = await tx.selectFrom('users').selectAll().execute();
  const byEmail = new Map(existing.map((u) => [u.email, u]));
  const ids = new Map<string, string>();
  for (const user of config.users) {
    const row = byEmail.get(user.email);
    if (!row) {
      const id = newId('usr', now);
      await tx.insertInto('users').values({
        id, email: user.email, name: user.name, role: user.role, password_hash: null, time_zone: user.timeZone,
        disabled: 0, managed_by: MANAGED_BY_CONFIG, created_at: now, updated_at: now,
      }).execute();
      changes.push(`user ${user.email}: created (${user.role})`);
      ids.set(user.email, id);
      continue;
    }
    ids.set(user.email, row.id);
    const what: string[] = [];
    const adopting = row.managed_by !== MANAGED_BY_CONFIG;
    if (adopting) what.push('now managed by the file');
    if (row.name !== user.name) what.push(`name '${row.name}' → '${user.name}'`);
    if (row.role !== user.role) what.push(`role ${row.role} → ${user.role}`);
    if (row.time_zone !== user.timeZone) what.push(`time zone ${row.time_zone} → ${user.timeZone}`);
    // Declaring a user means they may sign in; an admin's later disable sticks until re-adoption.
    const enable = adopting && row.disabled === 1;
    if (enable) what.push('enabled');
    if (what.length === 0) continue;
    await tx.updateTable('users').set({
      name: user.name, role: user.role, time_zone: user.timeZone, managed_by: MANAGED_BY_CONFIG,
      disabled: enable ? 0 : row.disabled, updated_at: now,
    }).where('id', '=', row.id).execute();
    if (row.role !== user.role) await endUserSessions(tx, row.id);
    changes.push(`user ${user.email}: ${what.join(', ')}`);
  }
  const declared = new Set(config.users.map((u) => u.email));
  for (const row of existing) {
    if (row.managed_by !== MANAGED_BY_CONFIG || declared.has(row.email)) continue;
    await tx.updateTable('users').set({ disabled: 1, managed_by: null, updated_at: now }).where('id', '=', row.id).execute();
    await endUserSessions(tx, row.id);
    changes.push(`user ${row.email}: removed from the file, disabled`);
  }
  const admins = await tx.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0).execute();
  if (admins.length === 0) {
    throw new AppError('CONFLICT', 'users: applying the file would leave no active admin; declare one (role: admin) or keep an existing admin', {
      issues: [{ field: 'users', message: 'would leave no active admin; declare one with role: admin' }],
    });
  }
  return ids;
}

async function applyTeams(ctx: Ctx, tx: Tx, config: FirebreakConfig, userIds: Map<string, string>, changes: string[]): Promise<Map<string, string>> {
  const now = ctx.clock.now();
  const existing = await tx.selectFrom('teams').selectAll().execute();
  const bySlug = new Map(existing.map((t) => [t.slug, t]));
  const ids = new Map<string, string>();
  for (const team of config.teams) {
    let row = bySlug.get(team.slug);
    if (!row) {
      row = { id: newId('team', now), slug: team.slug, name: team.name, managed_by: MANAGED_BY_CONFIG, created_at: now, updated_at: now };
      await tx.insertInto('teams').values(row).execute();
      changes.push(`team ${team.slug}: created`);
    } else if (row.name !== team.name || row.managed_by !== MANAGED_BY_CONFIG) {
      await tx.updateTable('teams').set({ name: team.name, managed_by: MANAGED_BY_CONFIG, updated_at: now }).where('id', '=', row.id).execute();
      changes.push(`team ${team.slug}: ${[row.managed_by !== MANAGED_BY_CONFIG ? 'now managed by the file' : '', row.name !== team.name ? `name '${row.name}' → '${team.name}'` : ''].filter(Boolean).join(', ')}`);
    }
    ids.set(team.slug, row.id);
    // The file lists a managed team's whole membership.
    const members = await tx.selectFrom('team_members').innerJoin('users', 'users.id', 'team_members.user_id')
      .select(['team_members.user_id', 'team_members.role', 'users.email']).where('team_members.team_id', '=', row.id).execute();
    const current = new Map(members.map((m) => [m.user_id, m]));
    const wanted = new Set<string>();
    for (const [i, member] of team.members.entries()) {
      const userId = userIds.get(member.user);
      if (!userId) throw validation(`teams.${config.teams.indexOf(team)}.members.${i}.user`, `user '${member.user}' is not declared under users:`);
      wanted.add(userId);
      const have = current.get(userId);
      if (!have) {
        await tx.insertInto('team_members').values({ team_id: row.id, user_id: userId, role: member.role, created_at: now }).execute();
        changes.push(`team ${team.slug}: added member ${member.user} (${member.role})`);
      } else if (have.role !== member.role) {
        await tx.updateTable('team_members').set({ role: member.role }).where('team_id', '=', row.id).where('user_id', '=', userId).execute();
        changes.push(`team ${team.slug}: ${member.user} role ${have.role} → ${member.role}`);
      }
    }
    for (const m of members) {
      if (wanted.has(m.user_id)) continue;
      await tx.deleteFrom('team_members').where('team_id', '=', row.id).where('user_id', '=', m.user_id).execute();
      changes.push(`team ${team.slug}: removed member ${m.email}`);
    }
  }
  const declared = new Set(config.teams.map((t) => t.slug));
  for (const row of existing) {
    if (row.managed_by !== MANAGED_BY_CONFIG || declared.has(row.slug)) continue;
    await tx.deleteFrom('team_members').where('team_id', '=', row.id).execute();
    await tx.updateTable('services').set({ team_id: null }).where('team_id', '=', row.id).execute();
    await tx.deleteFrom('teams').where('id', '=', row.id).execute();
    changes.push(`team ${row.slug}: removed`);
  }
  return ids;
}

async function applyServices(ctx: Ctx, tx: Tx, config: FirebreakConfig, teamIds: Map<string, string>, changes: string[]): Promise<void> {
  const now = ctx.clock.now();
  const existing = await tx.selectFrom('services').selectAll().execute();
  const bySlug = new Map(existing.map((s) => [s.slug, s]));
  for (const [i, service] of config.services.entries()) {
    const teamId = service.team === undefined ? null : teamIds.get(service.team);
    if (teamId === undefined) throw validation(`services.${i}.team`, `team '${service.team}' is not declared under teams:`);
    const policy = await configPolicy(tx, service.escalationPolicy);
    const row = bySlug.get(service.slug);
    if (!row) {
      await tx.insertInto('services').values({
        id: newId('svc', now), slug: service.slug, name: service.name, description: service.description, team_id: teamId,
        managed_by: MANAGED_BY_CONFIG, created_at: now, updated_at: now, escalation_policy_id: policy.id,
      }).execute();
      changes.push(`service ${service.slug}: created${policy.note ? ` (${policy.note})` : ''}`);
      continue;
    }
    const what = [
      row.managed_by !== MANAGED_BY_CONFIG ? 'now managed by the file' : '',
      row.name !== service.name ? `name '${row.name}' → '${service.name}'` : '',
      row.description !== service.description ? 'description changed' : '',
      row.team_id !== teamId ? `team → ${service.team ?? 'none'}` : '',
      row.escalation_policy_id !== policy.id ? `escalation policy → ${policy.note ?? service.escalationPolicy ?? 'severity default'}` : '',
    ].filter(Boolean);
    if (what.length === 0) continue;
    await tx.updateTable('services').set({ name: service.name, description: service.description, team_id: teamId, escalation_policy_id: policy.id, managed_by: MANAGED_BY_CONFIG, updated_at: now }).where('id', '=', row.id).execute();
    changes.push(`service ${service.slug}: ${what.join(', ')}`);
  }
  const declared = new Set(config.services.map((s) => s.slug));
  for (const row of existing) {
    if (row.managed_by !== MANAGED_BY_CONFIG || declared.has(row.slug)) continue;
    await tx.updateTable('incidents').set({ service_id: null }).where('service_id', '=', row.id).execute();
    await tx.deleteFrom('services').where('id', '=', row.id).execute();
    changes.push(`service ${row.slug}: removed`);
  }
}

export async function applySeverities(ctx: Ctx, tx: Tx, config: FirebreakConfig, levels: ReturnType<typeof validateSeverityScheme> | null, changes: string[], scope: ApplyScope = FILE_SCOPE): Promise<void> {
  if (levels === null) {
    if (!scope.prune) return;
    // The section was removed: the scheme stays (incidents need one) but the API may edit it again.
    const released = await tx.updateTable('severities').set({ managed_by: null }).where('managed_by', '=', MANAGED_BY_CONFIG).executeTakeFirst();
    if (Number(released.numUpdatedRows) > 0) changes.push('severities: no longer managed by the file');
    return;
  }
  const current = await tx.selectFrom('severities').select('managed_by').execute();
  for (const row of current) assertScopeMayWrite(scope, row, 'the severity scheme');
  // A level's default policy, by name: declared in the same file (applied just before) or made through the API.
  for (const [i, level] of (config.severities ?? []).entries()) {
    if (level.escalationPolicy === undefined) continue;
    const policy = await tx.selectFrom('escalation_policies').select('id').where((eb) => eb.or([eb('name', '=', level.escalationPolicy!), eb('id', '=', level.escalationPolicy!)])).executeTakeFirst();
    if (!policy) throw validation(`severities.${i}.escalationPolicy`, `escalation policy '${level.escalationPolicy}' does not exist; declare it under escalationPolicies:`);
    levels[i] = { ...levels[i]!, escalationPolicyId: policy.id };
  }
  try {
    const result = await writeSeverityScheme(ctx, tx, levels, scope.managedBy);
    for (const key of result.added) changes.push(`severity ${key}: added`);
    for (const key of result.changed) changes.push(`severity ${key}: changed`);
    for (const key of result.removed) changes.push(`severity ${key}: removed`);
  } catch (e) {
    if (e instanceof AppError && e.code === 'CONFLICT') {
      throw new AppError('CONFLICT', `severities: ${e.message}`, { issues: [{ field: 'severities', message: e.message }] });
    }
    throw e;
  }
}

export async function applyChecklists(ctx: Ctx, tx: Tx, config: FirebreakConfig, changes: string[], scope: ApplyScope = FILE_SCOPE): Promise<void> {
  const now = ctx.clock.now();
  const keys = (await tx.selectFrom('severities').select('key').orderBy('rank').execute()).map((r) => r.key);
  const existing = await tx.selectFrom('checklist_templates').selectAll().execute();
  const bySlug = new Map(existing.map((c) => [c.slug, c]));
  for (const [i, checklist] of config.checklists.entries()) {
    const severities = checklist.severities.map((k, j) => {
      const found = keys.find((key) => key.toUpperCase() === k.toUpperCase());
      if (!found) throw validation(`checklists.${i}.severities.${j}`, `unknown severity ${k} (the scheme has ${keys.join(', ')})`);
      return found;
    });
    const values = { name: checklist.name, severities: JSON.stringify([...new Set(severities)]), items: JSON.stringify(checklist.items), trigger: checklist.trigger, groups: JSON.stringify(checklist.groups), managed_by: scope.managedBy };
    const row = bySlug.get(checklist.slug);
    if (!row) {
      await tx.insertInto('checklist_templates').values({ id: newId('tpl', now), slug: checklist.slug, ...values, created_at: now, updated_at: now }).execute();
      changes.push(`checklist ${checklist.slug}: created`);
    } else if ((Object.keys(values) as (keyof typeof values)[]).some((k) => values[k] !== (row[k] ?? null))) {
      assertScopeMayWrite(scope, row, `checklist ${checklist.slug}`);
      await tx.updateTable('checklist_templates').set({ ...values, updated_at: now }).where('id', '=', row.id).execute();
      changes.push(`checklist ${checklist.slug}: ${updatedWord(scope, row)}`);
    }
  }
  if (!scope.prune) return;
  const declared = new Set(config.checklists.map((c) => c.slug));
  for (const row of existing) {
    if (row.managed_by !== MANAGED_BY_CONFIG || declared.has(row.slug)) continue;
    await tx.deleteFrom('checklist_templates').where('id', '=', row.id).execute();
    changes.push(`checklist ${row.slug}: removed`);
  }
}
