import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { adminKey, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** `firebreak report` as an operator runs it: the real binary against a real server process. */
beforeAll(ensureBuilt, 120_000);

const T = Date.parse('2026-01-05T10:00:00Z');
const MIN = 60_000;

describe.each(DIALECTS)('report CLI against a server on %s', (dialect) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let token = '';
  const cli = (args: string[]) => execute(process.execPath, [BIN, ...args], { env: cleanEnv({ FIREBREAK_URL: server.url, FIREBREAK_API_KEY: token }) });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    server = await startServerProcess(db.url);
    token = await adminKey(server.url, server.password!);
    // Rows with known moments, written straight to the database the server reads.
    const row = (n: number, over: { severity: string; detected: number; declared: number; ack: number | null; resolved: number | null; drill?: boolean }) => ({
      id: `inc_cli${n}`, number: 900 + n, title: `Seeded ${n}`, summary: '', severity: over.severity, status: over.resolved === null ? 'triggered' : 'resolved',
      service_id: null, is_drill: over.drill ? 1 : 0, created_by: null, detected_at: over.detected, declared_at: over.declared,
      acknowledged_at: over.ack, mitigated_at: over.resolved, resolved_at: over.resolved, updated_at: over.declared, version: 1,
      escalation_policy_id: null, escalation_policy_reason: null, assignee_id: null,
    });
    await db.store.db.insertInto('incidents').values([
      row(1, { severity: 'SEV1', detected: T, declared: T + MIN, ack: T + 4 * MIN, resolved: T + 90 * MIN }),
      row(2, { severity: 'SEV2', detected: T + 86_400_000, declared: T + 86_400_000, ack: null, resolved: T + 86_400_000 + 5 * MIN }),
      row(3, { severity: 'SEV2', detected: T + 2 * 86_400_000, declared: T + 2 * 86_400_000, ack: T + 2 * 86_400_000 + 30 * MIN, resolved: T + 2 * 86_400_000 + 60 * MIN, drill: true }),
    ]).execute();
  }, 60_000);
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await Promise.race([server?.exited, new Promise((r) => setTimeout(r, 5000))]);
    await db?.drop();
  });

  it('--json gives the API figures; the table marks small samples', async () => {
    const json = await cli(['report', '--from', '2026-01-01', '--to', '2026-02-01', '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.overall).toMatchObject({ count: 2, open: 0, unacknowledged: 1 });
    expect(r.overall.figures.tta).toMatchObject({ count: 1, median: 240 });
    expect(r.overall.figures.ttr).toMatchObject({ count: 2, median: (5400 + 300) / 2, max: 5400 });
    expect(r.overall.targets.ack).toEqual({ met: 1, missed: 0, pending: 0, notApplicable: 1 });
    expect(r.drills.count).toBe(1);

    const text = await cli(['report', '--from', '2026-01-01', '--to', '2026-02-01', '--bucket', 'month']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^all\s+2\s+0\s+30s \/ 1m\*\s+4m \/ 4m\*\s+47m30s \/ 1h30m\*\s+1\/0\s+2\/0\s*$/m);
    expect(text.stdout).toMatch(/^severity SEV1\s+1\s/m);
    expect(text.stdout).toMatch(/^2026-01-01\s+2\s+4m\s+47m30s\s*$/m);
    expect(text.stdout).toContain('* fewer than 20 values');
  });

  it('--csv has one row per group, durations in seconds', async () => {
    const run = await cli(['report', '--from', '2026-01-01', '--to', '2026-02-01', '--severity', 'SEV1', '--csv']);
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trim().split('\n');
    expect(header!.split(',').slice(0, 11)).toEqual(['scope', 'key', 'incidents', 'open', 'unacknowledged', 'ttd_count', 'ttd_median_s', 'ttd_p90_s', 'ttd_max_s', 'ttd_mean_s', 'ttd_small_sample']);
    expect(rows[0]!.split(',').slice(0, 11)).toEqual(['all', '', '1', '0', '0', '1', '60', '60', '60', '60', 'true']);
    expect(rows.some((r) => r.startsWith('severity,SEV1,1,'))).toBe(true);
    expect(rows.at(-1)!.startsWith('drills,,0,')).toBe(true);
  });

  it('a range with no incidents is an empty report; a reversed range is bad input naming the field', async () => {
    const empty = await cli(['report', '--from', '2025-01-01', '--to', '2025-02-01', '--json']);
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout).overall.count).toBe(0);
    const bad = await cli(['report', '--from', '2026-02-01', '--to', '2026-01-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('from');
    expect(bad.stderr).toContain('must be before to');
  });
  it('report-schedule set, list and delete; a bad address is refused naming the field', async () => {
    const set = await cli(['report-schedule', 'set', 'weekly-ops', '--every', 'week', '--severity', 'SEV1,SEV2', '--to', 'ops@example.test,lead@example.test']);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('report schedule weekly-ops: every week to ops@example.test, lead@example.test');
    const list = await cli(['report-schedule', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'weekly-ops', every: 'week', severity: ['SEV1', 'SEV2'], recipients: ['ops@example.test', 'lead@example.test'], lastSent: null })]);
    const bad = await cli(['report-schedule', 'set', 'x', '--every', 'week', '--to', 'nobody']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('recipients');
    expect((await cli(['report-schedule', 'delete', 'weekly-ops'])).code).toBe(0);
    expect(JSON.parse((await cli(['report-schedule', 'list', '--json'])).stdout)).toEqual([]);
  });
});
