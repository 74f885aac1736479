import { validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { AudienceGroupMemberTable } from '../../store/schema.js';
import { isEmail, type GroupInput } from './schemas.js';

/**
 * The save-time check of a URL (the outbound SSRF guard), passed in by the caller because it
 * does network lookups, which domain code does not do itself. Throws a 400 naming `field`.
 */
export type UrlCheck = (field: string, url: string) => Promise<void>;

/** Checks every destination of a group before anything is written: a 400 names the field. */
export async function checkGroupDestinations(data: GroupInput, checkUrl: UrlCheck): Promise<void> {
  data.emails.forEach((e, i) => {
    if (!isEmail(e)) throw validation(`emails.${i}`, `'${e}' is not an email address`);
  });
  if (data.slackWebhookUrl) await checkUrl('slackWebhookUrl', data.slackWebhookUrl);
  if (data.webhookUrl) await checkUrl('webhookUrl', data.webhookUrl);
}

/**
 * Makes the members of a group those of `data`. Users and teams must exist (a 400 naming
 * `users.<i>` / `teams.<i>`). A member that stays keeps its row (queued deliveries name it); the
 * webhook keeps its secret when its URL is unchanged and no new one is given. Returns a newly
 * generated secret (shown once).
 */
export async function writeGroupMembers(tx: Tx, groupId: string, data: GroupInput, now: number, newSecret: () => string): Promise<string | null> {
  const before = await tx.selectFrom('audience_group_members').selectAll().where('group_id', '=', groupId).execute();
  const rows: AudienceGroupMemberTable[] = [];
  const add = (kind: string, target: string, secret: string | null = null) => rows.push({ id: newId('aum', now), group_id: groupId, kind, target, secret, created_at: now });
  for (const e of new Set(data.emails.map((e) => e.toLowerCase()))) add('email', e);
  if (data.slackWebhookUrl) add('slack', data.slackWebhookUrl);
  let generated: string | null = null;
  if (data.webhookUrl) {
    const old = before.find((m) => m.kind === 'webhook');
    let secret = data.webhookSecret ?? (old?.target === data.webhookUrl ? old.secret : null);
    if (!secret) secret = generated = newSecret();
    add('webhook', data.webhookUrl, secret);
  }
  for (const [i, ref] of data.users.entries()) {
    const user = await tx.selectFrom('users').select('id').where(ref.startsWith('usr_') ? 'id' : 'email', '=', ref.startsWith('usr_') ? ref : ref.toLowerCase()).executeTakeFirst();
    if (!user) throw validation(`users.${i}`, `user ${ref} was not found`);
    if (!rows.some((r) => r.kind === 'user' && r.target === user.id)) add('user', user.id);
  }
  for (const [i, ref] of data.teams.entries()) {
    const team = await tx.selectFrom('teams').select('id').where(ref.startsWith('team_') ? 'id' : 'slug', '=', ref).executeTakeFirst();
    if (!team) throw validation(`teams.${i}`, `team ${ref} was not found`);
    if (!rows.some((r) => r.kind === 'team' && r.target === team.id)) add('team', team.id);
  }
  const key = (m: { kind: string; target: string }) => `${m.kind}:${m.target}`;
  const kept = new Map(before.map((m) => [key(m), m]));
  const gone = before.filter((m) => !rows.some((r) => key(r) === key(m))).map((m) => m.id);
  if (gone.length) await tx.deleteFrom('audience_group_members').where('id', 'in', gone).execute();
  for (const r of rows) {
    const old = kept.get(key(r));
    if (!old) await tx.insertInto('audience_group_members').values(r).execute();
    else if (old.secret !== r.secret) await tx.updateTable('audience_group_members').set({ secret: r.secret }).where('id', '=', old.id).execute();
  }
  return generated;
}
