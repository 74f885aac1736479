import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { IncidentTable } from '../../store/schema.js';

/** Stakeholder traffic rides below pages (0) and reminders (1): it never delays a page. */
export const UPDATE_PRIORITY = 2;

/** The audiences delivered here; `public` goes to the status pages instead. */
export const SENT_AUDIENCES = ['internal', 'responders'] as const;

interface Recipient {
  /** A contact method id, or an audience group member id (a group's own address). */
  destinationId: string;
  channel: string;
  userId: string | null;
}

/** The groups whose rules match the incident: severity (any if none listed) and service (any if none listed). */
export async function matchingGroupIds(tx: Tx, incident: Pick<IncidentTable, 'severity' | 'service_id'>): Promise<string[]> {
  const [rules, service] = await Promise.all([
    tx.selectFrom('audience_rules').select(['group_id', 'severities', 'services']).execute(),
    incident.service_id ? tx.selectFrom('services').select('slug').where('id', '=', incident.service_id).executeTakeFirst() : undefined,
  ]);
  const sev = incident.severity.toLowerCase();
  return [
    ...new Set(
      rules
        .filter((r) => {
          const severities = JSON.parse(r.severities) as string[];
          const services = JSON.parse(r.services) as string[];
          return (severities.length === 0 || severities.some((s) => s.toLowerCase() === sev)) && (services.length === 0 || (!!service && services.includes(service.slug)));
        })
        .map((r) => r.group_id),
    ),
  ];
}

/** The incident's own people: its roles, its assignee, whoever was paged for it. */
export async function responderIds(tx: Tx, incident: Pick<IncidentTable, 'id' | 'assignee_id'>): Promise<string[]> {
  const [roles, paged] = await Promise.all([
    tx.selectFrom('incident_roles').select('user_id').where('incident_id', '=', incident.id).execute(),
    tx.selectFrom('deliveries').select('user_id').distinct().where('incident_id', '=', incident.id).where('purpose', 'in', ['page', 'manual']).where('user_id', 'is not', null).execute(),
  ]);
  return [...new Set([...roles.map((r) => r.user_id), ...(incident.assignee_id ? [incident.assignee_id] : []), ...paged.map((p) => p.user_id!)])];
}

/** Every enabled contact method of these (enabled) users. */
async function contactsOf(tx: Tx, userIds: readonly string[]): Promise<Recipient[]> {
  if (userIds.length === 0) return [];
  const methods = await tx
    .selectFrom('contact_methods')
    .innerJoin('users', 'users.id', 'contact_methods.user_id')
    .select(['contact_methods.id', 'contact_methods.kind', 'contact_methods.user_id'])
    .where('contact_methods.user_id', 'in', [...userIds])
    .where('contact_methods.disabled_reason', 'is', null)
    .where('users.disabled', '=', 0)
    .orderBy('contact_methods.created_at')
    .execute();
  return methods.map((m) => ({ destinationId: m.id, channel: m.kind, userId: m.user_id }));
}

/** Who the internal audience is for this incident: the matching groups' addresses, and their people's contact methods. */
async function internalRecipients(tx: Tx, incident: IncidentTable): Promise<Recipient[]> {
  const groupIds = await matchingGroupIds(tx, incident);
  if (groupIds.length === 0) return [];
  const members = await tx.selectFrom('audience_group_members').selectAll().where('group_id', 'in', groupIds).orderBy('created_at').orderBy('id').execute();
  const direct: Recipient[] = [];
  const seenAddress = new Set<string>();
  for (const m of members) {
    if (m.kind !== 'email' && m.kind !== 'slack' && m.kind !== 'webhook') continue;
    // Two groups naming the same address: it gets the update once.
    const key = `${m.kind}:${m.target.toLowerCase()}`;
    if (seenAddress.has(key)) continue;
    seenAddress.add(key);
    direct.push({ destinationId: m.id, channel: m.kind, userId: null });
  }
  const teamIds = members.filter((m) => m.kind === 'team').map((m) => m.target);
  const teamUsers = teamIds.length ? await tx.selectFrom('team_members').select('user_id').where('team_id', 'in', teamIds).execute() : [];
  const users = [...new Set([...members.filter((m) => m.kind === 'user').map((m) => m.target), ...teamUsers.map((t) => t.user_id)])];
  return [...direct, ...(await contactsOf(tx, users))];
}

/**
 * Queues one update to its internal and responder audiences, in the posting transaction: what it
 * says to each audience (`update_messages`), and one delivery per recipient at
 * {@link UPDATE_PRIORITY}. The worker sends them after the commit (at least once: a delivery is
 * retried until it is sent or fails for good). Keyed by update and audience, so a second run
 * adds nothing. Returns the number of deliveries per audience.
 */
export async function enqueueUpdateDeliveries(
  tx: Tx,
  input: { update: { id: string; body: string }; incident: IncidentTable; audiences: readonly string[]; bodies: Partial<Record<string, string>>; now: number },
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const { update, incident, now } = input;
  for (const audience of SENT_AUDIENCES) {
    if (!input.audiences.includes(audience)) continue;
    await tx.insertInto('update_messages').values({ update_id: update.id, audience, body: input.bodies[audience] ?? update.body }).execute();
    const recipients = audience === 'internal' ? await internalRecipients(tx, incident) : await contactsOf(tx, await responderIds(tx, incident));
    const rows = recipients.map((r) => ({
      id: newId('dlv', now), incident_id: incident.id, action_key: `update:${update.id}:${audience}`, user_id: r.userId,
      contact_method_id: r.destinationId, channel: r.channel, purpose: 'update', status: 'pending', attempts: 0, due_at: now, next_attempt_at: now,
      locked_by: null, locked_until: null, last_error: null, last_status_code: null, latency_ms: null, created_at: now, sent_at: null,
      priority: UPDATE_PRIORITY, update_id: update.id, audience,
    }));
    let inserted = 0;
    for (let i = 0; i < rows.length; i += 200) {
      const result = await tx.insertInto('deliveries').values(rows.slice(i, i + 200)).onConflict((oc) => oc.columns(['incident_id', 'action_key', 'contact_method_id']).doNothing()).executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    counts[audience] = inserted;
  }
  return counts;
}
