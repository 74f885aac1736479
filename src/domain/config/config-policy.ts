import type { Tx } from '../../store/index.js';

/**
 * A policy named in the file (by name or id). Policies are made through the API, so on a fresh
 * install the file may name one that does not exist yet: that must not stop the server from
 * starting (nobody could then create it), so the reference is left empty, the severity default
 * pages meanwhile, and the change line says so; the next apply after the policy exists sets it.
 */
export async function configPolicy(tx: Tx, ref: string | undefined): Promise<{ id: string | null; note: string | null }> {
  if (ref === undefined) return { id: null, note: null };
  const found = await tx.selectFrom('escalation_policies').select('id').where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)])).executeTakeFirst();
  return found ? { id: found.id, note: null } : { id: null, note: `escalation policy '${ref}' does not exist yet; the severity default pages until it does and the file is applied again` };
}
