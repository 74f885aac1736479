import { validation } from '../../core/errors.js';
import { authorize } from '../access/authorize.js';
import type { Db } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { GENESIS_HASH, verifyAuditChain, type AuditVerification } from './audit-chain.js';

const PAGE = 5000;

export interface AuditHead {
  seq: number;
  hash: string;
}

/** `SEQ:HASH` as `firebreak audit verify` prints it. */
export function parseAuditHead(text: string, field = 'expectHead'): AuditHead {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!m) throw validation(field, 'must be SEQ:HASH as printed by `firebreak audit verify` (e.g. 42:3f9a…, 64 hex digits)');
  return { seq: Number(m[1]), hash: m[2]! };
}

export const formatAuditHead = (head: AuditHead): string => `${head.seq}:${head.hash}`;

/**
 * Reads the whole chain and checks it. The head is read before and after the rows: if another
 * instance appended meanwhile the read is retried, so a live system does not look tampered.
 * Rows are held in memory (about 300 bytes each), fine for millions of entries.
 */
export async function verifyAuditLog(db: Db, expectedHead?: AuditHead): Promise<AuditVerification> {
  for (let attempt = 0; ; attempt++) {
    const before = await readHead(db);
    const rows = [];
    let after = -1;
    for (;;) {
      const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
      rows.push(...page);
      if (page.length < PAGE) break;
      after = page.at(-1)!.seq;
    }
    const head = await readHead(db);
    if (attempt < 5 && (head.seq !== before.seq || head.hash !== before.hash)) continue;
    return verifyAuditChain(attempt < 5 ? rows : rows.filter((r) => r.seq <= head.seq), head, expectedHead);
  }
}

async function readHead(db: Db): Promise<AuditHead> {
  // A deleted head row reads as the empty chain, which the check then reports as a mismatch.
  return (await db.selectFrom('audit_head').select(['seq', 'hash']).where('chain', '=', 'main').executeTakeFirst()) ?? { seq: 0, hash: GENESIS_HASH };
}

export async function verifyAudit({ ctx, input }: { ctx: Ctx; input: { expectHead?: string } }): Promise<AuditVerification> {
  authorize(ctx.actor, 'admin');
  const expected = input.expectHead ? parseAuditHead(input.expectHead) : undefined;
  return verifyAuditLog(ctx.store.db, expected);
}
