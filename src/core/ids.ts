import { randomBytes, randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * Public ids are ULIDs with a short prefix that says what they name (`inc_01J…`), so an id
 * pasted into a chat is recognisable. Ids are made by the app, never by the database, so
 * SQLite and PostgreSQL behave the same and rowids are never reused.
 */
export type IdPrefix =
  | 'inc' | 'evt' | 'usr' | 'team' | 'svc' | 'sev' | 'task' | 'tpl' | 'key' | 'ses' | 'aud'
  | 'int' | 'alr' | 'sil' | 'mw' | 'sch' | 'lyr' | 'ovr' | 'pol' | 'tmr' | 'dlv' | 'cm' | 'nr'
  | 'rb' | 'rbv' | 'run' | 'drl' | 'rnr' | 'rr' | 'raw' | 'rjob' | 'agr' | 'chg' | 'upd' | 'utpl'
  | 'sp' | 'spc' | 'pinc' | 'pupd' | 'maint' | 'mupd' | 'mann'
  | 'act' | 'dig' | 'pm' | 'pmt' | 'aug' | 'aum' | 'aur' | 'rsch' | 'rsnd' | 'sub' | 'sbn';

// ulid's default source asks the OS for one byte per character (16 calls per id); drawing the
// same CSPRNG bytes from a pool makes an id ~50x cheaper, which matters when a burst of
// escalation steps writes several ids each.
const pool = new Uint8Array(4096);
let poolAt = pool.length;
function pooledRandom(): number {
  if (poolAt >= pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  return pool[poolAt++]! / 256;
}

const ulid = monotonicFactory(pooledRandom);

export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${ulid(now).toLowerCase()}`;
}

/** URL-safe random token of `bytes` bytes of entropy. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
