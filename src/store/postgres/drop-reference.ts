import { sql, type Kysely } from 'kysely';

/** Drops the foreign key PostgreSQL named by default for `table.column`. */
export async function postgresDropReference(db: Kysely<any>, table: string, column: string): Promise<void> {
  await sql.raw(`alter table "${table}" drop constraint if exists "${table}_${column}_fkey"`).execute(db);
}
