import type { Kysely } from 'kysely';

/**
 * Which escalation policy pages, and who an incident is assigned to (issue 4).
 * - `services.escalation_policy_id`, `routing_rules.escalation_policy_id`: a service's or a
 *   routing rule's own policy, ahead of the severity's default (rule > service > severity).
 * - `incidents.escalation_policy_id` / `escalation_policy_reason`: the policy a routing rule
 *   chose for the alert that opened the incident, carried onto the incident so it still applies
 *   when escalation starts later (a SEV3 raised to SEV1); the reason names the rule, because
 *   the rule may be edited or deleted afterwards.
 * - `incidents.assignee_id`: whom the incident was last re-assigned to by hand.
 * No foreign keys: deleting a policy that a service or rule names is refused in the domain with
 * a 409 naming them, and an incident keeps the id as history after the policy is gone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('services').addColumn('escalation_policy_id', 'text').execute();
  await db.schema.alterTable('routing_rules').addColumn('escalation_policy_id', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('escalation_policy_id', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('escalation_policy_reason', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('assignee_id', 'text').execute();
}
