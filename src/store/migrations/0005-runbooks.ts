import type { Kysely } from 'kysely';

/**
 * Runbooks imported from Markdown, their immutable versions and matchers; runs of a runbook
 * inside an incident with one row per touched step; runners (remote executors) and the jobs
 * they execute. A step with no state row is pending: rows are written only when someone acts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('runbooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('service', 'text')
    .addColumn('severity', 'text')
    .addColumn('owner', 'text')
    .addColumn('review_interval_days', 'integer')
    .addColumn('last_reviewed', 'text')
    .addColumn('current_version_id', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('managed_by', 'text')
    .addColumn('source_path', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('runbook_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('runbook_id', 'text', (c) => c.notNull().references('runbooks.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('source_markdown', 'text', (c) => c.notNull())
    .addColumn('structure', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('runbook_versions_runbook_version', ['runbook_id', 'version'])
    .execute();

  await db.schema
    .createTable('runbook_matchers')
    .addColumn('runbook_id', 'text', (c) => c.notNull().references('runbooks.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('runbook_matchers_pk', ['runbook_id', 'position'])
    .execute();
  await db.schema.createIndex('runbook_matchers_kind').on('runbook_matchers').columns(['kind', 'value']).execute();

  await db.schema
    .createTable('runbook_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('runbook_id', 'text', (c) => c.notNull().references('runbooks.id').onDelete('cascade'))
    .addColumn('runbook_version_id', 'text', (c) => c.notNull().references('runbook_versions.id'))
    .addColumn('attached_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('fill_values', 'text', (c) => c.notNull())
    .addColumn('is_drill', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('drill_participants', 'text', (c) => c.notNull())
    .addColumn('targets_result', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('runbook_runs_incident_runbook', ['incident_id', 'runbook_id'])
    .execute();
  await db.schema.createIndex('runbook_runs_runbook').on('runbook_runs').column('runbook_id').execute();

  await db.schema
    .createTable('runbook_step_states')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runbook_runs.id').onDelete('cascade'))
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('reason', 'text')
    .addColumn('filled_command', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('runbook_step_states_pk', ['run_id', 'step_index'])
    .execute();

  await db.schema
    .createTable('runners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('allow_list', 'text', (c) => c.notNull())
    .addColumn('reported_allow_list', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint')
    .execute();

  await db.schema
    .createTable('runner_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('run_id', 'text', (c) => c.notNull().references('runbook_runs.id').onDelete('cascade'))
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('runner_id', 'text', (c) => c.references('runners.id').onDelete('set null'))
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('dangerous', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_by_name', 'text')
    .addColumn('approved_at', 'bigint')
    .addColumn('claimed_by', 'text')
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('exit_code', 'integer')
    .addColumn('output', 'text', (c) => c.notNull())
    .addColumn('output_truncated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('timeout_seconds', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('runner_jobs_status').on('runner_jobs').columns(['status', 'requested_at']).execute();
  await db.schema.createIndex('runner_jobs_incident').on('runner_jobs').column('incident_id').execute();
}
