import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterCommit, type Store } from '../../src/store/index.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

const timerRow = (key: string) => ({
  id: `tmr_${key}`, key, kind: 'escalate', payload: '{}', run_at: 1, attempts: 0, last_error: null, locked_by: null, locked_until: null, generation: 1, created_at: 1,
});

describe.each(DIALECTS)('after-commit callbacks on %s', (dialect) => {
  let db: TestDatabase;
  let other: Store;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    other = db.openAnother();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const visibleElsewhere = async (key: string) => (await other.db.selectFrom('timers').select('id').where('key', '=', key).execute()).length;

  it('runs after the commit, where another connection already sees the rows', async () => {
    const events: string[] = [];
    let probe: Promise<number> | null = null;
    await db.store.transaction(async (tx) => {
      await tx.insertInto('timers').values(timerRow('after-commit-1')).execute();
      afterCommit(tx, () => {
        events.push('callback');
        probe = visibleElsewhere('after-commit-1');
      });
      events.push('work done');
    });
    events.push('transaction returned');
    expect(events).toEqual(['work done', 'callback', 'transaction returned']);
    expect(await probe).toBe(1);
  });

  it('never runs when the transaction rolls back', async () => {
    let called = false;
    await expect(
      db.store.transaction(async (tx) => {
        await tx.insertInto('timers').values(timerRow('after-commit-2')).execute();
        afterCommit(tx, () => {
          called = true;
        });
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    await new Promise((r) => setImmediate(r));
    expect(called).toBe(false);
    expect(await visibleElsewhere('after-commit-2')).toBe(0);
  });
});
