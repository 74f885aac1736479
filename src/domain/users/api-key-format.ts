import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * `fbk_<lookup>_<secret><check>`: the prefix makes a leaked key recognisable to secret
 * scanners, the lookup finds the row without a table scan, and the 4-character checksum lets a
 * scanner (or our own error message) tell a key from random text without asking the server.
 * Only a SHA-256 of the secret is stored.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const KEY_PATTERN = /^fbk_([0-9a-zA-Z]{10})_([0-9a-zA-Z]{32})([0-9a-zA-Z]{4})$/;

function encode(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += ALPHABET[bytes[i % bytes.length]! % ALPHABET.length];
  return out;
}

function checksum(body: string): string {
  return encode(createHash('sha256').update(body).digest(), 4);
}

export interface NewApiKey {
  token: string;
  lookup: string;
  secretHash: string;
}

export function generateApiKey(): NewApiKey {
  const lookup = encode(randomBytes(10), 10);
  const secret = encode(randomBytes(32), 32);
  const body = `fbk_${lookup}_${secret}`;
  return { token: body + checksum(body), lookup, secretHash: hashSecret(secret) };
}

export function parseApiKey(token: string): { lookup: string; secret: string } | null {
  const match = KEY_PATTERN.exec(token.trim());
  if (!match) return null;
  const [, lookup, secret, check] = match;
  if (checksum(`fbk_${lookup}_${secret}`) !== check) return null;
  return { lookup: lookup!, secret: secret! };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
