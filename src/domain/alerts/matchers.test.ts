import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import {
  compileRe2,
  formatMatcher,
  formatMatchers,
  matcherFromApi,
  matcherToApi,
  matches,
  matchesAll,
  matchesEmpty,
  parseMatcher,
  parseMatchers,
} from './matchers.js';
import type { LabelMatcher } from './matchers.js';
import { validationOf } from '../../../test/helpers/errors.js';

describe('parseMatchers', () => {
  it.each<[string, LabelMatcher[]]>([
    ['alertname="X"', [{ name: 'alertname', type: '=', value: 'X' }]],
    ['severity=~"crit.*"', [{ name: 'severity', type: '=~', value: 'crit.*' }]],
    ['{a="b",c!="d"}', [{ name: 'a', type: '=', value: 'b' }, { name: 'c', type: '!=', value: 'd' }]],
    ['{ a = "1" , b=~"x|y", }', [{ name: 'a', type: '=', value: '1' }, { name: 'b', type: '=~', value: 'x|y' }]],
    ['a=1,b!~2', [{ name: 'a', type: '=', value: '1' }, { name: 'b', type: '!~', value: '2' }]],
    ['foo=', [{ name: 'foo', type: '=', value: '' }]],
    ['foo=""', [{ name: 'foo', type: '=', value: '' }]],
    ['{"service name"="api \\"v2\\"\\n"}', [{ name: 'service name', type: '=', value: 'api "v2"\n' }]],
    ['instance=~api-[0-9]+:.*', [{ name: 'instance', type: '=~', value: 'api-[0-9]+:.*' }]],
    ['{}', []],
    ['', []],
  ])('%s', (text, expected) => {
    expect(parseMatchers(text)).toEqual(expected);
  });

  it.each([
    ['a', 'expected one of'],
    ['{a="b"', 'missing closing }'],
    ['a="b" c="d"', 'unexpected'],
    ['a="unterminated', 'unterminated'],
    ['a="\\q"', 'invalid escape'],
    ['=x', 'expected a label name'],
    ['a=x}', 'unexpected'],
  ])('rejects %j', (text, message) => {
    const error = validationOf(() => parseMatchers(text, 'route.matchers'));
    expect(error.message).toMatch(/^route\.matchers: /);
    expect(error.message).toContain(message);
  });

  it('names the matcher whose regex is invalid', () => {
    const error = validationOf(() => parseMatchers('{alertname="A", severity=~"crit("}', 'filter'));
    expect(error.message).toContain('filter: invalid regular expression in matcher severity=~"crit("');
    expect(error.issues[0]?.field).toBe('filter');
  });

  it('rejects what RE2 rejects', () => {
    for (const re of ['(?=x)', '(a)\\1', '(?<!a)b', '\\u0041', 'a**']) {
      expect(() => parseMatcher(`a=~"${re.replace(/\\/g, '\\\\')}"`)).toThrow(AppError);
    }
  });

  it('accepts what RE2 accepts (amtool check-config accepts these too)', () => {
    for (const re of ['(?U)a*', 'a{,3}', '\\x{41}']) {
      expect(parseMatcher(`a=~"${re.replace(/\\/g, '\\\\')}"`).value).toBe(re);
    }
  });

  it('parseMatcher insists on exactly one', () => {
    expect(parseMatcher('a="1"')).toEqual({ name: 'a', type: '=', value: '1' });
    expect(validationOf(() => parseMatcher('a="1",b="2"')).message).toContain('exactly one');
  });
});

