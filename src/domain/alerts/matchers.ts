import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { compileAnchoredRe2, fullMatchRe2, type AnchoredRegex } from '../../core/re2.js';
import { goQuote, goUnescape } from '../../core/go-string.js';
import { parseOrThrow } from '../../core/field-issues.js';

/**
 * Alertmanager label matchers (`pkg/labels/matcher.go`, UTF-8 parser of AM ≥ 0.27): the text
 * form amtool and routing config use, the JSON form of the silences API, and evaluation with
 * Alertmanager's rules — regexes fully anchored, a missing label counts as "".
 */

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  type: MatchType;
  value: string;
}

/** The silences API shape; `isEqual` is optional on input and defaults to true. */
export interface ApiMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

const CLASSIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Characters that force quoting in the UTF-8 syntax (plus whitespace).
const UNQUOTED_FORBIDDEN = /[\s{}!=~,\\"'`]/u;

// ---------------------------------------------------------------------------------------------
// Regex: RE2 as Alertmanager compiles it (`^(?:re)$`), linear-time (core/re2.ts).

/** The anchored RE2 pattern, or why RE2 refuses it (lookaround, backreferences, …). */
export function compileRe2(pattern: string): AnchoredRegex | string {
  return compileAnchoredRe2(pattern);
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

/** Evaluates one matcher against a label set; a missing label is the empty string. */
export function matches(matcher: LabelMatcher, labels: Record<string, string>): boolean {
  const actual = Object.hasOwn(labels, matcher.name) ? (labels[matcher.name] ?? '') : '';
  switch (matcher.type) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    // A pattern RE2 refuses can only be in a row saved before RE2 validation: it matches
    // nothing either way, so a silence or route holding one never swallows an alert.
    case '=~':
      return fullMatchRe2(matcher.value, actual) === true;
    case '!~':
      return fullMatchRe2(matcher.value, actual) === false;
  }
}

/** True when every matcher matches (an empty list matches everything, like the root route). */
export function matchesAll(matchers: readonly LabelMatcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => matches(m, labels));
}

/** Whether the matcher matches an absent label; silences need one matcher where this is false. */
export function matchesEmpty(matcher: LabelMatcher): boolean {
  return matches(matcher, {});
}

// ---------------------------------------------------------------------------------------------
// Printing.

function formatName(name: string): string {
  return CLASSIC_NAME.test(name) ? name : goQuote(name);
}

/** `name="value"`, `severity=~"crit.*"`; the name is quoted only when it is not a classic name. */
export function formatMatcher(matcher: LabelMatcher): string {
  return `${formatName(matcher.name)}${matcher.type}${goQuote(matcher.value)}`;
}

const TYPE_ORDER: Record<MatchType, number> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };

/** Canonical form used in route keys: sorted by name, value, then type; `,` without spaces. */
export function formatMatchers(matchers: readonly LabelMatcher[]): string {
  const sorted = [...matchers].sort(
    (a, b) =>
      compareBytes(a.name, b.name) || compareBytes(a.value, b.value) || TYPE_ORDER[a.type] - TYPE_ORDER[b.type],
  );
  return `{${sorted.map(formatMatcher).join(',')}}`;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Parsing the text form.

class Scanner {
  readonly text: string;
  pos = 0;
  constructor(text: string) {
    this.text = text;
  }
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos += 1;
  }
  peek(): string | undefined {
    return this.text[this.pos];
  }
  done(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }
}

function parseFailure(field: string, text: string, message: string): AppError {
  return new AppError('VALIDATION', `${field}: ${message} in ${JSON.stringify(text)}`, {
    issues: [{ field, message: `${message} in ${JSON.stringify(text)}` }],
  });
}

function invalidRegex(matcher: LabelMatcher, reason: string, field: string): AppError {
  const message = `invalid regular expression in matcher ${formatMatcher(matcher)}: ${reason}`;
  return new AppError('VALIDATION', `${field}: ${message}`, { issues: [{ field, message }] });
}

/** A quoted string or an unquoted token; `undefined` when nothing token-like is here. */
function readToken(scanner: Scanner, stopAtOperator: boolean): string | undefined | { error: string } {
  scanner.skipSpace();
  const { text } = scanner;
  if (scanner.peek() === '"') {
    let end = scanner.pos + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) return { error: 'unterminated quoted string' };
    const decoded = goUnescape(text.slice(scanner.pos + 1, end));
    if (decoded === undefined) return { error: 'invalid escape sequence' };
    scanner.pos = end + 1;
    return decoded;
  }
  const start = scanner.pos;
  while (scanner.pos < text.length) {
    const ch = text[scanner.pos] as string;
    if (UNQUOTED_FORBIDDEN.test(ch)) break;
    if (stopAtOperator && (ch === '!' || ch === '=')) break;
    scanner.pos += 1;
  }
  return scanner.pos === start ? undefined : text.slice(start, scanner.pos);
}

