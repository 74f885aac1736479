import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, groupKeyHash, labelSetString, sortedLabelNames } from './fingerprint.js';

describe('fingerprint', () => {
  it.each([
    [{}, 'cbf29ce484222325'],
    [{ alertname: 'HighLatency', instance: 'api-1:9090', severity: 'critical' }, 'f740d543a0d09b13'],
    // prometheus/common's own test vector, given there in decimal.
    [{ fear: 'love is not enough', name: 'garland, briggs' }, BigInt('5799056148416392346').toString(16).padStart(16, '0')],
  ])('matches Prometheus for %j', (labels, expected) => {
    expect(fingerprint(labels)).toBe(expected);
  });

  it('is stable under key order and distinguishes name/value boundaries', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (labels) => {
        const reversed = Object.fromEntries(Object.entries(labels).reverse());
        expect(fingerprint(reversed)).toBe(fingerprint(labels));
        expect(fingerprint(labels)).toMatch(/^[0-9a-f]{16}$/);
      }),
    );
    // The 0xFF separator keeps `ab=c` and `a=bc` apart.
    expect(fingerprint({ ab: 'c' })).not.toBe(fingerprint({ a: 'bc' }));
  });

  it('sorts names by UTF-8 bytes, not UTF-16 units', () => {
    // U+FF5E (3 bytes, 0xEF…) sorts before U+1F600 (4 bytes, 0xF0…) in UTF-8; UTF-16 order is reversed.
    expect(sortedLabelNames({ '\u{1F600}': 'x', '\uFF5E': 'y' })).toEqual(['\uFF5E', '\u{1F600}']);
  });

  it('renders label sets and group-key hashes like Alertmanager', () => {
    expect(labelSetString({ b: 'y', a: 'x "q"\n' })).toBe('{a="x \\"q\\"\\n", b="y"}');
    expect(groupKeyHash('{}/{severity="critical"}:{alertname="HighLatency"}')).toBe(
      '73042dc50d9d7d783a3772aae2a313acab072425608782aea59917e35ef8ec46',
    );
  });
});
