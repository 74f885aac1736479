import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { PublicIncidentTable, StatusComponentTable, StatusPageTable } from '../../store/schema.js';
import { upsertTimer } from '../paging/timers.js';
import { componentViews, type ComponentView } from '../statuspages/page-view.js';
import { rollUp, type ComponentStatus } from '../statuspages/status.js';

/**
 * What every subscriber message of one announcement is rendered from (stored as
 * `subscriber_notifications.payload`). `event` holds Statuspage's webhook fields besides `meta`
 * and `page`: `{incident}` for an incident (or, later, a maintenance, which Statuspage models as
 * an incident with scheduled_* fields) and `{component_update, component}` for a status change.
 * The sender adds `meta` (with the subscriber's own unsubscribe link) and fills `shortlink`.
 */
export interface SubscriberPayload {
  page: { id: string; slug: string; name: string; status_indicator: string; status_description: string };
  subject: string;
  text: string;
  event: Record<string, unknown>;
}

export interface Announcement {
  kind: 'incident' | 'component' | 'maintenance';
  /** Component ids it touches (with their groups); empty: everyone on the page hears it. */
  components: readonly string[];
  subject: string;
  /** The e-mail's plain text, without the links the sender appends. */
  text: string;
  event: Record<string, unknown>;
}

export const fanoutTimerKey = (notificationId: string): string => `subscribers:${notificationId}`;

/**
 * Tells a page's confirmed, matching subscribers about something, in the caller's transaction:
 * one notification row and a timer due now. The worker expands it into deliveries in batches
 * (domain/subscribers/expand-notifications.ts), so a request that posts an update stays as fast
 * with 11,000 subscribers as with none, and a crash halfway resumes at the saved cursor.
 */
export async function notifySubscribers(tx: Tx, page: StatusPageTable, a: Announcement, now: number): Promise<string | null> {
  const any = await tx.selectFrom('status_subscribers').select('id').where('page_id', '=', page.id).where('confirmed_at', 'is not', null).limit(1).executeTakeFirst();
  if (!any) return null;
  const views = await componentViews(tx, page);
  const status = rollUp(views.filter((c) => !c.group).map((c) => c.status));
  const touched = new Set(a.components);
  for (const c of views) if (touched.has(c.id) && c.groupId) touched.add(c.groupId);
  const payload: SubscriberPayload = {
    page: { id: page.id, slug: page.slug, name: page.name, status_indicator: status.indicator, status_description: status.description },
    subject: a.subject, text: a.text, event: a.event,
  };
  const id = newId('sbn', now);
  await tx.insertInto('subscriber_notifications').values({
    id, page_id: page.id, kind: a.kind, components: JSON.stringify([...touched]), payload: JSON.stringify(payload), cursor: null, expanded: 0, done_at: null, created_at: now,
  }).execute();
  await upsertTimer(tx, { key: fanoutTimerKey(id), kind: 'subscribers', payload: { notificationId: id }, runAt: now, generation: 0, now });
  return id;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const STATUS_TEXT: Record<string, string> = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' };
const COMPONENT_TEXT: Record<ComponentStatus, string> = {
  operational: 'Operational', under_maintenance: 'Under maintenance', degraded_performance: 'Degraded performance', partial_outage: 'Partial outage', major_outage: 'Major outage',
};

function componentJson(c: ComponentView | StatusComponentTable & { status: string }, pageId: string) {
  const row = c as ComponentView;
  return { id: row.id, name: row.name, status: row.status, description: row.description || null, group_id: row.groupId ?? null, page_id: pageId, group: row.group ?? false };
}

/** A public incident was published or updated on `page`: its Statuspage webhook shape and mail. */
export async function announcePublicIncident(tx: Tx, page: StatusPageTable, incident: PublicIncidentTable, now: number): Promise<string | null> {
  const updates = await tx.selectFrom('public_incident_updates').selectAll().where('public_incident_id', '=', incident.id).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const components: string[] = JSON.parse(incident.components);
  const views = (await componentViews(tx, page)).filter((c) => components.includes(c.id));
  const latest = updates[0];
  const event = {
    incident: {
      id: incident.id, name: incident.name, status: incident.status, impact: incident.impact,
      created_at: iso(incident.created_at), updated_at: iso(incident.updated_at), monitoring_at: iso(incident.monitoring_at), resolved_at: iso(incident.resolved_at),
      started_at: iso(incident.started_at), shortlink: null, page_id: page.id, postmortem_body: null, backfilled: false,
      scheduled_for: null, scheduled_until: null, scheduled_remind_prior: false, impact_override: null, scheduled_auto_in_progress: false, scheduled_auto_completed: false,
      incident_updates: updates.map((u) => ({
        id: u.id, status: u.status, body: u.body, incident_id: incident.id, created_at: iso(u.created_at), updated_at: iso(u.created_at), display_at: iso(u.created_at),
        affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null,
      })),
      components: views.map((c) => componentJson(c, page.id)),
    },
  };
  const status = STATUS_TEXT[incident.status] ?? incident.status;
  const text = [
    `${incident.name}`,
    `Status: ${status} · impact ${incident.impact}${views.length ? ` · affects ${views.map((c) => c.name).join(', ')}` : ''}`,
    '',
    latest ? latest.body : '',
  ].join('\n');
  return notifySubscribers(tx, page, { kind: 'incident', components, subject: `[${page.name}] ${status}: ${incident.name}`, text, event }, now);
}

/** A component's shown status changed (by hand): Statuspage's component_update shape. */
export async function announceComponentChange(tx: Tx, page: StatusPageTable, change: { component: ComponentView; oldStatus: ComponentStatus; newStatus: ComponentStatus; createdAt: number }, now: number): Promise<string | null> {
  const c = change.component;
  const event = {
    component_update: { created_at: iso(change.createdAt), new_status: change.newStatus, old_status: change.oldStatus, id: newId('sbn', now), component_id: c.id },
    component: { created_at: iso(change.createdAt), id: c.id, name: c.name, status: change.newStatus },
  };
  const text = `${c.name} is now ${COMPONENT_TEXT[change.newStatus]} (was ${COMPONENT_TEXT[change.oldStatus]}).`;
  return notifySubscribers(tx, page, { kind: 'component', components: [c.id], subject: `[${page.name}] ${c.name}: ${COMPONENT_TEXT[change.newStatus]}`, text, event }, now);
}
