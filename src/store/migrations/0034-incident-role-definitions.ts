import type { Kysely } from 'kysely';

/**
 * Issue 14, "roles named in the document become incident roles": a catalogue of incident roles
 * (commander, communications, scribe, security…) the incident page offers and firebreak.yaml or
 * an applied runbook import plan can declare. Assignments (`incident_roles`) keep naming a role
 * by its key as free text, so a role that is not (or no longer) in the catalogue still works.
 * The three roles Firebreak always offered are seeded, so nothing changes for existing installs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('incident_role_definitions')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('managed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  const now = Date.now();
  await db.insertInto('incident_role_definitions').values([
    { key: 'commander', name: 'Incident commander', description: 'Leads the response: decides, delegates and keeps the incident moving.', position: 1, managed_by: null, created_at: now, updated_at: now },
    { key: 'communications', name: 'Communications lead', description: 'Keeps stakeholders and the status page informed on the update cadence.', position: 2, managed_by: null, created_at: now, updated_at: now },
    { key: 'scribe', name: 'Scribe', description: 'Keeps the timeline: what was seen, decided and done, and when.', position: 3, managed_by: null, created_at: now, updated_at: now },
  ]).execute();
}
