import { RE2JS } from 're2js';

/**
 * Regular expressions written by users (silences, routes, escalation conditions, runbook
 * matchers, runner allow-lists) are compiled here, with RE2 (`re2js`, a port of Go's `regexp`)
 * rather than JavaScript's backtracking RegExp: matching takes time linear in the input, so a
 * pattern such as `(.*.*)*X` cannot stall the event loop, and the syntax is the one Alertmanager
 * and amtool accept (Go's defaults: `.` does not match a newline unless `(?s)`, `^`/`$` are
 * text anchors unless `(?m)`, no lookaround or backreferences).
 *
 * Patterns match the whole value, the way Alertmanager compiles a matcher: `^(?:re)$`.
 */

export interface AnchoredRegex {
  /** True when the pattern matches all of `value`. */
  test(value: string): boolean;
}

// Matchers come from configuration, so the working set is small; the bound only keeps a flood of
// distinct patterns from growing memory without end.
const CACHE_LIMIT = 1000;
const cache = new Map<string, AnchoredRegex | string>();

function compileUncached(pattern: string): AnchoredRegex | string {
  try {
    // Compiled on its own, not wrapped: a pattern that would close the wrapper's group (`a)|(b`)
    // is refused, errors quote what the user wrote, and `testExact` (a match of the whole
    // value, the same as `^(?:re)$`) ran twice as fast as the wrapped pattern's `matches`.
    const re = RE2JS.compile(pattern);
    return { test: (value) => re.testExact(value) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/^error parsing regexp: /, '');
  }
}

/** The compiled, anchored pattern, or why RE2 refuses it (cached either way). */
export function compileAnchoredRe2(pattern: string): AnchoredRegex | string {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    compiled = compileUncached(pattern);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** Why RE2 refuses the pattern, or null when it is valid. For validation at save time. */
export function re2SyntaxError(pattern: string): string | null {
  const compiled = compileAnchoredRe2(pattern);
  return typeof compiled === 'string' ? compiled : null;
}

/**
 * Whether `pattern` matches all of `value`; null when the pattern is not valid RE2 (possible
 * only for rows saved before patterns were validated with RE2: callers treat it as no match).
 */
export function fullMatchRe2(pattern: string, value: string): boolean | null {
  const compiled = compileAnchoredRe2(pattern);
  return typeof compiled === 'string' ? null : compiled.test(value);
}
