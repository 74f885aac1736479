import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../fingerprint.js';
import { mapAlertmanagerApi } from './map.js';
import { validationOf } from '../../../test/helpers/errors.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/ingest/alertmanager-api/${name}`, import.meta.url), 'utf8'));
const now = Date.parse('2026-03-01T10:05:00Z');
const ctx = { now };

describe('Alertmanager API v2 POST /api/v2/alerts', () => {
  it('maps a Prometheus batch: endsAt in the future fires, endsAt in the past resolves', () => {
    const result = mapAlertmanagerApi(fixture('prometheus-batch.json'), ctx);
    expect(result.reply).toEqual({ status: 200, body: null });
    expect(result.rejected).toEqual([]);
    const [latency, disk] = result.signals;
    expect(latency).toMatchObject({
      action: 'trigger',
      dedupKey: fingerprint({ alertname: 'HighLatency', instance: 'api-1:9090', job: 'api', severity: 'critical' }),
      startedAt: Date.parse('2026-03-01T10:00:00.123Z'),
      endedAt: Date.parse('2026-03-01T10:09:00.123Z'),
      summary: 'p99 > 2s',
    });
    expect(disk).toMatchObject({ action: 'resolve', endedAt: Date.parse('2026-03-01T10:02:00Z') });
  });

  it('resolves exactly when endsAt ≤ now', () => {
    const at = (endsAt: string) => mapAlertmanagerApi([{ labels: { a: '1' }, startsAt: '2026-03-01T10:00:00Z', endsAt }], ctx).signals[0]?.action;
    expect(at('2026-03-01T10:05:00Z')).toBe('resolve');
    expect(at('2026-03-01T10:05:00.001Z')).toBe('trigger');
    expect(at('2026-03-01T10:04:59.999Z')).toBe('resolve');
  });

  it('fills missing times like Alertmanager and drops empty labels', () => {
    const [signal] = mapAlertmanagerApi(fixture('vmalert-no-endsat.json'), ctx).signals;
    expect(signal).toMatchObject({
      action: 'trigger',
      labels: { alertname: 'Watchdog', severity: 'none' },
      dedupKey: fingerprint({ alertname: 'Watchdog', severity: 'none' }),
      startedAt: now,
      endedAt: now + 5 * 60_000,
      summary: 'Watchdog',
    });
    expect(signal?.details).toMatchObject({ endsAtFromTimeout: true });
    const custom = mapAlertmanagerApi(fixture('vmalert-no-endsat.json'), { now, settings: { resolveTimeoutMs: 60_000 } });
    expect(custom.signals[0]?.endedAt).toBe(now + 60_000);
    // Only endsAt given: startsAt takes it.
    const onlyEnd = mapAlertmanagerApi([{ labels: { a: '1' }, endsAt: '2026-03-01T10:00:00Z' }], ctx).signals[0];
    expect(onlyEnd).toMatchObject({ startedAt: Date.parse('2026-03-01T10:00:00Z'), action: 'resolve' });
    // Go zero time counts as unset.
    const zero = mapAlertmanagerApi([{ labels: { a: '1' }, startsAt: '0001-01-01T00:00:00Z' }], ctx).signals[0];
    expect(zero?.startedAt).toBe(now);
  });

  it('keeps valid alerts and reports the invalid ones as a 400 JSON string', () => {
    const result = mapAlertmanagerApi(fixture('partly-invalid.json'), ctx);
    expect(result.signals.map((s) => s.labels.alertname)).toEqual(['Good']);
    expect(result.rejected.map((r) => r.field)).toEqual(['alerts.1.labels', 'alerts.2.endsAt', 'alerts.3.startsAt']);
    expect(result.reply.status).toBe(400);
    expect(typeof result.reply.body).toBe('string');
    expect(result.reply.body).toContain('alerts.1.labels: at least one label pair required');
  });

  it('fingerprint is independent of label order', () => {
    const a = mapAlertmanagerApi([{ labels: { x: '1', y: '2' } }], ctx).signals[0];
    const b = mapAlertmanagerApi([{ labels: { y: '2', x: '1' } }], ctx).signals[0];
    expect(a?.dedupKey).toBe(b?.dedupKey);
  });

  it.each<[unknown, string]>([
    [{ labels: { a: '1' } }, 'alerts'],
    [null, 'alerts'],
    [[], ''],
  ])('whole-body validation %j', (body, field) => {
    if (field === '') {
      expect(mapAlertmanagerApi(body, ctx).signals).toEqual([]);
      return;
    }
    expect(validationOf(() => mapAlertmanagerApi(body, ctx)).message).toMatch(new RegExp(`^${field}: `));
  });

  it('rejects bad settings', () => {
    expect(validationOf(() => mapAlertmanagerApi([], { now, settings: { resolveTimeoutMs: -1 } })).message).toContain(
      'settings.resolveTimeoutMs',
    );
  });
});
