import type { Tx } from '../../store/index.js';
import type { StatusComponentTable } from '../../store/schema.js';

/**
 * Component order on a page: one `position` sequence over the whole page, groups and members
 * alike, read by level (the top level, then each group's members). These keep it whole after a
 * move or a removal: 1, 2, 3… with no gaps, written only where a row's number changes.
 */
export async function renumber(tx: Tx, ordered: readonly StatusComponentTable[], now: number): Promise<void> {
  for (const [i, row] of ordered.entries()) {
    if (row.position === i + 1) continue;
    await tx.updateTable('status_components').set({ position: i + 1, updated_at: now }).where('id', '=', row.id).execute();
  }
}

/**
 * `rows` (the page's, in position order) with `moving` placed at `place` (from 1) among the rows
 * of its level (`groupId`): before the sibling now at that place, or after the last sibling (or,
 * with none, at the end of the page).
 */
export function placeAmongSiblings(rows: readonly StatusComponentTable[], moving: StatusComponentTable, groupId: string | null, place: number | undefined): StatusComponentTable[] {
  const rest = rows.filter((r) => r.id !== moving.id);
  const siblings = rest.filter((r) => r.group_id === groupId);
  const moved = { ...moving, group_id: groupId };
  const before = place === undefined ? undefined : siblings[place - 1];
  if (before) {
    const at = rest.indexOf(before);
    return [...rest.slice(0, at), moved, ...rest.slice(at)];
  }
  const last = siblings.at(-1);
  if (!last) return [...rest, moved];
  const at = rest.indexOf(last) + 1;
  return [...rest.slice(0, at), moved, ...rest.slice(at)];
}

/**
 * A removed component's id out of everything on its page that lists it: published incidents,
 * maintenances and subscribers. A subscriber who followed only removed components is left with
 * none, which means the whole page: a customer who chose to hear about something on this page
 * keeps hearing rather than going silent (docs/status-pages.md). Returns how many subscribers that was.
 */
export async function forgetComponents(tx: Tx, pageId: string, removed: ReadonlySet<string>, now: number): Promise<number> {
  if (removed.size === 0) return 0;
  const without = (json: string) => {
    const ids = JSON.parse(json) as string[];
    const kept = ids.filter((id) => !removed.has(id));
    return kept.length === ids.length ? null : kept;
  };
  for (const r of await tx.selectFrom('public_incidents').select(['id', 'components']).where('page_id', '=', pageId).execute()) {
    const kept = without(r.components);
    if (kept) await tx.updateTable('public_incidents').set({ components: JSON.stringify(kept) }).where('id', '=', r.id).execute();
  }
  for (const r of await tx.selectFrom('scheduled_maintenances').select(['id', 'components']).where('page_id', '=', pageId).execute()) {
    const kept = without(r.components);
    if (kept) await tx.updateTable('scheduled_maintenances').set({ components: JSON.stringify(kept) }).where('id', '=', r.id).execute();
  }
  let widened = 0;
  for (const r of await tx.selectFrom('status_subscribers').select(['id', 'components']).where('page_id', '=', pageId).where('components', '!=', '[]').execute()) {
    const kept = without(r.components);
    if (!kept) continue;
    if (kept.length === 0) widened += 1;
    await tx.updateTable('status_subscribers').set({ components: JSON.stringify(kept), updated_at: now }).where('id', '=', r.id).execute();
  }
  return widened;
}
