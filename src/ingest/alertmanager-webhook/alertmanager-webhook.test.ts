import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../fingerprint.js';
import { mapAlertmanagerWebhook } from './map.js';
import { validationOf } from '../../../test/helpers/errors.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/ingest/alertmanager-webhook/${name}`, import.meta.url), 'utf8'));
const ctx = { now: Date.parse('2026-03-01T10:05:00Z') };

describe('alertmanager webhook v4', () => {
  it('maps a single firing alert', () => {
    const result = mapAlertmanagerWebhook(fixture('firing-single.json'), ctx);
    expect(result.format).toBe('alertmanager-webhook');
    expect(result.groupKey).toBe('{}/{severity="critical"}:{alertname="HighLatency"}');
    expect(result.receiver).toBe('ir-platform');
    expect(result.truncated).toBe(0);
    expect(result.reply.status).toBe(200);
    expect(result.signals).toHaveLength(1);
    expect(result.signals[0]).toMatchObject({
      dedupKey: 'f740d543a0d09b13',
      lookup: 'dedup-key',
      action: 'trigger',
      summary: 'p99 > 2s',
      severity: 'critical',
      source: 'api-1:9090',
      startedAt: Date.parse('2026-03-01T10:00:00.123Z'),
      // Go zero time means "not ended".
      endedAt: null,
      generatorUrl: expect.stringContaining('http://prom:9090/graph'),
      runbookUrl: null,
      groupKey: '{}/{severity="critical"}:{alertname="HighLatency"}',
    });
  });

  it('maps a grouped message with firing and resolved alerts', () => {
    const result = mapAlertmanagerWebhook(fixture('grouped-mixed.json'), ctx);
    expect(result.receiver).toBe('team.payments+oncall');
    expect(result.signals.map((s) => [s.labels.instance, s.action])).toEqual([
      ['api-2:9090', 'trigger'],
      ['api-3:9090', 'trigger'],
      ['api-4:9090', 'resolve'],
    ]);
    const [first, second, third] = result.signals;
    // ns precision is truncated to ms; offsets are honoured.
    expect(first?.startedAt).toBe(Date.parse('2026-03-01T09:58:12.483Z'));
    expect(second?.startedAt).toBe(Date.parse('2026-03-01T08:59:42.001Z'));
    expect(third?.endedAt).toBe(Date.parse('2026-03-01T10:01:30.500Z'));
    expect(first?.runbookUrl).toBe('https://runbooks.example.com/high-latency');
    expect(first?.description).toBe('p99 is 2.7s for 10m');
    for (const s of result.signals) {
      expect(s.dedupKey).toBe(fingerprint(s.labels));
      expect(s.groupKey).toBe(result.groupKey);
    }
    // details keep the raw alert, including the exact ns timestamp string.
    expect((first?.details as { startsAt: string }).startsAt).toBe('2026-03-01T09:58:12.483920117Z');
  });

  it('maps an all-resolved group', () => {
    const result = mapAlertmanagerWebhook(fixture('resolved-all.json'), ctx);
    expect(result.signals.map((s) => s.action)).toEqual(['resolve']);
    expect(result.signals[0]?.endedAt).toBe(Date.parse('2026-03-01T10:20:00.987Z'));
  });

  it('reports truncated alerts', () => {
    const result = mapAlertmanagerWebhook(fixture('truncated.json'), ctx);
    expect(result.signals).toHaveLength(2);
    expect(result.truncated).toBe(7);
  });

  it('computes the fingerprint when the sender omits it, and tolerates null maps', () => {
    const body = fixture('firing-single.json');
    const alerts = body.alerts as Record<string, unknown>[];
    delete alerts[0]?.fingerprint;
    if (alerts[0]) alerts[0].annotations = null;
    body.commonAnnotations = null;
    delete body.truncatedAlerts;
    const result = mapAlertmanagerWebhook(body, ctx);
    expect(result.signals[0]?.dedupKey).toBe('f740d543a0d09b13');
    expect(result.signals[0]?.summary).toBe('HighLatency');
    expect(result.truncated).toBe(0);
  });

  it('explains a custom payload template instead of failing obscurely', () => {
    const error = validationOf(() => mapAlertmanagerWebhook(fixture('custom-payload.json'), ctx));
    expect(error.message).toMatch(/^version: expected Alertmanager webhook version "4"/);
    expect(error.message).toContain('custom `payload`');
  });

  it('points Grafana payloads at the Grafana endpoint', () => {
    const error = validationOf(() => mapAlertmanagerWebhook({ version: '1', orgId: 1, alerts: [] }, ctx));
    expect(error.message).toContain('/ingest/grafana/{key}');
  });

  const base = () => fixture('firing-single.json');
  const alert0 = (b: Record<string, unknown>) => (b.alerts as Record<string, unknown>[])[0] as Record<string, unknown>;
  it.each<[string, (b: Record<string, unknown>) => void, string]>([
    ['status', (b) => (b.status = 'pending'), 'status'],
    ['alerts not an array', (b) => (b.alerts = {}), 'alerts'],
    ['alert status', (b) => (alert0(b).status = 'active'), 'alerts.0.status'],
    ['bad startsAt', (b) => (alert0(b).startsAt = 'yesterday'), 'alerts.0.startsAt'],
    ['bad endsAt', (b) => (alert0(b).endsAt = '2026-13-01T00:00:00Z'), 'alerts.0.endsAt'],
    ['label value not a string', (b) => (alert0(b).labels = { a: 1 }), 'alerts.0.labels.a'],
    ['negative truncatedAlerts', (b) => (b.truncatedAlerts = -1), 'truncatedAlerts'],
  ])('rejects %s naming the field', (_name, mutate, field) => {
    const body = base();
    mutate(body);
    const error = validationOf(() => mapAlertmanagerWebhook(body, ctx));
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.issues.map((i) => i.field)).toContain(field);
  });

  it.each([null, [], 'text', 42])('rejects a non-object body %j', (body) => {
    expect(validationOf(() => mapAlertmanagerWebhook(body, ctx)).message).toMatch(/^body: /);
  });
});
