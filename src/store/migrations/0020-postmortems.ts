import type { Kysely } from 'kysely';

/**
 * Post-mortems (issue 13).
 * - `postmortems`: one document (Markdown `body`, made from a template and the record) with a
 *   lifecycle `status` draft | in_review | published, an owner, reviewers (JSON user ids), a due
 *   date (whose reminder is the durable timer `postmortem_due:<id>`) and a separate public text
 *   (`public_body`) that status pages show as Statuspage's `postmortem_body`.
 * - `postmortem_incidents`: the incidents it covers (one, or several related ones); `position` 0
 *   is the primary. An incident belongs to at most one post-mortem.
 * - `postmortem_templates`: teams' own Liquid templates (the built-in ones live in code).
 * - `timeline_stars`: key moments responders starred on an incident's timeline, with a tag.
 * - `severities.postmortem_required` / `postmortem_due_seconds`: the per-severity gate (an
 *   incident cannot be closed until its post-mortem is published) and the default due date.
 * - `incidents.closed_at`: closing is a step after resolution, not a status: the incident stays
 *   `resolved` (every metric and page that knows `resolved` keeps working); re-opening clears it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('postmortems')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('public_body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reviewers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('due_at', 'bigint')
    .addColumn('submitted_at', 'bigint')
    .addColumn('published_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('postmortems_status').on('postmortems').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('postmortem_incidents')
    .addColumn('postmortem_id', 'text', (c) => c.notNull().references('postmortems.id').onDelete('cascade'))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade').unique())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('postmortem_incidents_pk', ['postmortem_id', 'incident_id'])
    .execute();

  await db.schema
    .createTable('postmortem_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('managed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('timeline_stars')
    .addColumn('event_id', 'text', (c) => c.primaryKey().references('timeline_events.id').onDelete('cascade'))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('starred_by', 'text')
    .addColumn('starred_by_name', 'text', (c) => c.notNull())
    .addColumn('starred_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('timeline_stars_incident').on('timeline_stars').column('incident_id').execute();

  await db.schema.alterTable('severities').addColumn('postmortem_required', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('severities').addColumn('postmortem_due_seconds', 'integer').execute();
  await db.schema.alterTable('incidents').addColumn('closed_at', 'bigint').execute();
}
