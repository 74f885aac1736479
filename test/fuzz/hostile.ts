import fc from 'fast-check';

/**
 * Hostile inputs for the fuzz suite: strings, numbers and JSON shapes that broke servers before
 * (NUL, lone surrogates, control characters, prototype keys, out-of-range numbers, huge and deep
 * values), and a JSON-schema-driven generator that mixes them into otherwise plausible bodies.
 */

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

export const HOSTILE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\udc00\ud800', '\u0001\u0007\u001b[31m\u007f', '\r\n\r\n', '\t',
  '\u202e\u2066', '\ufeff', '\uffff', '😀', 'e\u0301', '../../etc/passwd', '%00', '%', '%zz', '${x}', '{{x}}', '<script>',
  "'; drop table users; --", '"', '\\', '*', '(.*.*)*X', '[', '['.repeat(2000), 'a'.repeat(5000), '0', '-1', '1e309',
  '8640000000000001', '99999999999999999999', 'NaN', 'Infinity', 'true', 'null', '[]', '{}', ...PROTO_KEYS,
];

export const HOSTILE_NUMBERS = [0, -0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 53) - 2, 8_640_000_000_000_001, -8_640_000_000_000_001, 1e308, -1e308, 5e-324, 1e21];

/** Any UTF-16 code units, lone surrogates and NUL included. */
const codeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 }).map((units) => String.fromCharCode(...units));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: codeUnits },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0000', '\ud800', '\udc00', '\u0008')).map(([s, bad]) => `${s}${bad}${s}`) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.double({ noNaN: true }), fc.integer());

const hostileKey = fc.oneof(fc.constantFrom(...PROTO_KEYS), hostileString);

/** Any JSON value, with hostile leaves and keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString, hostileNumber, fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  format?: string;
}

/** A value for `schema`: usually plausible (right type, edge content), sometimes the wrong type. */
export function arbitraryFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return hostileValue;
  const plausible = plausibleFor(schema, depth);
  return fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: hostileValue });
}

function plausibleFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((v) => arbitraryFor(v, depth + 1)));
  if (schema.allOf?.length) return arbitraryFor(schema.allOf[0], depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: hostileString });
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const max = schema.maxLength ?? 200;
      return fc.oneof(
        { weight: 3, arbitrary: hostileString },
        { weight: 1, arbitrary: fc.constantFrom('2026-03-01T10:00:00Z', 'not-a-date', '2026-02-30T25:61:00Z', '+275760-09-13T00:00:00.001Z', 'example@example.test', 'https://example.test/x', 'SEV1', 'admin') },
        { weight: 1, arbitrary: fc.constant('y'.repeat(max + 1)) },
      );
    }
    case 'integer':
    case 'number': {
      const inRange = fc.integer({ min: Math.max(schema.minimum ?? -1000, -(2 ** 31)), max: Math.min(schema.maximum ?? 1000, 2 ** 31) });
      return fc.oneof({ weight: 2, arbitrary: hostileNumber }, { weight: 1, arbitrary: inRange });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbitraryFor(schema.items, depth + 1), { maxLength: 4 });
    case 'object':
    default: {
      const props = Object.entries(schema.properties ?? {});
      if (props.length === 0) return fc.dictionary(hostileKey, hostileValue, { maxKeys: 4 });
      const record = Object.fromEntries(props.map(([k, s]) => [k, arbitraryFor(s, depth + 1)]));
      return fc.tuple(
        fc.record(record, { requiredKeys: (schema.required ?? []).filter((k) => k in record) }),
        fc.dictionary(fc.constantFrom(...PROTO_KEYS, 'extra'), hostileValue, { maxKeys: 2 }),
      ).map(([known, extra]) => ({ ...extra, ...known }));
    }
  }
}

/** Replaces random leaves of a known-good payload with hostile values (mutational fuzzing). */
export function mutationsOf(sample: unknown): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(sample, []);
  const mutation = fc.tuple(fc.constantFrom(...paths), fc.oneof(hostileValue, hostileString, fc.constantFrom(...PROTO_KEYS)), fc.boolean());
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => {
    let copy = structuredClone(sample);
    for (const [path, value, asKey] of mutations) {
      if (path.length === 0) { copy = value; continue; }
      let parent: unknown = copy;
      for (const step of path.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent as Record<string | number, unknown>)[step] : undefined;
      if (!parent || typeof parent !== 'object') continue;
      const last = path.at(-1)!;
      const target = parent as Record<string | number, unknown>;
      if (asKey && typeof value === 'string' && !Array.isArray(parent)) {
        Object.defineProperty(target, value, { value: target[last], enumerable: true, configurable: true, writable: true });
      } else target[last] = value;
    }
    return copy;
  });
}

/** Percent-encodes any JS string, lone surrogates included (as WTF-8 bytes, which a URL can carry). */
export function encodeAny(value: string): string {
  let out = '';
  for (const ch of value) {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

/** A nested JSON text `depth` levels deep, built as text (JSON.stringify would recurse). */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** The payload with `change` applied to every string leaf (the keys stay). */
export function mapStrings(value: unknown, change: (s: string) => string): unknown {
  if (typeof value === 'string') return change(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, change));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, change)]));
  return value;
}
