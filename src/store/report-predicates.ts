import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * The conditions of the report's partial indexes (migration 0026), written once for the
 * migration and the report queries. Both databases use a partial index only when the query's
 * own WHERE implies the index's, and neither can prove that through a bound parameter: the
 * values are literals, and the query must carry the condition as it is here. `table` is the
 * alias the query gives the table (the index itself is created with the bare column names).
 */
const col = (table: string | null, column: string) => sql.raw(table ? `${table}.${column}` : column);

/** A status_changed event moving the incident to acknowledged (the JSON applyStatusEvent writes). */
export const ackEvent = (table: string | null): RawBuilder<SqlBool> => sql<SqlBool>`${col(table, 'kind')} = 'status_changed' and ${col(table, 'data')} like '%"to":"acknowledged"%'`;
/** Update-cadence outcomes (domain/updates): the kinds of CADENCE_EVENT_KINDS. */
export const cadenceEvent = (table: string | null): RawBuilder<SqlBool> => sql<SqlBool>`${col(table, 'kind')} in ('update_deadline_kept', 'update_deadline_missed', 'update_posted_late')`;
export const handoffEvent = (table: string | null): RawBuilder<SqlBool> => sql<SqlBool>`${col(table, 'kind')} = 'handoff'`;
export const pageDelivery = (table: string | null): RawBuilder<SqlBool> => sql<SqlBool>`${col(table, 'purpose')} = 'page'`;
