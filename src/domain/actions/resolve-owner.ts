import { validation } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';

/** The owner named by id or e-mail; an unknown or disabled one is a 400 naming `owner`. */
export async function resolveOwner(db: Db | Tx, ref: string): Promise<{ id: string; name: string }> {
  const byId = ref.startsWith('usr_');
  const user = await db.selectFrom('users').select(['id', 'name', 'disabled']).where(byId ? 'id' : 'email', '=', byId ? ref : ref.toLowerCase()).executeTakeFirst();
  if (!user) throw validation('owner', `unknown user ${ref}`);
  if (user.disabled) throw validation('owner', `user ${ref} is disabled`);
  return { id: user.id, name: user.name };
}
