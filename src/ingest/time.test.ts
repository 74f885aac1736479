import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGoTimestamp, parseTimestamp } from './time.js';

describe('parseTimestamp', () => {
  const base = Date.parse('2026-03-01T10:00:00.123Z');
  it.each([
    ['2026-03-01T10:00:00.123Z', base],
    ['2026-03-01T10:00:00.123456789Z', base],
    ['2026-03-01T10:00:00.1239Z', base],
    ['2026-03-01T10:00:00.123+00:00', base],
    ['2026-03-01T10:00:00.123+0000', base],
    ['2026-03-01T11:00:00.123+01:00', base],
    ['2026-03-01T05:30:00.123-0430', base],
    ['2026-03-01t10:00:00.123z', base],
    ['2026-03-01T10:00:00Z', base - 123],
    ['2015-07-17T08:42:58.315+0000', Date.parse('2015-07-17T08:42:58.315Z')],
    ['0001-01-01T00:00:00Z', -62135596800000],
  ])('%s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each(['', 'yesterday', '2026-03-01', '2026-02-30T00:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01T10:00:00', '1772359200'])(
    'rejects %j',
    (text) => {
      expect(parseTimestamp(text)).toBeUndefined();
    },
  );

  it('treats Go zero time as unset', () => {
    expect(parseGoTimestamp('0001-01-01T00:00:00Z')).toBeNull();
    expect(parseGoTimestamp('2026-03-01T10:00:00Z')).toBe(base - 123);
    expect(parseGoTimestamp('nope')).toBeUndefined();
  });

  it('agrees with Date for every ISO string Date produces', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), (d) => {
        expect(parseTimestamp(d.toISOString())).toBe(d.getTime());
        expect(parseTimestamp(d.toISOString().replace('Z', '+0000'))).toBe(d.getTime());
      }),
    );
  });
});
