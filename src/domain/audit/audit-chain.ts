import { createHash } from 'node:crypto';
import type { AuditLogTable } from '../../store/schema.js';

/**
 * Tamper evidence for the audit log: each entry's hash covers the previous entry's hash and the
 * entry itself, so editing, deleting or reordering any entry breaks every hash after it. The
 * head (last seq and hash) is kept in its own row and printed by `firebreak audit verify`, so a
 * truncated tail is caught when compared with a head exported earlier.
 */
/** What an entry's hash covers: every column except the two hashes themselves. */
export type AuditEntryFields = Omit<AuditLogTable, 'prev_hash' | 'hash'>;

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys in a fixed order, so the same entry always hashes the same. */
function canonical(entry: AuditEntryFields): string {
  return JSON.stringify([entry.seq, entry.id, entry.at, entry.actor_type, entry.actor_id, entry.actor_name, entry.action, entry.target, entry.data, entry.ip]);
}

export function hashAuditEntry(prevHash: string, entry: AuditEntryFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(entry)).digest('hex');
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  headSeq: number;
  headHash: string;
  problems: { seq: number; problem: string }[];
}

/**
 * Walks entries in seq order. Reports the first position of each kind of break; every entry
 * after an edit also fails, which is expected and not repeated.
 */
export function verifyAuditChain(
  rows: (AuditEntryFields & { prev_hash: string; hash: string })[],
  head: { seq: number; hash: string },
  expectedHead?: { seq: number; hash: string },
): AuditVerification {
  const problems: { seq: number; problem: string }[] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      problems.push({ seq: row.seq, problem: row.seq > expectedSeq ? `entries ${expectedSeq}..${row.seq - 1} are missing` : `entry out of order (expected ${expectedSeq})` });
    }
    if (row.prev_hash !== prevHash) {
      problems.push({ seq: row.seq, problem: 'previous-hash link does not match the entry before it (deleted or reordered entry)' });
    }
    if (hashAuditEntry(row.prev_hash, row) !== row.hash) {
      problems.push({ seq: row.seq, problem: 'entry content does not match its hash (edited entry)' });
    }
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
    if (problems.length >= 50) break;
  }
  const last = rows.at(-1);
  const lastSeq = last?.seq ?? 0;
  const lastHash = last?.hash ?? GENESIS_HASH;
  if (head.seq !== lastSeq || head.hash !== lastHash) {
    problems.push({ seq: lastSeq, problem: `stored head is entry ${head.seq} but the log ends at entry ${lastSeq} (entries removed from the end, or head edited)` });
  }
  if (expectedHead && (expectedHead.seq > lastSeq || rows.find((r) => r.seq === expectedHead.seq)?.hash !== expectedHead.hash)) {
    problems.push({ seq: expectedHead.seq, problem: `exported head ${expectedHead.seq}:${expectedHead.hash.slice(0, 12)}… is not in the log (truncated or rewritten)` });
  }
  return { ok: problems.length === 0, entries: rows.length, headSeq: lastSeq, headHash: lastHash, problems };
}
