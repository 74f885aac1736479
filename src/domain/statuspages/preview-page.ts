import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { DisplayName } from '../names.js';
import { openIncidentsOn } from './page-view.js';
import { findPublicPage, HISTORY_DAYS, loadPublicPage, type PublicComponent, type PublicPage } from './public-page.js';
import { SeverityMap } from './schemas.js';
import { deriveComponentStatus, rollUp, uptimeBars, type ComponentStatus } from './status.js';

const PreviewComponent = z.object({
  name: DisplayName,
  description: z.string().max(2000).default(''),
  /** The name of a group in this list; groups cannot be nested. */
  group: z.string().trim().min(1).nullable().default(null),
  isGroup: z.boolean().default(false),
  services: z.array(z.string().trim().min(1)).max(100).default([]),
  status: z.enum(['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage']).nullable().default(null),
});

/** An unsaved page definition, as the editor holds it. */
export const PreviewPageInput = z.object({
  /** An existing page: its published incidents and history show in the preview, by component name. */
  page: z.string().trim().min(1).max(80).nullable().default(null),
  name: DisplayName,
  severityMap: SeverityMap.default({}),
  components: z.array(PreviewComponent).max(200).default([]),
});

/**
 * The public page an unsaved definition would show right now: statuses derived from the open
 * incidents on its services with its severity mapping; with `page`, that page's public incidents
 * (matched to the edited components by name). Nothing is written.
 */
export async function previewPublicPage({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PublicPage> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(PreviewPageInput, input);
  const now = ctx.clock.now();
  const db = ctx.store.db;
  const services = await db.selectFrom('services').select(['id', 'slug']).execute();
  const serviceId = (ref: string) => services.find((s) => s.id === ref || s.slug === ref)?.id ?? null;
  const existingRow = data.page ? await findPublicPage(db, { slug: data.page }) : undefined;
  const existing = existingRow ? await loadPublicPage(db, existingRow, now) : null;
  const mapped = data.components.map((c) => ({ ...c, serviceIds: c.services.map(serviceId).filter((s): s is string => s !== null) }));
  const open = await openIncidentsOn(db, [...new Set(mapped.flatMap((c) => c.serviceIds))]);
  const idOf = (name: string) => existing?.components.find((c) => c.name === name)?.id ?? `preview-${name}`;
  const components: PublicComponent[] = mapped.map((c, i) => {
    const before = existing?.components.find((e) => e.name === c.name);
    const status: ComponentStatus = deriveComponentStatus({ services: c.serviceIds, openIncidents: open, severityMap: data.severityMap, override: c.status });
    return {
      id: idOf(c.name), name: c.name, description: c.description, status, position: i + 1, group: c.isGroup,
      groupId: c.group && !c.isGroup ? idOf(c.group) : null, createdAt: before?.createdAt ?? now, updatedAt: before?.updatedAt ?? now,
      uptime: before?.uptime ?? uptimeBars([], now, HISTORY_DAYS),
    };
  });
  const rank = (s: ComponentStatus) => ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'].indexOf(s);
  for (const g of components.filter((c) => c.group)) {
    const members = components.filter((m) => m.groupId === g.id).map((m) => m.status);
    g.status = [g.status, ...members].reduce((w, s) => (rank(s) > rank(w) ? s : w), 'operational' as ComponentStatus);
  }
  return {
    id: existing?.id ?? 'preview', slug: existing?.slug ?? 'preview', name: data.name, hostName: null, updatedAt: now,
    status: rollUp(components.filter((c) => !c.group).map((c) => c.status)),
    components,
    incidents: existing?.incidents ?? [],
    maintenances: existing?.maintenances ?? [],
  };
}
