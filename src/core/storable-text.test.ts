import { describe, expect, it } from 'vitest';
import { jsonMayHoldUnstorableText, storableJson, storableKey, storableParsedJson, storableRawText, storableText } from './storable-text.js';

const R = '\uFFFD';

describe('storable text', () => {
  it('replaces NUL and lone surrogates with U+FFFD and keeps pairs', () => {
    expect(storableText('a\u0000b')).toBe(`a${R}b`);
    expect(storableText('\ud800x\udc00')).toBe(`${R}x${R}`);
    expect(storableText('\ud83d\ude00 \ud83d')).toBe(`\ud83d\ude00 ${R}`);
    expect(storableText('\udc00\ud800')).toBe(`${R}${R}`);
    const plain = 'nothing to do';
    expect(storableText(plain)).toBe(plain);
  });

  it('says whether JSON text may hold unstorable text, by its escapes', () => {
    for (const json of ['"\\u0000"', '"\\uD800"', '"\\udbff"', '"\\uDc00"', '"\\udfff"', '"\\ud83d\\ude00"']) expect(jsonMayHoldUnstorableText(json), json).toBe(true);
    for (const json of ['"\\u003c"', '"\\u00e9"', '"\\uc000"', '"plain"', '"\\u"', '"\\ud7ff"', '"\\ue000"']) expect(jsonMayHoldUnstorableText(json), json).toBe(false);
  });

  it('walks keys and values of nested objects and arrays in place', () => {
    const value = JSON.parse('{"a\\u0000":"x\\ud800","list":["\\u0000",{"deep":"\\udc00"}],"n":1,"ok":"ok"}');
    expect(storableJson(value)).toBe(value);
    expect(value).toEqual({ [`a${R}`]: `x${R}`, list: [R, { deep: R }], n: 1, ok: 'ok' });
    expect(storableJson('\u0000')).toBe(R);
    expect(storableJson(null)).toBe(null);
  });

  it('walks a deeply nested body without overflowing the stack', () => {
    const depth = 50_000;
    const json = `${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`;
    let value: unknown = JSON.parse(json);
    value = storableParsedJson(json, value);
    for (let i = 0; i < depth; i += 1) value = (value as unknown[])[0];
    expect(value).toBe(R);
  });

  it('leaves parsed JSON without escapes untouched, and cleans NUL from a raw body', () => {
    const value = { a: 'b' };
    expect(storableParsedJson('{"a":"b"}', value)).toBe(value);
    expect(storableRawText('ping\u0000pong')).toBe(`ping${R}pong`);
  });
});

describe('storable keys', () => {
  it('keeps keys up to 500 characters and shortens longer ones the same way every time', () => {
    const short = 'k'.repeat(500);
    expect(storableKey(short)).toBe(short);
    const long = 'a'.repeat(10_000);
    expect(storableKey(long)).toBe(storableKey('a'.repeat(10_000)));
    expect(storableKey(long)).not.toBe(storableKey(`${'a'.repeat(9_999)}b`));
    expect(storableKey(long).length).toBeLessThanOrEqual(500);
    expect(storableKey(long).startsWith('a'.repeat(400))).toBe(true);
  });

  it('never cuts a surrogate pair', () => {
    const key = `${'x'.repeat(399)}\ud83d\ude00${'y'.repeat(200)}`;
    expect(storableText(storableKey(key))).toBe(storableKey(key));
  });
});
