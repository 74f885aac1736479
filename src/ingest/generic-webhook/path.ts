/**
 * A deliberately tiny JSONPath subset for the generic webhook mapping: `$`, `.name`, `[0]`,
 * `["any key"]`. No wildcards, filters or recursion — a mapping picks single values, and a
 * small grammar keeps mapping errors obvious to the person writing one.
 */

export type PathSegment = string | number;

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
      const name = /^[^.[\]\s]+/.exec(text.slice(i + 1));
      if (!name) return `expected a name after "." at offset ${i}`;
      segments.push(name[0]);
      i += 1 + name[0].length;
    } else if (ch === '[') {
      const rest = text.slice(i);
      const index = /^\[(\d+)\]/.exec(rest);
      const quoted = /^\[(["'])((?:\\.|(?!\1).)*)\1\]/.exec(rest);
      if (index) {
        segments.push(Number(index[1]));
        i += index[0].length;
      } else if (quoted) {
        segments.push((quoted[2] ?? '').replace(/\\(.)/g, '$1'));
        i += quoted[0].length;
      } else {
        return `expected [number] or ["key"] at offset ${i}`;
      }
    } else {
      return `unexpected ${JSON.stringify(ch)} at offset ${i}`;
    }
  }
  return segments;
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
