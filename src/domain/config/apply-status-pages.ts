import type { FirebreakConfig } from '../../config/config-file.js';
import { validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { StatusComponentTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { MANAGED_BY_CONFIG } from '../names.js';
import { checkAutoPublish, NO_AUTO_PUBLISH } from '../statuspages/auto-publish.js';
import { forgetComponents } from '../statuspages/component-order.js';

/**
 * `statusPages:` in firebreak.yaml: the file owns the pages it declares and their components,
 * matched by name (so published incidents keep pointing at the same component and a status set
 * by hand survives a re-apply). A page the file no longer declares is removed with its history.
 */
export async function applyStatusPages(ctx: Ctx, tx: Tx, config: FirebreakConfig, changes: string[]): Promise<void> {
  const now = ctx.clock.now();
  const services = new Map((await tx.selectFrom('services').select(['id', 'slug']).execute()).map((s) => [s.slug, s.id]));
  const existing = await tx.selectFrom('status_pages').selectAll().execute();
  const declared = new Set<string>();
  for (const [i, p] of config.statusPages.entries()) {
    declared.add(p.slug);
    const auto = p.autoPublish ?? NO_AUTO_PUBLISH;
    checkAutoPublish(auto, `statusPages.${i}.autoPublish`);
    const values = { name: p.name, host_name: p.hostName ?? null, severity_map: JSON.stringify(p.severityMap), auto_publish: p.autoPublish ? JSON.stringify(auto) : '{}', managed_by: MANAGED_BY_CONFIG };
    let page = existing.find((e) => e.slug === p.slug);
    if (!page) {
      page = { id: newId('sp', now), slug: p.slug, ...values, created_at: now, updated_at: now };
      await tx.insertInto('status_pages').values(page).execute();
      changes.push(`status page ${p.slug}: created`);
    } else if (page.name !== values.name || page.host_name !== values.host_name || page.severity_map !== values.severity_map || page.auto_publish !== values.auto_publish || page.managed_by !== MANAGED_BY_CONFIG) {
      await tx.updateTable('status_pages').set({ ...values, updated_at: now }).where('id', '=', page.id).execute();
      changes.push(`status page ${p.slug}: ${page.managed_by !== MANAGED_BY_CONFIG ? 'now managed by the file' : 'changed'}`);
    }
    const rows: StatusComponentTable[] = await tx.selectFrom('status_components').selectAll().where('page_id', '=', page.id).execute();
    const kept = new Set<string>();
    let position = 0;
    const upsert = async (c: { name: string; description: string; services: string[] }, path: string, groupId: string | null, isGroup: boolean): Promise<string> => {
      const serviceIds = c.services.map((slug, j) => {
        const id = services.get(slug);
        if (!id) throw validation(`${path}.services.${j}`, `service '${slug}' does not exist`);
        return id;
      });
      position += 1;
      const want = { group_id: groupId, is_group: isGroup ? 1 : 0, description: c.description, position, services: JSON.stringify(serviceIds) };
      const row = rows.find((r) => r.name === c.name && !kept.has(r.id));
      if (!row) {
        const id = newId('spc', now);
        await tx.insertInto('status_components').values({ id, page_id: page.id, name: c.name, ...want, status_override: null, created_at: now, updated_at: now }).execute();
        changes.push(`status page ${p.slug}: component ${c.name} added`);
        kept.add(id);
        return id;
      }
      kept.add(row.id);
      if (row.group_id !== want.group_id || row.is_group !== want.is_group || row.description !== want.description || row.position !== want.position || row.services !== want.services) {
        await tx.updateTable('status_components').set({ ...want, updated_at: now }).where('id', '=', row.id).execute();
        changes.push(`status page ${p.slug}: component ${c.name} changed`);
      }
      return row.id;
    };
    for (const [j, c] of p.components.entries()) {
      const path = `statusPages.${i}.components.${j}`;
      const id = await upsert(c, path, null, c.components !== undefined);
      for (const [k, m] of (c.components ?? []).entries()) await upsert(m, `${path}.components.${k}`, id, false);
    }
    // Members before groups (a group's members cascade, but say each one).
    const removed = new Set<string>();
    for (const row of [...rows].sort((a, b) => a.is_group - b.is_group)) {
      if (kept.has(row.id)) continue;
      await tx.deleteFrom('status_components').where('id', '=', row.id).execute();
      removed.add(row.id);
      changes.push(`status page ${p.slug}: component ${row.name} removed`);
    }
    const widened = await forgetComponents(tx, page.id, removed, now);
    if (widened) changes.push(`status page ${p.slug}: ${widened} subscriber(s) who followed only removed components now follow the whole page`);
  }
  for (const page of existing) {
    if (page.managed_by !== MANAGED_BY_CONFIG || declared.has(page.slug)) continue;
    await tx.deleteFrom('status_pages').where('id', '=', page.id).execute();
    changes.push(`status page ${page.slug}: removed`);
  }
}
