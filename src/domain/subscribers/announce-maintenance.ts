import { markdownToText } from '../../core/markdown.js';
import type { Tx } from '../../store/index.js';
import { componentViews } from '../statuspages/page-view.js';
import { notifySubscribers } from './notify-subscribers.js';

/**
 * A scheduled maintenance's announcement to the page's subscribers. Statuspage models maintenance
 * as an incident with `impact: maintenance` and `scheduled_*` fields, and its webhook carries it
 * in the incident shape, so that is what subscribers get: when it is scheduled, a reminder
 * before it starts, when it starts, when it completes (or is cancelled).
 */
export type MaintenanceNews = 'scheduled' | 'reminder' | 'started' | 'completed' | 'cancelled';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const STATUS: Record<string, string> = { scheduled: 'scheduled', in_progress: 'in_progress', verifying: 'verifying', completed: 'completed', cancelled: 'completed' };
const HEADLINE: Record<MaintenanceNews, string> = {
  scheduled: 'Scheduled maintenance', reminder: 'Maintenance starting soon', started: 'Maintenance in progress', completed: 'Maintenance completed', cancelled: 'Maintenance cancelled',
};

export async function announceMaintenanceToSubscribers(tx: Tx, maintenanceId: string, news: MaintenanceNews, now: number): Promise<string | null> {
  const m = await tx.selectFrom('scheduled_maintenances').selectAll().where('id', '=', maintenanceId).executeTakeFirst();
  if (!m) return null;
  const page = await tx.selectFrom('status_pages').selectAll().where('id', '=', m.page_id).executeTakeFirst();
  if (!page) return null;
  const components: string[] = JSON.parse(m.components);
  const views = (await componentViews(tx, page)).filter((c) => components.includes(c.id));
  const updates = await tx.selectFrom('scheduled_maintenance_updates').selectAll().where('maintenance_id', '=', m.id).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const event = {
    incident: {
      id: m.id, name: m.name, status: STATUS[m.status] ?? m.status, impact: 'maintenance',
      created_at: iso(m.created_at), updated_at: iso(m.updated_at), monitoring_at: null, resolved_at: m.status === 'completed' || m.status === 'cancelled' ? iso(m.ended_at ?? now) : null,
      started_at: iso(m.started_at), shortlink: null, page_id: page.id, postmortem_body: null, backfilled: false,
      scheduled_for: iso(m.scheduled_for), scheduled_until: iso(m.scheduled_until), scheduled_remind_prior: m.remind_minutes !== null, impact_override: null,
      scheduled_auto_in_progress: true, scheduled_auto_completed: true,
      incident_updates: updates.map((u) => ({
        id: u.id, status: u.status, body: markdownToText(u.body), incident_id: m.id, created_at: iso(u.created_at), updated_at: iso(u.created_at), display_at: iso(u.created_at),
        affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null,
      })),
      components: views.map((c) => ({ id: c.id, name: c.name, status: c.status, description: c.description || null, group_id: c.groupId ?? null, page_id: page.id, group: c.group })),
    },
  };
  const when = `${new Date(m.scheduled_for).toUTCString()} – ${new Date(m.scheduled_until).toUTCString()}`;
  const text = [
    m.name,
    `${HEADLINE[news]} · ${when}${views.length ? ` · affects ${views.map((c) => c.name).join(', ')}` : ''}`,
    '',
    updates[0] ? markdownToText(updates[0].body) : markdownToText(m.description),
  ].join('\n');
  return notifySubscribers(tx, page, { kind: 'maintenance', components, subject: `[${page.name}] ${HEADLINE[news]}: ${m.name}`, text, event }, now);
}
