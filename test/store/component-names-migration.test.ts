import { describe, expect, it } from 'vitest';
import { up } from '../../src/store/migrations/0036-component-names-unique.js';
import { createTestDatabase, DIALECTS } from '../helpers/dialects.js';

/** 0036: pages that already hold two components of one name keep both, renamed, then the index holds. */
describe.each(DIALECTS)('migration 0036 (component names unique per page) on %s', (dialect) => {
  it('renames the later duplicates by position, past names already taken, and then refuses a duplicate', async () => {
    const db = await createTestDatabase(dialect);
    try {
      const k = db.store.db;
      // As a database before 0036 was: no index, duplicates allowed.
      await k.schema.dropIndex('status_components_page_name').execute();
      const page = (id: string) => ({ id, slug: id, name: id, host_name: null, severity_map: '{}', managed_by: null, created_at: 1, updated_at: 1 });
      await k.insertInto('status_pages').values([page('sp_a'), page('sp_b')]).execute();
      const component = (id: string, pageId: string, name: string, position: number) => ({
        id, page_id: pageId, group_id: null, is_group: 0, name, description: '', position, services: '[]', status_override: null, created_at: 1, updated_at: 1,
      });
      await k.insertInto('status_components').values([
        component('c1', 'sp_a', 'API', 3), component('c2', 'sp_a', 'API', 1), component('c3', 'sp_a', 'API (2)', 2),
        component('c4', 'sp_a', 'API', 4), component('c5', 'sp_b', 'API', 1), component('c6', 'sp_a', 'Web', 5),
      ]).execute();
      await up(k);
      const names = Object.fromEntries((await k.selectFrom('status_components').select(['id', 'name']).execute()).map((r) => [r.id, r.name]));
      // c2 is first by position and keeps the name; c3's own "API (2)" stays; another page is untouched.
      expect(names).toEqual({ c1: 'API (3)', c2: 'API', c3: 'API (2)', c4: 'API (4)', c5: 'API', c6: 'Web' });
      await expect(k.insertInto('status_components').values(component('c7', 'sp_a', 'Web', 6)).execute()).rejects.toSatisfy((e) => db.store.dialect.isUniqueViolation(e));
    } finally {
      await db.drop();
    }
  });
});
