import { createHash } from 'node:crypto';

/**
 * Text both databases can store. PostgreSQL refuses NUL in `text` columns, and neither database
 * keeps a lone UTF-16 surrogate (`\ud800`): PostgreSQL refuses it, SQLite writes U+FFFD and so
 * reads back a different string than was looked up (a dedup key then no longer matches its own
 * alert). Every such code unit becomes U+FFFD at the edge, the same on both databases, before
 * anything is compared or stored (docs/ingest-formats.md, "Text no database can store").
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

export function storableText(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, '\uFFFD') : text;
}

/**
 * True when JSON text may decode to unstorable text. Inside JSON strings NUL and surrogates can
 * only be written as `\u` escapes (a raw control character is invalid JSON, and UTF-8 decoding
 * never yields a lone surrogate), so text without `\u0000` or `\uD800`–`\uDFFF` needs no walk.
 * `indexOf` rather than a regex: a fraction of a millisecond per megabyte on the ingest path.
 */
export function jsonMayHoldUnstorableText(json: string): boolean {
  for (let at = json.indexOf('\\u'); at !== -1; at = json.indexOf('\\u', at + 2)) {
    const first = json.charCodeAt(at + 2) | 0x20; // lower-cased hex digit
    const second = json.charCodeAt(at + 3) | 0x20;
    if (first === 0x64 /* d */ && (second === 0x38 || second === 0x39 || (second >= 0x61 && second <= 0x66))) return true;
    if (json.startsWith('0000', at + 2)) return true;
  }
  return false;
}

/** A body as received (decoded from UTF-8, so only NUL can be unstorable), ready to be kept. */
export function storableRawText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

/**
 * Replaces unstorable text in every string and object key of a JSON-like value, in place where
 * it can (the value is the caller's own, fresh from a parser). Iterative: a deeply nested body
 * must not overflow the stack. Returns the value, which is new only for a top-level string.
 */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i += 1) {
        const item: unknown = node[i];
        if (typeof item === 'string') node[i] = storableText(item);
        else if (typeof item === 'object' && item !== null) pending.push(item);
      }
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        const cleanKey = storableText(key);
        const cleanItem = typeof item === 'string' ? storableText(item) : item;
        if (cleanKey !== key) {
          delete record[key];
          record[cleanKey] = cleanItem;
        } else if (cleanItem !== item) {
          record[key] = cleanItem;
        }
        if (typeof item === 'object' && item !== null) pending.push(item);
      }
    }
  }
  return value;
}

/** `value`, parsed from `json`, with unstorable text replaced; walked only when the text says it may hold some. */
export function storableParsedJson<T>(json: string, value: T): T {
  return jsonMayHoldUnstorableText(json) ? storableJson(value) : value;
}

/**
 * Longest key kept as it is. PostgreSQL cannot index a value of more than ~2,700 bytes (SQLite
 * can), and dedup and group keys sit in unique indexes: 500 UTF-16 units are at most 2,000 bytes.
 */
export const MAX_KEY_LENGTH = 500;

/**
 * A dedup or group key both databases can index: a longer one becomes its first 400 characters,
 * `…sha256:` and the hash of the whole key, so equal keys still match and different ones still differ.
 */
export function storableKey(key: string): string {
  if (key.length <= MAX_KEY_LENGTH) return key;
  // Never cut a surrogate pair in two.
  const cut = /[\ud800-\udbff]/.test(key.charAt(399)) ? 399 : 400;
  return `${key.slice(0, cut)}…sha256:${createHash('sha256').update(key).digest('hex')}`;
}
