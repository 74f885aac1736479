import type { Kysely } from 'kysely';

/**
 * Action items and post-incident checklists with time windows (issue 13).
 * - `action_items`: follow-ups from an incident (and optionally a post-mortem: `postmortem_id`
 *   is plain text, no foreign key, so the post-mortem module can land independently). The
 *   incident's service is copied at creation, so "open items on this service" is one index read.
 * - `action_digests`: one row per team and week a digest was sent for; the unique pair is what
 *   makes a restart neither skip nor double-send a week.
 * - `checklist_templates.trigger` (`on_open` | `on_resolve`) and `.groups` (JSON: time windows
 *   with a due offset); `tasks.due_at` / `tasks.assignee_id` / `tasks.group_name` for the tasks
 *   they create.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('action_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('postmortem_id', 'text')
    .addColumn('service_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('external_url', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('closed_by', 'text')
    .execute();
  await db.schema.createIndex('action_items_incident').on('action_items').columns(['incident_id', 'created_at']).execute();
  await db.schema.createIndex('action_items_service_status').on('action_items').columns(['service_id', 'status']).execute();
  await db.schema.createIndex('action_items_status_due').on('action_items').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('action_items_owner').on('action_items').columns(['owner_id', 'status']).execute();

  await db.schema
    .createTable('action_digests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('open_count', 'integer', (c) => c.notNull())
    .addColumn('overdue_count', 'integer', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('action_digests_team_week', ['team_id', 'week'])
    .execute();

  await db.schema.alterTable('checklist_templates').addColumn('trigger', 'text', (c) => c.notNull().defaultTo('on_open')).execute();
  await db.schema.alterTable('checklist_templates').addColumn('groups', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  // tasks.due_at exists already: 0016 added it for communication deadlines, the same meaning.
  await db.schema.alterTable('tasks').addColumn('assignee_id', 'text').execute();
  await db.schema.alterTable('tasks').addColumn('group_name', 'text').execute();
}
