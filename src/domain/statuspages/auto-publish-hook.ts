import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { IncidentTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import type { IncidentChange } from '../incidents/hooks.js';
import { appendTimeline } from '../incidents/timeline.js';
import { parseAutoPublish, planAutoPublish } from './auto-publish.js';
import { componentViews } from './page-view.js';
import { appendPublicUpdate } from './public-incident-view.js';

/**
 * Incident hook: an incident that opens at (or is raised to) a severity a page auto-publishes,
 * on a service the page's components map, gets a public incident on that page in the same
 * transaction: public at once ('publish') or a draft waiting for one click ('draft'). Drills
 * never; an incident already on the page (published or draft) is left alone.
 */
export async function statusPagesIncidentHook(ctx: Ctx, tx: Tx, change: IncidentChange): Promise<void> {
  if (change.type !== 'opened' && change.type !== 'severity_changed') return;
  const incident = change.incident;
  if (incident.is_drill === 1 || incident.service_id === null || incident.status === 'resolved') return;
  // One cheap query on the hot path (alerts open incidents): pages with any auto-publish setting.
  const pages = await tx.selectFrom('status_pages').selectAll().where('auto_publish', '!=', '{}').execute();
  for (const page of pages) {
    const settings = parseAutoPublish(page.auto_publish);
    if (!settings.severities[incident.severity]) continue;
    await autoPublishOn(ctx, tx, page, incident, settings);
  }
}

async function autoPublishOn(ctx: Ctx, tx: Tx, page: Parameters<typeof componentViews>[1], incident: IncidentTable, settings: ReturnType<typeof parseAutoPublish>): Promise<void> {
  if (await tx.selectFrom('public_incidents').select('id').where('page_id', '=', page.id).where('incident_id', '=', incident.id).executeTakeFirst()) return;
  const components = await componentViews(tx, page);
  let plan;
  try {
    plan = planAutoPublish({ settings, pageName: page.name, severity: incident.severity, serviceId: incident.service_id, components });
  } catch (e) {
    // Templates are checked when saved; a failure here must never block the incident (or its page).
    ctx.log.warn('notify', 'auto-publish template failed', { page: page.slug, error: String(e) });
    return;
  }
  if (!plan) return;
  const now = ctx.clock.now();
  const row = {
    id: newId('pinc', now), page_id: page.id, incident_id: incident.id, name: plan.name, impact: plan.impact, status: 'investigating',
    components: JSON.stringify(plan.components), started_at: Math.min(incident.declared_at, now), monitoring_at: null, resolved_at: null,
    created_at: now, updated_at: now, draft: plan.mode === 'draft' ? 1 : 0,
  };
  await tx.insertInto('public_incidents').values(row).execute();
  await appendPublicUpdate(tx, row, { id: newId('pupd', now), status: 'investigating', body: plan.body, at: now });
  const what = plan.mode === 'draft' ? `Drafted a public incident on status page **${page.name}** ("${plan.name}"): publish it with one click` : `Auto-published on status page **${page.name}** as "${plan.name}"`;
  await appendTimeline(ctx, tx, incident.id, plan.mode === 'draft' ? 'public_draft' : 'published', what, { page: page.slug, publicIncidentId: row.id, auto: true });
}
