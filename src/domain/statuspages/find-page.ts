import { conflict, notFound, validation } from '../../core/errors.js';
import type { Ctx } from '../context.js';
import type { Db, Tx } from '../../store/index.js';
import type { StatusComponentTable, StatusPageTable } from '../../store/schema.js';

/** A page by id or slug. */
export async function findPageRow(db: Db | Tx, ref: string): Promise<StatusPageTable> {
  const row = await db.selectFrom('status_pages').selectAll().where((eb) => eb.or([eb('id', '=', ref), eb('slug', '=', ref)])).executeTakeFirst();
  if (!row) throw notFound('status page', ref);
  return row;
}

/** A component of this page by id or name; a component of another page is not found here. */
export async function findComponentRow(db: Db | Tx, pageId: string, ref: string): Promise<StatusComponentTable> {
  const row = await db.selectFrom('status_components').selectAll().where('page_id', '=', pageId)
    .where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)])).orderBy('position').executeTakeFirst();
  if (!row) throw notFound('component', ref);
  return row;
}

/**
 * The id of the group `ref` names on the page for a component (null: the top level), refusing what
 * would nest a third level: a group inside a group, or a component named as a group.
 */
export async function groupIdFor(db: Db | Tx, page: StatusPageTable, ref: string | null, movingIsGroup: boolean): Promise<string | null> {
  if (ref === null) return null;
  if (movingIsGroup) throw validation('group', 'groups cannot be nested (two levels only)');
  const group = await findComponentRow(db, page.id, ref).catch(() => { throw validation('group', `no group ${ref} on page ${page.slug}`); });
  if (group.is_group !== 1) throw validation('group', `${group.name} is a component, not a group`);
  return group.id;
}

/** A page whose components the API may change: not one firebreak.yaml declares (409 otherwise). */
export async function findPageWithEditableComponents(db: Db | Tx, ref: string): Promise<StatusPageTable> {
  const page = await findPageRow(db, ref);
  if (page.managed_by) throw conflict(`status page ${page.slug} is declared in firebreak.yaml: change its components there`);
  return page;
}

/**
 * `write`, with the store's unique index on a page's component names (a writer that passed the
 * check beside another) answered as the check answers: a 400 naming `name`.
 */
export async function nameTakenAs400<T>(ctx: Ctx, name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (name !== undefined && ctx.store.dialect.isUniqueViolation(e)) throw validation('name', `the page already has a component named ${name}`);
    throw e;
  }
}
