import { createHash } from 'node:crypto';
import type { Actor } from '../../core/actor.js';
import { AppError, notFound } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';
import type { RunnerJobTable, RunnerTable } from '../../store/schema.js';
import { iso, isoOrNull } from '../incidents/incident-view.js';
import type { AllowRule } from './command-policy.js';

/** Runner and job shapes, token hashing, and the limits both sides of the protocol share. */

export const RUNNER_LIMITS = {
  /** Output kept per job; the runner stops the command when it produces more. */
  outputBytes: 64 * 1024,
  /** Largest output chunk accepted in one request (and shown in one timeline event). */
  chunkBytes: 16 * 1024,
  defaultTimeoutSeconds: 60,
  maxTimeoutSeconds: 900,
} as const;

export const RUNNER_TOKEN_PREFIX = 'fbr_';

export function hashRunnerToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface RunnerView {
  id: string;
  name: string;
  allowList: AllowRule[];
  reportedAllowList: AllowRule[] | null;
  disabled: boolean;
  createdAt: string;
  lastSeenAt: string | null;
}

export function toRunnerView(row: RunnerTable): RunnerView {
  return {
    id: row.id,
    name: row.name,
    allowList: JSON.parse(row.allow_list) as AllowRule[],
    reportedAllowList: row.reported_allow_list ? (JSON.parse(row.reported_allow_list) as AllowRule[]) : null,
    disabled: row.disabled === 1,
    createdAt: iso(row.created_at),
    lastSeenAt: isoOrNull(row.last_seen_at),
  };
}

export interface RunnerJobView {
  id: string;
  incidentId: string;
  runId: string;
  step: number;
  runnerId: string | null;
  command: string;
  dangerous: boolean;
  status: string;
  requestedBy: string;
  requestedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  output: string;
  outputTruncated: boolean;
  timeoutSeconds: number;
  reason: string | null;
}

/** The command as people see it: secret values masked (jobs older than migration 0009 have only `command`). */
export function shownCommand(row: Pick<RunnerJobTable, 'command' | 'shown_command'>): string {
  return row.shown_command ?? row.command;
}

export function toJobView(row: RunnerJobTable): RunnerJobView {
  return {
    id: row.id,
    incidentId: row.incident_id,
    runId: row.run_id,
    step: row.step_index,
    runnerId: row.runner_id,
    command: shownCommand(row),
    dangerous: row.dangerous === 1,
    status: row.status,
    requestedBy: row.requested_by_name,
    requestedAt: iso(row.requested_at),
    approvedBy: row.approved_by_name,
    approvedAt: isoOrNull(row.approved_at),
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
    exitCode: row.exit_code,
    output: row.output,
    outputTruncated: row.output_truncated === 1,
    timeoutSeconds: row.timeout_seconds,
    reason: row.reason,
  };
}

/** The runner a token belongs to; unknown, disabled or malformed tokens are all UNAUTHORIZED. */
export async function authenticateRunner(db: Db | Tx, token: string | undefined): Promise<RunnerTable> {
  if (!token || !token.startsWith(RUNNER_TOKEN_PREFIX) || token.length > 200) {
    throw new AppError('UNAUTHORIZED', 'send the runner token as "X-Runner-Token: fbr_…"');
  }
  const row = await db.selectFrom('runners').selectAll().where('token_hash', '=', hashRunnerToken(token)).executeTakeFirst();
  if (!row || row.disabled === 1) throw new AppError('UNAUTHORIZED', 'the runner token is not valid (unknown, disabled or mistyped)');
  return row;
}

/** Runners act as integrations: they can do nothing a permission check would grant. */
export function runnerActor(row: RunnerTable): Actor {
  return { type: 'integration', id: row.id, name: `runner ${row.name}` };
}

/** The person behind an actor, so "a second, different person" holds for API keys too. */
export function personOf(actor: Actor): string | null {
  if (actor.type === 'user') return actor.id;
  if (actor.type === 'apiKey') return actor.userId ?? actor.id;
  return null;
}

export async function findJobRow(db: Db | Tx, id: string): Promise<RunnerJobTable> {
  const row = await db.selectFrom('runner_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('runner job', id);
  return row;
}
