import { validation } from '../../core/errors.js';
import type { Tx } from '../../store/index.js';
import type { StatusPageTable } from '../../store/schema.js';
import { findService } from '../lookups.js';

/** Component refs (id or name) of THIS page → ids; one of another page is a 4xx naming `components.<i>`. */
export async function resolveComponents(tx: Tx, page: StatusPageTable, refs: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, ref] of refs.entries()) {
    const row = await tx.selectFrom('status_components').select('id').where('page_id', '=', page.id)
      .where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)])).orderBy('position').executeTakeFirst();
    if (!row) throw validation(`components.${i}`, `no component ${ref} on page ${page.slug}`);
    ids.push(row.id);
  }
  return [...new Set(ids)];
}

/** Service refs (id or slug) → ids; an unknown one is a 4xx naming `services.<i>`. */
export async function resolveServices(tx: Tx, refs: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, ref] of refs.entries()) {
    const svc = await findService(tx, ref).catch(() => { throw validation(`services.${i}`, `no service ${ref}`); });
    ids.push(svc.id);
  }
  return [...new Set(ids)];
}
