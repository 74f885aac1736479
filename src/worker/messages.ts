import { describeFollowUps, FOLLOW_UP_PURPOSES } from '../domain/actions/describe-deliveries.js';
import type { LinkSigner } from '../domain/paging/ack-token.js';
import type { ChannelKind, NotificationMessage } from '../notify/message.js';
import type { Destination } from '../notify/registry.js';
import type { SubscriberMessage } from '../notify/subscriber/render.js';
import type { SubscriberPayload } from '../domain/subscribers/notify-subscribers.js';
import type { Store } from '../store/index.js';
import { loadAlertFacts } from './alert-facts.js';
import type { DeliveryTable } from '../store/schema.js';

export interface PreparedDelivery {
  row: DeliveryTable;
  channel: ChannelKind;
  message: NotificationMessage;
  destination: Destination | null;
  /** A delivery to a status page subscriber; 'gone': unsubscribed or removed since. */
  subscriber?: SubscriberMessage | 'gone';
}

// Links stay valid long enough for a weekend page, not forever.
const LINK_TTL_MS = 7 * 86_400_000;

/** Loads what a batch of claimed deliveries needs to render, in a few queries for the batch. */
export async function prepareDeliveries(
  store: Store,
  rows: DeliveryTable[],
  deps: { publicUrl: string; links: LinkSigner; now: number },
): Promise<PreparedDelivery[]> {
  const ids = <K extends keyof DeliveryTable>(k: K) => [...new Set(rows.map((r) => r[k]).filter((v): v is NonNullable<DeliveryTable[K]> => v !== null))] as string[];
  const incidentIds = ids('incident_id');
  const userIds = ids('user_id');
  const cmIds = ids('contact_method_id');
  const followUps = rows.some((r) => (FOLLOW_UP_PURPOSES as readonly string[]).includes(r.purpose)) ? await describeFollowUps(store.db, rows) : new Map();
  const updateIds = ids('update_id');
  // Pages (not reminders, updates or follow-ups) say what the incident's alert says.
  const pagedIncidents = [...new Set(rows.filter((r) => (r.purpose === 'page' || r.purpose === 'manual') && r.incident_id !== null && !r.update_id).map((r) => r.incident_id!))];
  const [incidents, users, methods, groupMembers, updates, alertFacts] = await Promise.all([
    // The service comes with its incident: one round of queries, not two, before a send.
    incidentIds.length
      ? store.db
          .selectFrom('incidents')
          .leftJoin('services', 'services.id', 'incidents.service_id')
          .selectAll('incidents')
          .select(['services.slug as service_slug', 'services.name as service_name'])
          .where('incidents.id', 'in', incidentIds)
          .execute()
      : [],
    userIds.length ? store.db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', userIds).execute() : [],
    cmIds.length ? store.db.selectFrom('contact_methods').selectAll().where('id', 'in', cmIds).execute() : [],
    // A stakeholder update to a group's own address (email, Slack, webhook) names the group member.
    updateIds.length ? store.db.selectFrom('audience_group_members').select(['id', 'target', 'secret']).where('id', 'in', cmIds).execute() : [],
    updateIds.length
      ? store.db
          .selectFrom('update_messages')
          .innerJoin('incident_updates', 'incident_updates.id', 'update_messages.update_id')
          .select(['update_messages.update_id', 'update_messages.audience', 'update_messages.body', 'incident_updates.kind'])
          .where('update_messages.update_id', 'in', updateIds)
          .execute()
      : [],
    loadAlertFacts(store, pagedIncidents),
  ]);
  const memberById = new Map(groupMembers.map((m) => [m.id, m]));
  // A communication deadline's reminder names its task (action key `comm_task:<task id>:<step>`).
  const taskIds = rows.filter((r) => r.purpose === 'comm_task_reminder').map((r) => r.action_key.split(':')[1]!);
  const tasks = taskIds.length ? await store.db.selectFrom('tasks').select(['id', 'title']).where('id', 'in', taskIds).execute() : [];
  const subscribers = await prepareSubscribers(store, rows, deps.publicUrl);
  const incidentById = new Map(incidents.map((i) => [i.id, i]));
  const userById = new Map(users.map((u) => [u.id, u]));
  const cmById = new Map(methods.map((m) => [m.id, m]));
  const base = deps.publicUrl.replace(/\/$/, '');
  return rows.map((row) => {
    const incident = row.incident_id ? incidentById.get(row.incident_id) : undefined;
    const user = row.user_id ? userById.get(row.user_id) : undefined;
    const cm = row.contact_method_id ? cmById.get(row.contact_method_id) : undefined;
    const link = (action: 'acknowledge' | 'resolve') =>
      incident && user ? `${base}/ack/${deps.links.sign({ incidentId: incident.id, userId: user.id, action, expiresAt: deps.now + LINK_TTL_MS })}` : undefined;
    const followUp = followUps.get(row.id);
    const postmortem = row.purpose === 'postmortem_reminder';
    const reminder = row.purpose === 'update_reminder' || row.purpose === 'comm_task_reminder' || postmortem || (FOLLOW_UP_PURPOSES as readonly string[]).includes(row.purpose);
    const member = row.contact_method_id ? memberById.get(row.contact_method_id) : undefined;
    const words = row.update_id ? updates.find((u) => u.update_id === row.update_id && u.audience === row.audience) : undefined;
    const message: NotificationMessage = {
      deliveryId: row.id,
      purpose: row.purpose === 'test' ? 'test' : reminder ? 'reminder' : words ? 'update' : 'page',
      at: row.due_at,
      incident: incident
        ? {
            id: incident.id,
            number: incident.number,
            title: incident.title,
            summary: incident.summary,
            severity: incident.severity,
            status: incident.status,
            service: incident.service_slug !== null && incident.service_name !== null ? { slug: incident.service_slug, name: incident.service_name } : null,
            declaredAt: incident.declared_at,
          }
        : null,
      recipient: user ? { id: user.id, name: user.name, email: user.email } : null,
      ...(postmortem ? { reminderOf: 'postmortem' as const } : {}),
      reason: followUp
        ? followUp.lines.join('\n')
        : postmortem
          ? 'The post-mortem for this incident is due: finish it from the incident page.'
          : row.purpose === 'comm_task_reminder'
            ? `Due: ${tasks.find((t) => t.id === row.action_key.split(':')[1])?.title ?? 'a communication task'}. Post the update from the incident page.`
            : reminder ? 'The next stakeholder update is overdue: post one from the incident page.' : null,
      update: words ? { id: words.update_id, kind: words.kind, audience: words.audience, body: words.body } : undefined,
      links: {
        incident: followUp ? `${base}${followUp.path}` : incident ? `${base}/incidents/${incident.number}` : undefined,
        acknowledge: incident && incident.status === 'triggered' && !reminder && !words ? link('acknowledge') : undefined,
        resolve: incident && incident.status !== 'resolved' && !reminder && !words ? link('resolve') : undefined,
      },
      ...(followUp ? { followUp: { kind: followUp.kind, subject: followUp.subject, lines: followUp.lines } } : {}),
      ...(incident && (row.purpose === 'page' || row.purpose === 'manual') && !words && alertFacts.has(incident.id) ? { alert: alertFacts.get(incident.id) } : {}),
    };
    return {
      row,
      channel: row.channel as ChannelKind,
      message,
      destination: cm && !cm.disabled_reason ? { address: cm.address, secret: cm.secret } : member ? { address: member.target, secret: member.secret } : null,
      ...(row.subscriber_id ? { subscriber: subscribers.get(row.id) ?? 'gone' } : {}),
    };
  });
}

