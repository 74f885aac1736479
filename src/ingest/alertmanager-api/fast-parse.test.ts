import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPostableAlert } from './fast-parse.js';
import { postableAlertSchema } from './schema.js';

/** The fast reader must never accept what zod rejects, nor read anything differently. */
const comparable = (a: { labels: unknown; annotations: unknown; startsAt?: number | null; endsAt?: number | null; generatorURL?: string }) => ({
  labels: a.labels, annotations: a.annotations, startsAt: a.startsAt ?? null, endsAt: a.endsAt ?? null, generatorURL: a.generatorURL,
});

const time = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.constant('0001-01-01T00:00:00Z'), fc.constant('2026-11-23T10:00:00.123456789+02:00'),
  fc.constant('not a time'), fc.constant(''), fc.integer(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);
const stringMapish = fc.oneof(
  fc.dictionary(fc.string(), fc.string()),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
  fc.constant(null), fc.constant(undefined), fc.constant([]), fc.string(),
);
const alertish = fc.record({ labels: stringMapish, annotations: stringMapish, startsAt: time, endsAt: time, generatorURL: fc.oneof(fc.constant(undefined), fc.string(), fc.integer()) }, { requiredKeys: [] });

describe('readPostableAlert', () => {
  it('agrees with the zod schema whenever it accepts', () => {
    fc.assert(
      fc.property(fc.oneof(alertish, fc.anything()), (input) => {
        // What the route sees: the value after a JSON round trip.
        const raw = input === undefined ? undefined : (JSON.parse(JSON.stringify(input) ?? 'null') as unknown);
        const fast = readPostableAlert(raw);
        const slow = postableAlertSchema.safeParse(raw);
        if (fast !== undefined) {
          expect(slow.success).toBe(true);
          if (slow.success) expect(comparable(fast)).toEqual(comparable(slow.data));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a typical Prometheus alert without zod', () => {
    const alert = readPostableAlert({
      labels: { alertname: 'HighLatency', instance: 'api-1' }, annotations: { summary: 'slow' },
      startsAt: '2026-11-23T10:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom/graph', extra: 1,
    });
    expect(alert).toMatchObject({ labels: { alertname: 'HighLatency', instance: 'api-1' }, startsAt: Date.parse('2026-11-23T10:00:00Z'), endsAt: null, extra: 1 });
  });

  it('leaves odd input to zod', () => {
    expect(readPostableAlert({ labels: { a: 1 } })).toBeUndefined();
    expect(readPostableAlert({ annotations: {} })).toBeUndefined();
    expect(readPostableAlert(JSON.parse('{"labels":{"__proto__":"x"}}'))).toBeUndefined();
    expect(readPostableAlert({ labels: { a: 'b' }, startsAt: 'yesterday' })).toBeUndefined();
  });
});
