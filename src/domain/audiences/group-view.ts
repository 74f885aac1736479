import { notFound } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';
import type { AudienceGroupMemberTable, AudienceGroupTable, AudienceRuleTable } from '../../store/schema.js';

export interface AudienceGroupView {
  id: string;
  slug: string;
  name: string;
  description: string;
  emails: string[];
  slackWebhookUrl: string | null;
  webhookUrl: string | null;
  hasWebhookSecret: boolean;
  users: { id: string; name: string; email: string }[];
  teams: { id: string; slug: string; name: string }[];
  /** config: declared in firebreak.yaml (read-only here). */
  source: 'api' | 'config';
}

export interface AudienceRuleView {
  id: string;
  group: { id: string; slug: string; name: string };
  severities: string[];
  /** Service slugs. */
  services: string[];
  source: 'api' | 'config';
}

/** Groups are named by id (`aug_…`) or slug. */
export async function findGroupRow(db: Db | Tx, ref: string): Promise<AudienceGroupTable> {
  const row = await db.selectFrom('audience_groups').selectAll().where(ref.startsWith('aug_') ? 'id' : 'slug', '=', ref).executeTakeFirst();
  if (!row) throw notFound('audience group', ref);
  return row;
}

/** Views of groups with their members, in three queries for the lot. */
export async function toGroupViews(db: Db | Tx, groups: AudienceGroupTable[]): Promise<AudienceGroupView[]> {
  if (groups.length === 0) return [];
  const members = await db.selectFrom('audience_group_members').selectAll().where('group_id', 'in', groups.map((g) => g.id)).orderBy('created_at').orderBy('id').execute();
  const ids = (kind: string) => [...new Set(members.filter((m) => m.kind === kind).map((m) => m.target))];
  const [users, teams] = await Promise.all([
    ids('user').length ? db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', ids('user')).execute() : [],
    ids('team').length ? db.selectFrom('teams').select(['id', 'slug', 'name']).where('id', 'in', ids('team')).execute() : [],
  ]);
  return groups.map((g) => {
    const mine = members.filter((m) => m.group_id === g.id);
    const one = (kind: string): AudienceGroupMemberTable | undefined => mine.find((m) => m.kind === kind);
    return {
      id: g.id,
      slug: g.slug,
      name: g.name,
      description: g.description,
      emails: mine.filter((m) => m.kind === 'email').map((m) => m.target),
      slackWebhookUrl: one('slack')?.target ?? null,
      webhookUrl: one('webhook')?.target ?? null,
      hasWebhookSecret: !!one('webhook')?.secret,
      users: mine.filter((m) => m.kind === 'user').flatMap((m) => users.filter((u) => u.id === m.target)),
      teams: mine.filter((m) => m.kind === 'team').flatMap((m) => teams.filter((t) => t.id === m.target)),
      source: g.managed_by ? 'config' : 'api',
    };
  });
}

export async function toRuleViews(db: Db | Tx, rules: AudienceRuleTable[]): Promise<AudienceRuleView[]> {
  if (rules.length === 0) return [];
  const groups = await db.selectFrom('audience_groups').select(['id', 'slug', 'name']).where('id', 'in', [...new Set(rules.map((r) => r.group_id))]).execute();
  return rules.map((r) => ({
    id: r.id,
    group: groups.find((g) => g.id === r.group_id)!,
    severities: JSON.parse(r.severities) as string[],
    services: JSON.parse(r.services) as string[],
    source: r.managed_by ? 'config' : 'api',
  }));
}
