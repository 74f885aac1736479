import type { Db } from '../../store/index.js';

/**
 * Periodic jobs (alert expiry, retention pruning) run in every server process, but only the
 * instance holding the job's lease does the work, so instances sharing a PostgreSQL database do
 * not repeat each other's sweeps. Taking the lease is one conditional update: it succeeds when
 * the lease is free, expired, or already ours (renewal). On PostgreSQL a racing second update
 * waits for the first's row lock, re-reads the row and matches nothing. A holder that dies
 * simply lets the lease run out; the next instance takes over after `ttlMs`.
 */
export async function takeJobLease(db: Db, input: { name: string; holder: string; now: number; ttlMs: number }): Promise<boolean> {
  await db.insertInto('job_leases').values({ name: input.name, holder: null, held_until: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const taken = await db
    .updateTable('job_leases')
    .set({ holder: input.holder, held_until: input.now + input.ttlMs })
    .where('name', '=', input.name)
    .where((eb) => eb.or([eb('held_until', '<=', input.now), eb('holder', '=', input.holder)]))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/** On shutdown: another instance may take the job at once instead of waiting out the lease. */
export async function releaseJobLease(db: Db, input: { name: string; holder: string }): Promise<void> {
  await db.updateTable('job_leases').set({ holder: null, held_until: 0 }).where('name', '=', input.name).where('holder', '=', input.holder).execute();
}
