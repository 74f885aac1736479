import { createHash } from 'node:crypto';
import { goQuote } from '../core/go-string.js';

/**
 * Label-set fingerprints exactly as Prometheus computes them (prometheus/common
 * `model/signature.go`): FNV-1a-64 over `name 0xFF value 0xFF` for each label, names in byte
 * order, rendered `%016x`. Matching Alertmanager bit for bit means an alert pushed to
 * `/api/v2/alerts` and the same alert arriving by webhook get the same dedup key.
 */

const encoder = new TextEncoder();
const SEPARATOR = 0xff;
// FNV-1a-64 offset basis 14695981039346656037 split into 32-bit halves.
const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
const TWO_32 = 4294967296;

/** Label names sorted by UTF-8 byte order (Go string order); `.sort()` is wrong for astral characters. */
export function sortedLabelNames(labels: Record<string, string>): string[] {
  const names = Object.keys(labels);
  // For ASCII, UTF-16 unit order is byte order, and the default sort needs no encoding.
  if (names.every(isAscii)) return names.sort();
  return names
    .map((name) => ({ name, bytes: encoder.encode(name) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map((entry) => entry.name);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * 16 lowercase hex characters identifying the label set; the empty set is
 * `cbf29ce484222325`. Stable under key order.
 */
export function fingerprint(labels: Record<string, string>): string {
  // 64-bit arithmetic in two uint32 halves: BigInt per byte is ~20x slower on the ingest path.
  let hi = OFFSET_HI;
  let lo = OFFSET_LO;
  const feed = (byte: number): void => {
    lo = (lo ^ byte) >>> 0;
    // hash * prime, prime = 2^40 + 0x1b3: (hash * 0x1b3) + (hash << 40), all mod 2^64.
    const low = lo * 0x1b3;
    const carry = Math.floor(low / TWO_32);
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = low >>> 0;
  };
  // ASCII text is its own UTF-8: feed the code units without encoding (the common case).
  const feedText = (text: string): void => {
    if (isAscii(text)) {
      for (let i = 0; i < text.length; i += 1) feed(text.charCodeAt(i));
    } else {
      for (const byte of encoder.encode(text)) feed(byte);
    }
  };
  for (const name of sortedLabelNames(labels)) {
    feedText(name);
    feed(SEPARATOR);
    feedText(labels[name] ?? '');
    feed(SEPARATOR);
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** `model.LabelSet.String()`: `{a="x", b="y"}`, names in byte order, Go-quoted values. */
export function labelSetString(labels: Record<string, string>): string {
  const pairs = sortedLabelNames(labels).map((name) => `${name}=${goQuote(labels[name] ?? '')}`);
  return `{${pairs.join(', ')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * What Alertmanager (and Grafana) derive from a group key for PagerDuty `dedup_key` and
 * Opsgenie `alias`. Lets us recognise that a webhook group and a PD/OG event are the same group.
 */
export function groupKeyHash(groupKey: string): string {
  return sha256Hex(groupKey);
}
