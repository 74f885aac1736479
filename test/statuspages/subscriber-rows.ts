import type { Store } from '../../src/store/index.js';

/**
 * Inserts `n` confirmed e-mail subscribers of a page directly (the subscribe path is not what
 * the fan-out tests measure): ids `sub_<prefix>00000…`, addresses `<prefix><i>@example.test`.
 */
export async function insertConfirmedSubscribers(store: Store, pageId: string, n: number, prefix: string, now: number): Promise<void> {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `sub_${prefix}${String(i).padStart(5, '0')}`, page_id: pageId, kind: 'email', address: `${prefix}${i}@example.test`, address_key: `${prefix}${i}@example.test`,
    token: `tok-${prefix}-${i}-0123456789`, secret: null, components: '[]', confirmed_at: now, confirm_sent_at: null, created_at: now, updated_at: now,
  }));
  for (let i = 0; i < rows.length; i += 200) await store.db.insertInto('status_subscribers').values(rows.slice(i, i + 200)).execute();
}