describe('matches', () => {
  const labels = { alertname: 'HighLatency', severity: 'critical', instance: 'api-1:9090' };
  it.each<[string, boolean]>([
    ['alertname="HighLatency"', true],
    ['alertname!="HighLatency"', false],
    ['severity=~"crit.*"', true],
    // Anchored: a substring match is not enough.
    ['severity=~"rit"', false],
    ['severity=~"crit|warn"', false],
    ['severity=~"critical|warning"', true],
    ['severity!~"warn.*"', true],
    // Missing label is "": these match alerts without `team`.
    ['team!="payments"', true],
    ['team=""', true],
    ['team=~".*"', true],
    ['team=~".+"', false],
    ['severity=~"(?i)CRITICAL"', true],
    ['instance=~"api-[[:digit:]]+:\\\\d+"', true],
    ['instance=~"(?P<host>api-1):9090"', true],
    ['alertname=~"\\\\AHigh.*\\\\z"', true],
  ])('%s → %s', (text, expected) => {
    expect(matches(parseMatcher(text), labels)).toBe(expected);
  });

  it('matchesAll is a conjunction and the empty list matches everything', () => {
    expect(matchesAll(parseMatchers('{alertname="HighLatency",severity="critical"}'), labels)).toBe(true);
    expect(matchesAll(parseMatchers('{alertname="HighLatency",severity="warning"}'), labels)).toBe(false);
    expect(matchesAll([], labels)).toBe(true);
  });

  it('matchesEmpty tells which matchers also match a missing label', () => {
    expect(matchesEmpty(parseMatcher('a=~".*"'))).toBe(true);
    expect(matchesEmpty(parseMatcher('a!="x"'))).toBe(true);
    expect(matchesEmpty(parseMatcher('a="x"'))).toBe(false);
  });

  it('compiles to an anchored RE2 pattern', () => {
    const re = compileRe2('a|b');
    expect(typeof re).toBe('object');
    expect((re as Exclude<typeof re, string>).test('a')).toBe(true);
    expect((re as Exclude<typeof re, string>).test('ab')).toBe(false);
    expect(typeof compileRe2('(')).toBe('string');
  });

  it('matches a pathological pattern in linear time', () => {
    const started = performance.now();
    expect(matches(parseMatcher('alertname=~"(.*.*)*X"'), { alertname: 'a'.repeat(33) })).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('a pattern RE2 refuses (saved before RE2 validation) matches nothing either way', () => {
    expect(matches({ name: 'a', type: '=~', value: '(?=x)x' }, { a: 'x' })).toBe(false);
    expect(matches({ name: 'a', type: '!~', value: '(?=x)x' }, { a: 'y' })).toBe(false);
  });
});

describe('API form', () => {
  it.each<[object, LabelMatcher]>([
    [{ name: 'a', value: 'x', isRegex: false, isEqual: true }, { name: 'a', type: '=', value: 'x' }],
    [{ name: 'a', value: 'x', isRegex: false, isEqual: false }, { name: 'a', type: '!=', value: 'x' }],
    [{ name: 'a', value: 'x.*', isRegex: true, isEqual: true }, { name: 'a', type: '=~', value: 'x.*' }],
    [{ name: 'a', value: 'x.*', isRegex: true, isEqual: false }, { name: 'a', type: '!~', value: 'x.*' }],
    // isEqual defaults to true.
    [{ name: 'a', value: 'x', isRegex: false }, { name: 'a', type: '=', value: 'x' }],
  ])('%j', (api, matcher) => {
    expect(matcherFromApi(api)).toEqual(matcher);
    expect(matcherFromApi(matcherToApi(matcher))).toEqual(matcher);
  });

  it('names the field of a bad API matcher', () => {
    expect(validationOf(() => matcherFromApi({ name: 'a', value: 'x' }, 'matchers.1')).message).toContain(
      'matchers.1.isRegex:',
    );
    expect(
      validationOf(() => matcherFromApi({ name: 'instance', value: '[', isRegex: true }, 'matchers.0')).message,
    ).toContain('matchers.0: invalid regular expression in matcher instance=~"["');
  });
});

describe('printing', () => {
  it('canonical form sorts by name, value, type without spaces', () => {
    const ms = parseMatchers('{b=~"x", a="2", a="1", a!="1"}');
    expect(formatMatchers(ms)).toBe('{a="1",a!="1",a="2",b=~"x"}');
    expect(formatMatcher({ name: 'service name', type: '=', value: 'a"b' })).toBe('"service name"="a\\"b"');
  });

  it('parse(print(m)) round-trips for any label name and value', () => {
    const matcher = fc.record({
      name: fc.string({ minLength: 1 }),
      type: fc.constantFrom<LabelMatcher['type']>('=', '!='),
      value: fc.string({ unit: 'grapheme' }),
    });
    const regexMatcher = fc.record({
      name: fc.string({ minLength: 1 }),
      type: fc.constantFrom<LabelMatcher['type']>('=~', '!~'),
      value: fc.constantFrom('crit.*', 'a|b', '[0-9]+', '', '.*"quoted".*'),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(matcher, regexMatcher), { maxLength: 5 }), (ms) => {
        const printed = formatMatchers(ms);
        expect(formatMatchers(parseMatchers(printed))).toBe(printed);
        expect(parseMatchers(printed)).toHaveLength(ms.length);
        for (const m of ms) expect(parseMatcher(formatMatcher(m))).toEqual(m);
      }),
    );
  });
});
