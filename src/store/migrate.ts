import { Migrator, type Migration, type MigrationResult } from 'kysely';
import type { StoreDialect } from './dialect.js';
import * as m0001 from './migrations/0001-core.js';
import * as m0003 from './migrations/0003-alerts.js';
import * as m0004 from './migrations/0004-paging.js';
import * as m0005 from './migrations/0005-runbooks.js';
import * as m0006 from './migrations/0006-ingest-speed.js';
import * as m0007 from './migrations/0007-alert-lifecycle.js';
import * as m0008 from './migrations/0008-paging-choice.js';
import * as m0009 from './migrations/0009-alert-release.js';
import * as m0010 from './migrations/0010-delivery-send-start.js';
import * as m0011 from './migrations/0011-sign-in-failures.js';
import * as m0012 from './migrations/0012-secrets.js';
import * as m0013 from './migrations/0013-updates.js';
import * as m0014 from './migrations/0014-status-pages.js';
import * as m0015 from './migrations/0015-metrics-indexes.js';
import * as m0016 from './migrations/0016-audiences.js';
import * as m0017 from './migrations/0017-subscribers.js';
import * as m0018 from './migrations/0018-scheduled-maintenance.js';
import * as m0019 from './migrations/0019-status-auto-publish.js';
import * as m0020 from './migrations/0020-postmortems.js';
import * as m0021 from './migrations/0021-action-items.js';
import * as m0022 from './migrations/0022-reports.js';
import * as m0023 from './migrations/0023-unresolved-escalation.js';
import * as m0024 from './migrations/0024-import-plan.js';
import * as m0025 from './migrations/0025-alert-context.js';
import * as m0026 from './migrations/0026-report-indexes.js';
import * as m0027 from './migrations/0027-sign-in-links.js';
import * as m0030 from './migrations/0030-alert-search.js';
import * as m0031 from './migrations/0031-runbook-paths.js';
import * as m0033 from './migrations/0033-report-days.js';
import * as m0034 from './migrations/0034-incident-role-definitions.js';
import * as m0035 from './migrations/0035-subscriber-expansion-index.js';
import * as m0036 from './migrations/0036-component-names-unique.js';

/**
 * Forward-only, numbered migrations. The pending ones run in one transaction on both databases:
 * a failure leaves the schema as it was (see sqlite/durable-sqlite-driver.ts). Kysely's migrator
 * holds a lock while it runs (an advisory lock on PostgreSQL), so two instances starting at once
 * are safe: the second waits, then finds nothing to do.
 *
 * A new migration always takes the next number above the highest (0002 was never used and must
 * stay unused): the migrator refuses one that sorts before a migration a database already ran.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-core': m0001,
  '0003-alerts': m0003,
  '0004-paging': m0004,
  '0005-runbooks': m0005,
  '0006-ingest-speed': m0006,
  '0007-alert-lifecycle': m0007,
  '0008-paging-choice': m0008,
  '0009-alert-release': m0009,
  '0010-delivery-send-start': m0010,
  '0011-sign-in-failures': m0011,
  '0012-secrets': m0012,
  '0013-updates': m0013,
  '0014-status-pages': m0014,
  '0015-metrics-indexes': m0015,
  '0016-audiences': m0016,
  '0017-subscribers': m0017,
  '0018-scheduled-maintenance': m0018,
  '0019-status-auto-publish': m0019,
  '0020-postmortems': m0020,
  '0021-action-items': m0021,
  '0022-reports': m0022,
  '0023-unresolved-escalation': m0023,
  '0024-import-plan': m0024,
  '0025-alert-context': m0025,
  '0026-report-indexes': m0026,
  '0027-sign-in-links': m0027,
  '0030-alert-search': m0030,
  '0031-runbook-paths': m0031,
  '0033-report-days': m0033,
  '0034-incident-role-definitions': m0034,
  '0035-subscriber-expansion-index': m0035,
  '0036-component-names-unique': m0036,
};

export interface MigrationReport {
  applied: string[];
  results: MigrationResult[];
}

/** Applies the pending migrations (`migrations` is for tests: the set this binary ships by default). */
export async function migrateToLatest(dialect: StoreDialect, migrations: Record<string, Migration> = MIGRATIONS): Promise<MigrationReport> {
  const migrator = new Migrator({
    db: dialect.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'firebreak_migrations',
    migrationLockTableName: 'firebreak_migration_lock',
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw new Error(`migration failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName), results };
}

/** Names of migrations this binary knows but the database has not applied. */
export async function pendingMigrations(dialect: StoreDialect): Promise<string[]> {
  const migrator = new Migrator({
    db: dialect.db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'firebreak_migrations',
    migrationLockTableName: 'firebreak_migration_lock',
  });
  const all = await migrator.getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
