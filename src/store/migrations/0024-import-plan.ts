import type { Kysely } from 'kysely';

/**
 * Issue 14, "import sets up the process": escalation policies can be declared in firebreak.yaml
 * (`managed_by`, like teams and checklists), and a severity's targets can count business hours
 * only ("next business day": Monday to Friday, 09:00–17:00 UTC).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('escalation_policies').addColumn('managed_by', 'text').execute();
  await db.schema.alterTable('severities').addColumn('business_hours', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
