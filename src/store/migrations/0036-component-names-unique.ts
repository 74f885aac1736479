import type { Kysely } from 'kysely';

/**
 * A status page's component names are unique (the CLI, firebreak.yaml, maintenances and
 * subscribers refer to components by name). The API checked before it wrote, which two
 * concurrent writers could both pass, and before this no check existed: a page that already has
 * two components of one name keeps both, the later ones renamed "Name (2)", "Name (3)" by
 * position, before the index is made.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const rows: { id: string; page_id: string; name: string }[] = await db.selectFrom('status_components').select(['id', 'page_id', 'name']).orderBy('page_id').orderBy('position').orderBy('id').execute();
  const taken = new Map<string, Set<string>>();
  for (const r of rows) (taken.get(r.page_id) ?? taken.set(r.page_id, new Set()).get(r.page_id)!).add(r.name);
  const seen = new Map<string, Set<string>>();
  for (const r of rows) {
    const names = seen.get(r.page_id) ?? seen.set(r.page_id, new Set()).get(r.page_id)!;
    if (!names.has(r.name)) {
      names.add(r.name);
      continue;
    }
    const all = taken.get(r.page_id)!;
    let k = 2;
    while (all.has(`${r.name} (${k})`)) k += 1;
    const name = `${r.name} (${k})`;
    all.add(name);
    names.add(name);
    await db.updateTable('status_components').set({ name }).where('id', '=', r.id).execute();
  }
  await db.schema.createIndex('status_components_page_name').on('status_components').columns(['page_id', 'name']).unique().execute();
}