function readOperator(scanner: Scanner): MatchType | undefined {
  scanner.skipSpace();
  const two = scanner.text.slice(scanner.pos, scanner.pos + 2);
  if (two === '!=' || two === '=~' || two === '!~') {
    scanner.pos += 2;
    return two;
  }
  if (scanner.peek() === '=') {
    scanner.pos += 1;
    return '=';
  }
  return undefined;
}

/**
 * Parses `a="1"`, `{a="1", b=~"x|y",}` or `a=1,b!=2` into matchers. Regexes are compiled so
 * a bad one fails here, naming the matcher. `field` names the input in error messages.
 */
export function parseMatchers(text: string, field = 'matchers'): LabelMatcher[] {
  const scanner = new Scanner(text);
  scanner.skipSpace();
  const braced = scanner.peek() === '{';
  if (braced) scanner.pos += 1;
  const result: LabelMatcher[] = [];
  for (;;) {
    scanner.skipSpace();
    if (braced && scanner.peek() === '}') break;
    if (!braced && scanner.pos >= text.length) break;
    const name = readToken(scanner, true);
    if (name === undefined || typeof name === 'object') {
      throw parseFailure(field, text, typeof name === 'object' ? name.error : `expected a label name at offset ${scanner.pos}`);
    }
    if (name === '') throw parseFailure(field, text, 'label name must not be empty');
    const type = readOperator(scanner);
    if (type === undefined) throw parseFailure(field, text, `expected one of = != =~ !~ after ${JSON.stringify(name)}`);
    const value = readToken(scanner, false);
    if (typeof value === 'object') throw parseFailure(field, text, value.error);
    const matcher: LabelMatcher = { name, type, value: value ?? '' };
    if (type === '=~' || type === '!~') {
      const compiled = compileRe2(matcher.value);
      if (typeof compiled === 'string') throw invalidRegex(matcher, compiled, field);
    }
    result.push(matcher);
    scanner.skipSpace();
    if (scanner.peek() === ',') {
      scanner.pos += 1;
      continue;
    }
    if (braced && scanner.peek() === '}') break;
    if (scanner.pos >= text.length) {
      if (braced) throw parseFailure(field, text, 'missing closing }');
      break;
    }
    throw parseFailure(field, text, `unexpected ${JSON.stringify(scanner.peek() ?? 'end of input')} at offset ${scanner.pos}`);
  }
  if (braced) {
    if (scanner.peek() !== '}') throw parseFailure(field, text, 'missing closing }');
    scanner.pos += 1;
  }
  if (!scanner.done()) throw parseFailure(field, text, `unexpected text after matchers at offset ${scanner.pos}`);
  return result;
}

/** Exactly one matcher, e.g. an amtool `--filter` argument. */
export function parseMatcher(text: string, field = 'matcher'): LabelMatcher {
  const list = parseMatchers(text, field);
  if (list.length !== 1 || list[0] === undefined) {
    throw parseFailure(field, text, `expected exactly one matcher, got ${list.length}`);
  }
  return list[0];
}

// ---------------------------------------------------------------------------------------------
// The silences API JSON form.

export const apiMatcherSchema = z.object({
  name: z.string().min(1, { error: 'label name must not be empty' }),
  value: z.string(),
  isRegex: z.boolean({ error: 'isRegex is required and must be a boolean' }),
  isEqual: z.boolean().default(true),
});

export function matcherFromApi(input: unknown, field = 'matcher'): LabelMatcher {
  const api = parseOrThrow(apiMatcherSchema, input, field);
  const type: MatchType = api.isRegex ? (api.isEqual ? '=~' : '!~') : api.isEqual ? '=' : '!=';
  const matcher: LabelMatcher = { name: api.name, type, value: api.value };
  if (api.isRegex) {
    const compiled = compileRe2(api.value);
    if (typeof compiled === 'string') throw invalidRegex(matcher, compiled, field);
  }
  return matcher;
}

export function matcherToApi(matcher: LabelMatcher): ApiMatcher {
  return {
    name: matcher.name,
    value: matcher.value,
    isRegex: matcher.type === '=~' || matcher.type === '!~',
    isEqual: matcher.type === '=' || matcher.type === '=~',
  };
}
