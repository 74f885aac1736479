import { sql, type Kysely } from 'kysely';

/**
 * SQLite cannot drop a foreign key: the table is rebuilt from its own stored definition minus
 * the `references <table> (id)` clause of `column`, rows copied, named indexes re-created. Runs
 * inside the migration's transaction (foreign keys stay on: nothing references the table).
 */
export async function sqliteDropReference(db: Kysely<any>, table: string, column: string, referenced: string): Promise<void> {
  const objects = (await sql<{ type: string; sql: string | null }>`select type, sql from sqlite_master where tbl_name = ${table}`.execute(db)).rows;
  const definition = objects.find((o) => o.type === 'table')?.sql;
  if (!definition) throw new Error(`no table ${table}`);
  const clause = new RegExp(`("?${column}"?[^,]*?)\\s+references\\s+"?${referenced}"?\\s*\\("?id"?\\)(\\s+on delete cascade)?`, 'i');
  const temp = `${table}_rebuilt`;
  const rebuilt = definition.replace(clause, '$1').replace(new RegExp(`^create table\\s+"?${table}"?`, 'i'), `create table "${temp}"`);
  if (rebuilt === definition || new RegExp(`references\\s+"?${referenced}"?`, 'i').test(rebuilt)) throw new Error(`unexpected definition of ${table}: ${definition}`);
  await sql.raw(rebuilt).execute(db);
  await sql.raw(`insert into "${temp}" select * from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${temp}" rename to "${table}"`).execute(db);
  for (const index of objects.filter((o) => o.type === 'index' && o.sql)) await sql.raw(index.sql!).execute(db);
}