/** Subscriber deliveries of the batch: their subscribers, pages and notification snapshots. */
async function prepareSubscribers(store: Store, rows: DeliveryTable[], publicUrl: string): Promise<Map<string, SubscriberMessage>> {
  const mine = rows.filter((r) => r.subscriber_id);
  const out = new Map<string, SubscriberMessage>();
  if (mine.length === 0) return out;
  const subIds = [...new Set(mine.map((r) => r.subscriber_id!))];
  const notifIds = [...new Set(mine.filter((r) => r.action_key.startsWith('notify:')).map((r) => r.action_key.slice('notify:'.length)))];
  const [subs, notifs] = await Promise.all([
    store.db.selectFrom('status_subscribers').innerJoin('status_pages', 'status_pages.id', 'status_subscribers.page_id')
      .select(['status_subscribers.id', 'status_subscribers.kind', 'status_subscribers.address', 'status_subscribers.secret', 'status_subscribers.token', 'status_pages.slug', 'status_pages.name'])
      .where('status_subscribers.id', 'in', subIds).execute(),
    notifIds.length ? store.db.selectFrom('subscriber_notifications').select(['id', 'payload']).where('id', 'in', notifIds).execute() : [],
  ]);
  const subById = new Map(subs.map((s) => [s.id, s]));
  const payloadById = new Map(notifs.map((n) => [n.id, JSON.parse(n.payload) as SubscriberPayload]));
  const base = publicUrl.replace(/\/$/, '');
  for (const row of mine) {
    const s = subById.get(row.subscriber_id!);
    if (!s) continue;
    const confirm = row.purpose === 'subscriber_confirm';
    const payload = confirm ? undefined : payloadById.get(row.action_key.slice('notify:'.length));
    if (!confirm && !payload) continue;
    const pageUrl = `${base}/status/${s.slug}`;
    const token = encodeURIComponent(s.token);
    out.set(row.id, {
      deliveryId: row.id, purpose: confirm ? 'confirm' : 'notify', channel: s.kind === 'webhook' ? 'webhook' : 'email', address: s.address, secret: s.secret,
      page: { name: s.name, url: pageUrl },
      links: { unsubscribe: `${pageUrl}/unsubscribe?token=${token}`, confirm: `${pageUrl}/subscribe/confirm?token=${token}`, documentation: `${base}/docs/status-pages#subscribers` },
      ...(payload ? { payload } : {}),
    });
  }
  return out;
}
