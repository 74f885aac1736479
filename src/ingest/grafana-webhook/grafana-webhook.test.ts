import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { fingerprint } from '../fingerprint.js';
import { mapGrafanaWebhook } from './map.js';
import { grafanaSignature, verifyGrafanaSignature } from './signature.js';

const path = (name: string) => new URL(`../../../test/fixtures/ingest/grafana-webhook/${name}`, import.meta.url);
const raw = (name: string): string => readFileSync(path(name), 'utf8');
const fixture = (name: string): Record<string, unknown> => JSON.parse(raw(name));
const now = Date.parse('2026-03-01T10:05:00Z');
const ctx = { now };

function errorOf(fn: () => unknown, code: string): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return error as AppError;
  }
  throw new Error(`expected a ${code} error`);
}

describe('Grafana webhook v1', () => {
  it('maps a firing alert', () => {
    const result = mapGrafanaWebhook(fixture('firing.json'), ctx);
    expect(result.format).toBe('grafana-webhook');
    expect(result.receiver).toBe('firebreak');
    expect(result.groupKey).toContain('{alertname="CPU High", grafana_folder="Infra"}');
    const labels = { alertname: 'CPU High', grafana_folder: 'Infra', host: 'web-1' };
    expect(result.signals[0]).toMatchObject({
      dedupKey: fingerprint(labels),
      action: 'trigger',
      summary: 'CPU above 90% on web-1',
      labels,
      startedAt: Date.parse('2026-03-01T10:00:00Z'),
      endedAt: null,
      runbookUrl: 'https://runbooks.example.com/cpu',
      generatorUrl: 'http://grafana:3000/alerting/grafana/fe1b2c3d/view?orgId=1',
    });
    expect((result.signals[0]?.details as { values: unknown }).values).toEqual({ B: 93.2, C: 1 });
  });

  it('maps a resolved alert with values null', () => {
    const result = mapGrafanaWebhook(fixture('resolved.json'), ctx);
    expect(result.signals[0]).toMatchObject({ action: 'resolve', endedAt: Date.parse('2026-03-01T10:04:00Z') });
  });

  it.each<[string, (b: Record<string, unknown>) => void, string]>([
    ['Alertmanager payload', (b) => (b.version = '4'), 'version'],
    ['unknown version', (b) => (b.version = '2'), 'version'],
    ['bad status', (b) => (b.status = 'alerting'), 'status'],
    ['bad values', (b) => ((b.alerts as Record<string, unknown>[])[0]!.values = { B: 'x' }), 'alerts.0.values.B'],
  ])('rejects %s naming the field', (_name, mutate, field) => {
    const body = fixture('firing.json');
    mutate(body);
    const error = errorOf(() => mapGrafanaWebhook(body, ctx), 'VALIDATION');
    expect(error.issues.map((i) => i.field)).toContain(field);
    expect(error.message).toContain(`${field}: `);
  });
});

describe('Grafana HMAC signature', () => {
  const secret = 'grafana-shared-secret';
  const body = raw('firing.json');
  const ts = String(Math.floor(now / 1000) - 30);

  it('signs hex HMAC-SHA256 over [ts:]body', () => {
    expect(grafanaSignature('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
    expect(grafanaSignature(secret, body, ts)).toBe(grafanaSignature(secret, `${ts}:${body}`));
  });

  it('accepts a valid signature without timestamp (default header, any case)', () => {
    const headers = { 'x-grafana-alerting-signature': grafanaSignature(secret, body) };
    expect(() => verifyGrafanaSignature({ secret }, headers, body, now)).not.toThrow();
    expect(() => verifyGrafanaSignature({ secret }, headers, Buffer.from(body), now)).not.toThrow();
  });

  it('accepts a valid signature with timestamp header', () => {
    const settings = { secret, header: 'X-Signature', timestampHeader: 'X-Timestamp' };
    const headers = { 'X-Signature': grafanaSignature(secret, body, ts).toUpperCase(), 'x-timestamp': ts };
    expect(() => verifyGrafanaSignature(settings, headers, body, now)).not.toThrow();
  });

  it.each<[string, Record<string, string>, object, string]>([
    ['missing header', {}, {}, 'missing X-Grafana-Alerting-Signature'],
    ['not hex', { 'X-Grafana-Alerting-Signature': 'sha256=abc' }, {}, 'not a hex'],
    ['wrong secret', { 'X-Grafana-Alerting-Signature': grafanaSignature('other', body) }, {}, 'does not match'],
    ['tampered body', { 'X-Grafana-Alerting-Signature': grafanaSignature(secret, `${body} `) }, {}, 'does not match'],
    ['missing timestamp', { 'X-Grafana-Alerting-Signature': grafanaSignature(secret, body, ts) }, { timestampHeader: 'X-Ts' }, 'missing X-Ts'],
    [
      'stale timestamp',
      { 'X-Grafana-Alerting-Signature': grafanaSignature(secret, body, '1772350000'), 'X-Ts': '1772350000' },
      { timestampHeader: 'X-Ts' },
      'away from now',
    ],
    [
      'future timestamp beyond tolerance',
      { 'X-Grafana-Alerting-Signature': grafanaSignature(secret, body, String(now / 1000 + 61)), 'X-Ts': String(now / 1000 + 61) },
      { timestampHeader: 'X-Ts', toleranceSeconds: 60 },
      'away from now',
    ],
    ['timestamp not signed', { 'X-Grafana-Alerting-Signature': grafanaSignature(secret, body), 'X-Ts': ts }, { timestampHeader: 'X-Ts' }, 'does not match'],
  ])('rejects %s', (_name, headers, extra, message) => {
    const error = errorOf(() => verifyGrafanaSignature({ secret, ...extra }, headers, body, now), 'UNAUTHORIZED');
    expect(error.message).toContain(message);
  });

  it('rejects bad settings as VALIDATION', () => {
    expect(errorOf(() => verifyGrafanaSignature({ secret: '' }, {}, body, now), 'VALIDATION').message).toContain('hmac.secret');
  });
});
