/**
 * The report's day cache (migration 0033; the cache itself is domain/metrics/report-day-cache.ts).
 * A day's facts are cached once the day is settled, and triggers in the database bump the day's
 * version whenever a row the report reads changes on a settled day, so a cached day is never
 * served stale, whichever instance or tool wrote. The triggers fire only for rows older than
 * CHANGE_HORIZON_MS by the database's clock (the hot path writes today's rows, and a counter row
 * for today would serialise every writer); the cache takes only days older than
 * SETTLED_AFTER_MS by the same clock. The gap between them is longer than any transaction, so no
 * write can land on a cacheable day without bumping it.
 */
export const DAY_MS = 86_400_000;
export const CHANGE_HORIZON_MS = 2 * DAY_MS;
export const SETTLED_AFTER_MS = 3 * DAY_MS;

/** The incident columns the report reads: a change to any of them changes the day's facts. */
export const REPORTED_INCIDENT_COLUMNS = ['number', 'severity', 'service_id', 'is_drill', 'detected_at', 'declared_at', 'acknowledged_at', 'mitigated_at', 'resolved_at'] as const;
/** The timeline and delivery columns the report reads. */
export const REPORTED_EVENT_COLUMNS = ['incident_id', 'kind', 'data', 'at', 'actor_type', 'actor_id'] as const;
export const REPORTED_DELIVERY_COLUMNS = ['incident_id', 'user_id', 'action_key', 'purpose', 'created_at'] as const;
