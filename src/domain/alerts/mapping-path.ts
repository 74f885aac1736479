/**
 * A deliberately tiny JSONPath subset for the generic webhook mapping: `$`, `.name`, `[0]`,
 * `["any key"]`. No wildcards, filters or recursion — a mapping picks single values, and a
 * small grammar keeps mapping errors obvious to the person writing one.
 */

export type PathSegment = string | number;

/** A name segment, matched in place (sticky) so a long path is not copied once per segment. */
const NAME = /[^.[\]\s]+/y;

/** Parses `$.a.b[0]["c d"]` (the `$` is optional) into segments; a string is an error message. */
export function parsePath(path: string): PathSegment[] | string {
  let i = 0;
  const text = path.trim();
  const segments: PathSegment[] = [];
  if (text.startsWith('$')) i = 1;
  else if (text !== '' && !text.startsWith('.') && !text.startsWith('[')) {
    // Bare `a.b` is accepted as `$.a.b`.
    const name = /^[^.[\]\s]+/.exec(text);
    if (!name) return 'expected a path like $.a.b[0]';
    segments.push(name[0]);
    i = name[0].length;
  }
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(text);
      if (!name) return `expected a name after "." at offset ${i}`;
      segments.push(name[0]);
      i += 1 + name[0].length;
    } else if (ch === '[') {
      const index = /^\[(\d+)\]/.exec(text.slice(i, i + 20));
      const quoted = index ? null : readQuotedKey(text, i);
      if (index) {
        segments.push(Number(index[1]));
        i += index[0].length;
      } else if (quoted) {
        segments.push(quoted.key);
        i = quoted.end;
      } else {
        return `expected [number] or ["key"] at offset ${i}`;
      }
    } else {
      return `unexpected ${JSON.stringify(ch)} at offset ${i}`;
    }
  }
  return segments;
}

/**
 * `["key"]` or `['key']` starting at `start` (the `[`), with `\x` escaping any character: the
 * key and the offset after `]`, or null. A hand scan, linear in the path: the regular expression
 * it replaces backtracked exponentially on a run of backslashes with no closing quote.
 */
function readQuotedKey(text: string, start: number): { key: string; end: number } | null {
  const quote = text[start + 1];
  if (quote !== '"' && quote !== "'") return null;
  let key = '';
  for (let j = start + 2; j < text.length; j += 1) {
    const ch = text[j];
    if (ch === '\\') {
      if (j + 1 >= text.length) return null;
      key += text[j + 1];
      j += 1;
    } else if (ch === quote) {
      return text[j + 1] === ']' ? { key, end: j + 2 } : null;
    } else {
      key += ch;
    }
  }
  return null;
}

/** The value at `segments`, or undefined when any step is missing. Never walks the prototype. */
export function resolvePath(root: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment >= current.length) return undefined;
      current = current[segment];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}
