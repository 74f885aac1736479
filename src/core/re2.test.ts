import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { compileAnchoredRe2, fullMatchRe2, re2SyntaxError } from './re2.js';

describe('RE2 matching (Alertmanager semantics)', () => {
  it('matches a catastrophic-backtracking pattern in linear time', () => {
    // JavaScript's RegExp takes ~12 s on this at 17 characters and doubles with each one more.
    const name = 'a'.repeat(33);
    const started = performance.now();
    expect(fullMatchRe2('(.*.*)*X', name)).toBe(false);
    expect(fullMatchRe2('(a|a)*X', name)).toBe(false);
    expect(fullMatchRe2('(a+)+X', name)).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it.each<[string, string, boolean]>([
    // Anchored at both ends, like ^(?:re)$.
    ['crit', 'critical', false],
    ['crit.*', 'critical', true],
    ['rit', 'critical', false],
    ['a|b', 'ab', false],
    ['a|b', 'b', true],
    ['a|ab', 'ab', true],
    ['(?m)^a$', 'b\na', false],
    // `$` is the end of the text: no match before a final newline (Go, unlike Perl).
    ['a', 'a\n', false],
    // `.` does not match a newline unless (?s).
    ['a.b', 'a\nb', false],
    ['(?s)a.b', 'a\nb', true],
    ['(?i)CRITICAL', 'critical', true],
    ['(?P<host>api-1):9090', 'api-1:9090', true],
    ['[[:digit:]]+', '123', true],
    ['\\Aabc\\z', 'abc', true],
    // Perl classes are ASCII in RE2.
    ['\\d+', '١٢', false],
    ['\\pL+', 'éü', true],
    ['', '', true],
    ['', 'x', false],
  ])('%j on %j → %s', (pattern, value, expected) => {
    expect(fullMatchRe2(pattern, value)).toBe(expected);
  });

  it.each([
    ['(?=x)', 'Perl syntax'],
    ['(?<!a)b', 'invalid named capture'],
    ['(a)\\1', 'invalid escape'],
    ['\\u0041', 'invalid escape'],
    ['crit(', 'missing closing )'],
    ['[', 'missing closing ]'],
    ['a**', 'nested repetition'],
    ['a{1001}', 'repeat count'],
    // Closes the group it is wrapped in: refused rather than reinterpreted.
    ['a)|(b', 'unexpected )'],
  ])('refuses %j like Go regexp does', (pattern, reason) => {
    expect(re2SyntaxError(pattern)).toContain(reason);
    expect(fullMatchRe2(pattern, 'x')).toBeNull();
  });

  it('accepts what Go regexp accepts but JavaScript does not (checked with amtool check-config)', () => {
    for (const pattern of ['(?U)a*', 'a{,3}', '\\Q.*\\E', '\\x{41}', '[[:^alpha:]]']) expect(re2SyntaxError(pattern)).toBeNull();
    expect(fullMatchRe2('\\Q.*\\E', '.*')).toBe(true);
  });

  it('caches compiled patterns', () => {
    expect(compileAnchoredRe2('cache[0-9]+')).toBe(compileAnchoredRe2('cache[0-9]+'));
  });
});
