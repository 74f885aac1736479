import type { Kysely } from 'kysely';

/**
 * Issue 14, "import sets up the process": escalation policies can be declared in firebreak.yaml
 * (`managed_by`, like teams and checklists), and a severity's targets can count business hours
 * only ("next business day": Monday to Friday, 09:00–17:00 UTC); and the placeholder mapping
 * ("Team lead" → team:platform) an applied import plan used, per document, so importing the same
 * document again resolves the same people and shows no changes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('escalation_policies').addColumn('managed_by', 'text').execute();
  await db.schema.createTable('import_placeholder_maps')
    .addColumn('document_key', 'text', (c) => c.notNull())
    .addColumn('placeholder', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_placeholder_maps_pk', ['document_key', 'placeholder'])
    .execute();
  await db.schema.alterTable('severities').addColumn('business_hours', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
