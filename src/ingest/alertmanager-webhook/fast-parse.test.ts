import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAlertmanagerWebhook } from './fast-parse.js';
import { alertmanagerWebhookSchema } from './schema.js';

const fixtures = new URL('../../../test/fixtures/ingest/alertmanager-webhook/', import.meta.url);

const time = fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant('0001-01-01T00:00:00Z'), fc.constant('2026-11-23T10:00:00.123456789+02:00'), fc.constant('nope'), fc.integer());
const map = fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())), fc.constant(null), fc.constant(undefined), fc.constant([]));
const optionalText = fc.oneof(fc.constant(undefined), fc.string(), fc.integer(), fc.constant(null));
const alert = fc.record({
  status: fc.oneof(fc.constant('firing'), fc.constant('resolved'), fc.string()), labels: map, annotations: map, startsAt: time, endsAt: time,
  generatorURL: optionalText, fingerprint: optionalText, extra: fc.anything(),
}, { requiredKeys: [] });
const payload = fc.record({
  version: fc.oneof(fc.constant('4'), fc.constant('3'), fc.constant(4)), receiver: optionalText, status: fc.oneof(fc.constant('firing'), fc.constant('resolved'), fc.string()),
  alerts: fc.oneof(fc.array(alert, { maxLength: 4 }), fc.constant(null)), groupLabels: map, commonLabels: map, commonAnnotations: map, routeLabels: map,
  externalURL: optionalText, groupKey: optionalText, truncatedAlerts: fc.oneof(fc.constant(undefined), fc.integer(), fc.double(), fc.constant('1')), notification_reason: optionalText,
}, { requiredKeys: [] });

const roundTrip = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

describe('readAlertmanagerWebhook', () => {
  it('agrees with the zod schema whenever it accepts', () => {
    fc.assert(
      fc.property(fc.oneof(payload, fc.anything()), (input) => {
        const raw = roundTrip(input);
        const fast = readAlertmanagerWebhook(raw);
        if (fast === undefined) return;
        const slow = alertmanagerWebhookSchema.safeParse(raw);
        expect(slow.success).toBe(true);
        if (slow.success) expect(fast).toEqual(slow.data);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads every recorded Alertmanager fixture exactly as zod does', () => {
    for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.json'))) {
      const raw = JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as unknown;
      const slow = alertmanagerWebhookSchema.safeParse(raw);
      const fast = readAlertmanagerWebhook(raw);
      if (slow.success) expect(fast, name).toEqual(slow.data);
      else expect(fast, name).toBeUndefined();
    }
  });
});
