import { randomBytes } from 'node:crypto';
import type { FirebreakConfig } from '../../config/config-file.js';
import { AppError, isAppError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import { writeGroupMembers } from '../audiences/group-members.js';
import { resolveRule } from '../audiences/save-rule.js';
import type { Ctx } from '../context.js';
import { MANAGED_BY_CONFIG } from '../names.js';

/** Prefixes the fields of a domain validation error with where it sits in the file. */
async function at<T>(path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!isAppError(e) || e.code !== 'VALIDATION' || !e.issues) throw e;
    const issues = e.issues.map((i) => ({ field: `${path}.${i.field}`, message: i.message }));
    throw new AppError('VALIDATION', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
  }
}

/**
 * `audiences:` in firebreak.yaml: the file owns the groups it declares (by slug) and all of the
 * rules it declares. A group it no longer declares is removed with its rules; an API-made group
 * with the same slug is adopted. Rules are compared as a whole: any difference replaces the
 * file's rules. A generated webhook secret is kept across applies while the URL stays the same.
 * URLs are checked by the outbound SSRF guard on every send (the apply does no network lookups).
 */
export async function applyAudiences(ctx: Ctx, tx: Tx, config: FirebreakConfig, changes: string[]): Promise<void> {
  const now = ctx.clock.now();
  const section = config.audiences ?? { groups: [], rules: [] };
  const existing = await tx.selectFrom('audience_groups').selectAll().execute();
  const bySlug = new Map(existing.map((g) => [g.slug, g]));
  const members = await tx.selectFrom('audience_group_members').selectAll().execute();
  const memberKey = (rows: { kind: string; target: string }[]) => rows.map((m) => `${m.kind}:${m.target}`).sort().join('\n');
  for (const [i, g] of section.groups.entries()) {
    const row = bySlug.get(g.slug);
    const id = row?.id ?? newId('aug', now);
    const before = memberKey(members.filter((m) => m.group_id === id));
    if (!row) await tx.insertInto('audience_groups').values({ id, slug: g.slug, name: g.name, description: g.description, managed_by: MANAGED_BY_CONFIG, created_at: now, updated_at: now }).execute();
    else if (row.name !== g.name || row.description !== g.description || row.managed_by !== MANAGED_BY_CONFIG) {
      await tx.updateTable('audience_groups').set({ name: g.name, description: g.description, managed_by: MANAGED_BY_CONFIG, updated_at: now }).where('id', '=', id).execute();
    }
    await at(`audiences.groups.${i}`, () => writeGroupMembers(tx, id, { ...g, webhookSecret: null }, now, () => `whsec_${randomBytes(32).toString('base64')}`));
    const after = memberKey(await tx.selectFrom('audience_group_members').select(['kind', 'target']).where('group_id', '=', id).execute());
    if (!row) changes.push(`audience group ${g.slug}: created`);
    else if (before !== after || row.name !== g.name || row.description !== g.description || row.managed_by !== MANAGED_BY_CONFIG) changes.push(`audience group ${g.slug}: changed`);
  }
  const declared = new Set(section.groups.map((g) => g.slug));
  for (const row of existing) {
    if (row.managed_by !== MANAGED_BY_CONFIG || declared.has(row.slug)) continue;
    await tx.deleteFrom('audience_rules').where('group_id', '=', row.id).execute();
    await tx.deleteFrom('audience_group_members').where('group_id', '=', row.id).execute();
    await tx.deleteFrom('audience_groups').where('id', '=', row.id).execute();
    changes.push(`audience group ${row.slug}: removed`);
  }
  const wanted: { groupId: string; severities: string[]; services: string[] }[] = [];
  for (const [i, r] of section.rules.entries()) wanted.push(await at(`audiences.rules.${i}`, () => resolveRule(tx, r)));
  const ruleKey = (r: { groupId: string; severities: string[]; services: string[] }) => JSON.stringify([r.groupId, r.severities, r.services]);
  const current = await tx.selectFrom('audience_rules').selectAll().where('managed_by', '=', MANAGED_BY_CONFIG).orderBy('created_at').orderBy('id').execute();
  const currentKeys = current.map((r) => ruleKey({ groupId: r.group_id, severities: JSON.parse(r.severities), services: JSON.parse(r.services) }));
  if (currentKeys.join('\n') === wanted.map(ruleKey).join('\n')) return;
  await tx.deleteFrom('audience_rules').where('managed_by', '=', MANAGED_BY_CONFIG).execute();
  for (const [i, r] of wanted.entries()) {
    await tx.insertInto('audience_rules').values({ id: newId('aur', now + i), group_id: r.groupId, severities: JSON.stringify(r.severities), services: JSON.stringify(r.services), managed_by: MANAGED_BY_CONFIG, created_at: now + i, updated_at: now }).execute();
  }
  changes.push(`audience rules: ${wanted.length} from the file (was ${current.length})`);
}
