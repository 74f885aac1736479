import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateApiKey, parseApiKey, secretMatches } from './api-key-format.js';

describe('api key format', () => {
  it('round-trips and matches only its own hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.token).toMatch(/^fbk_[0-9a-zA-Z]{10}_[0-9a-zA-Z]{36}$/);
    const parsed = parseApiKey(a.token)!;
    expect(parsed.lookup).toBe(a.lookup);
    expect(secretMatches(parsed.secret, a.secretHash)).toBe(true);
    expect(secretMatches(parsed.secret, b.secretHash)).toBe(false);
  });

  it('rejects a key with one character changed (checksum)', () => {
    const { token } = generateApiKey();
    const i = token.length - 10;
    const flipped = token.slice(0, i) + (token[i] === 'a' ? 'b' : 'a') + token.slice(i + 1);
    expect(parseApiKey(flipped)).toBeNull();
  });

  it('never accepts arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), (s) => parseApiKey(s) === null || s.trim().startsWith('fbk_')));
  });
});
