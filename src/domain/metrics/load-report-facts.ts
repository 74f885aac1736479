import { sql } from 'kysely';
import type { Db } from '../../store/index.js';
import { ackEvent, cadenceEvent, handoffEvent, pageDelivery } from '../../store/report-predicates.js';
import { CADENCE_EVENT_KINDS } from './cadence-adherence.js';
import { FactsBuilder, type ReportFacts } from './report-facts.js';

const orNaN = (v: number | string | null): number => (v === null ? Number.NaN : Number(v));

/**
 * The report's facts of [from, to) read from the tables, for all services: incidents detected
 * in it, and pages, acknowledgements and cadence outcomes that happened in it. Each query reads
 * one index range (migrations 0022 and 0026); events are joined to incidents only for their
 * number. Drills and filters are the report's business, not the facts'.
 */
export async function loadReportFacts(db: Db, from: number, to: number): Promise<ReportFacts> {
  const facts = new FactsBuilder();

  const incidents = await db
    .selectFrom('incidents as i')
    .select(['i.number', 'i.severity', 'i.service_id', 'i.is_drill', 'i.detected_at', 'i.declared_at', 'i.acknowledged_at', 'i.mitigated_at', 'i.resolved_at'])
    .where('i.detected_at', '>=', from)
    .where('i.detected_at', '<', to)
    .execute();
  for (const r of incidents) {
    const detectedAt = Number(r.detected_at);
    facts.incident(
      Number(r.number), r.severity, r.service_id, Number(r.is_drill) === 1, detectedAt, Number(r.declared_at) - detectedAt,
      orNaN(r.acknowledged_at) - detectedAt, orNaN(r.mitigated_at) - detectedAt, orNaN(r.resolved_at) - detectedAt,
    );
  }

  // One page = one person, one incident, one escalation step: every delivery of a step is
  // queued in one transaction at one moment, so a step never spans two days.
  const pages = await db
    .selectFrom('deliveries as d')
    .innerJoin('incidents as i', 'i.id', 'd.incident_id')
    .select((eb) => ['d.user_id', 'i.number', eb.fn.min('d.created_at').as('at')])
    .where(pageDelivery('d'))
    .where('d.created_at', '>=', from)
    .where('d.created_at', '<', to)
    .where('d.user_id', 'is not', null)
    .groupBy(['d.user_id', 'd.incident_id', 'i.number', 'd.action_key'])
    .execute();
  for (const p of pages) facts.page(Number(p.number), p.user_id!, Number(p.at));

  // The person behind an acknowledgement: a user, or the user an API key acts for; and the
  // first hand-off of the incident by that person at or after it (where "time acknowledged" ends).
  const person = sql<string | null>`case when te.actor_type = 'user' then te.actor_id when te.actor_type = 'apiKey' then (select k.user_id from api_keys k where k.id = te.actor_id) end`;
  const acks = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('timeline_events as te')
        .innerJoin('incidents as i', 'i.id', 'te.incident_id')
        .select(['te.incident_id', 'te.at', 'i.number', person.as('user_id')])
        .where(ackEvent('te'))
        .where('te.at', '>=', from)
        .where('te.at', '<', to)
        .where('te.actor_type', 'in', ['user', 'apiKey'])
        .as('p'),
    )
    .select((eb) => [
      'p.number', 'p.at', 'p.user_id',
      eb
        .selectFrom('timeline_events as h')
        .select((h) => h.fn.min('h.at').as('at'))
        .whereRef('h.incident_id', '=', 'p.incident_id')
        .where(handoffEvent('h'))
        .whereRef('h.at', '>=', 'p.at')
        .where('h.data', 'like', sql<string>`'%"fromUserId":"' || p.user_id || '"%'`)
        .as('handoff_at'),
    ])
    .where('p.user_id', 'is not', null)
    .execute();
  for (const a of acks) facts.ack(Number(a.number), a.user_id!, Number(a.at), orNaN(a.handoff_at));

  const cadence = await db
    .selectFrom('timeline_events as te')
    .innerJoin('incidents as i', 'i.id', 'te.incident_id')
    .select(['i.number', 'te.kind', 'te.at'])
    .where(cadenceEvent('te'))
    .where('te.at', '>=', from)
    .where('te.at', '<', to)
    .execute();
  for (const c of cadence) facts.cadenceOutcome(Number(c.number), CADENCE_EVENT_KINDS.indexOf(c.kind as (typeof CADENCE_EVENT_KINDS)[number]), Number(c.at));
  return facts.build();
}
