import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { groupKeyHash } from '../fingerprint.js';
import { commonLabelsOfFiring, mapPagerDuty, readRoutingKey } from './map.js';
import { pagerDutyAccepted, pagerDutyErrorReply, pagerDutyInvalidEvent, pagerDutyUnrecognized } from './responses.js';
import { validationOf } from '../../../test/helpers/errors.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/ingest/pagerduty-events-v2/${name}`, import.meta.url), 'utf8'));
const now = Date.parse('2026-03-01T10:05:00Z');
const ctx = { now, newUuid: () => '8d3f6b2e-1c4a-4f0e-9b7d-2a5c6e8f0a1b' };
const AM_KEY = groupKeyHash('{}/{severity="critical"}:{alertname="HighLatency"}');

describe('PagerDuty Events v2', () => {
  it('maps Alertmanager ≥ 0.30 (structured custom_details)', () => {
    const result = mapPagerDuty(fixture('am-v030-trigger.json'), ctx);
    expect(result.reply).toEqual({
      status: 202,
      body: { status: 'success', message: 'Event processed', dedup_key: AM_KEY },
    });
    const [signal] = result.signals;
    expect(signal).toMatchObject({
      dedupKey: AM_KEY,
      action: 'trigger',
      summary: '[FIRING:1] HighLatency (api-1:9090 critical)',
      severity: 'critical',
      source: 'Alertmanager',
      startedAt: now,
      generatorUrl: 'http://am:9093/#/alerts?receiver=ir-platform',
      runbookUrl: 'https://runbooks.example.com/high-latency',
      // Labels shared by every firing alert in custom_details.firing.
      labels: { alertname: 'HighLatency', instance: 'api-1:9090', severity: 'critical' },
    });
    expect(signal?.details).not.toHaveProperty('routing_key');
    expect((signal?.details as { payload: { custom_details: { num_firing: number } } }).payload.custom_details.num_firing).toBe(1);
  });

  it('maps Alertmanager ≤ 0.29 (string custom_details)', () => {
    const [signal] = mapPagerDuty(fixture('am-v029-trigger.json'), ctx).signals;
    expect(signal?.severity).toBe('error');
    expect(signal?.labels).toEqual({});
    expect((signal?.details as { payload: { custom_details: { firing: string } } }).payload.custom_details.firing).toContain(
      'alertname = HighLatency',
    );
  });

  it('maps a resolve', () => {
    const result = mapPagerDuty(fixture('am-resolve.json'), ctx);
    expect(result.signals[0]).toMatchObject({ action: 'resolve', dedupKey: AM_KEY, endedAt: now, startedAt: null });
  });

  it('maps an acknowledge without payload', () => {
    const result = mapPagerDuty(fixture('acknowledge.json'), ctx);
    expect(result.signals[0]).toMatchObject({ action: 'acknowledge', dedupKey: 'samplekeyhere', severity: null });
    expect(result.reply.body).toMatchObject({ dedup_key: 'samplekeyhere' });
  });

  it('maps the PagerDuty documentation example (+0000 offset, nested details, images)', () => {
    const [signal] = mapPagerDuty(fixture('doc-trigger.json'), ctx).signals;
    expect(signal?.startedAt).toBe(Date.parse('2015-07-17T08:42:58.315Z'));
    expect(signal?.severity).toBe('info');
    expect(signal?.labels).toEqual({ component: 'postgres', group: 'prod-datapipe', class: 'deploy' });
    expect(signal?.generatorUrl).toBe('https://monitoring.example.com');
  });

  it('maps Grafana PagerDuty notifier events', () => {
    const [signal] = mapPagerDuty(fixture('grafana-trigger.json'), ctx).signals;
    expect(signal).toMatchObject({ severity: 'critical', source: 'web-1', labels: { component: 'Grafana' } });
  });

  it('generates a dedup key for a keyless trigger, deterministically via ctx', () => {
    const result = mapPagerDuty(fixture('trigger-no-dedup-key.json'), ctx);
    expect(result.signals[0]?.dedupKey).toBe('8d3f6b2e-1c4a-4f0e-9b7d-2a5c6e8f0a1b');
    expect(result.reply.body).toMatchObject({ dedup_key: '8d3f6b2e-1c4a-4f0e-9b7d-2a5c6e8f0a1b' });
    expect(result.signals[0]?.startedAt).toBe(Date.parse('2026-03-01T09:30:00Z'));
    // Without an injected generator a random UUID is used.
    expect(mapPagerDuty(fixture('trigger-no-dedup-key.json'), { now }).signals[0]?.dedupKey).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('accepts timestamps with Z, +00:00 and +0000', () => {
    for (const ts of ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00+00:00', '2026-03-01T09:30:00+0000']) {
      const body = fixture('trigger-no-dedup-key.json');
      (body.payload as Record<string, unknown>).timestamp = ts;
      expect(mapPagerDuty(body, ctx).signals[0]?.startedAt).toBe(Date.parse('2026-03-01T09:30:00Z'));
    }
  });

  it('accepts a summary of exactly 1024 characters, even astral ones', () => {
    const body = fixture('trigger-no-dedup-key.json');
    (body.payload as Record<string, unknown>).summary = '🔥'.repeat(1024);
    expect(mapPagerDuty(body, ctx).signals[0]?.summary).toHaveLength(2048);
  });

  const trigger = () => fixture('doc-trigger.json');
  const payloadOf = (b: Record<string, unknown>) => b.payload as Record<string, unknown>;
  it.each<[string, (b: Record<string, unknown>) => void, string, string?]>([
    ['short routing key', (b) => (b.routing_key = 'abc'), 'routing_key', "Length of 'routing_key' is incorrect (should be 32 characters)"],
    ['missing routing key', (b) => delete b.routing_key, 'routing_key'],
    ['unknown action', (b) => (b.event_action = 'close'), 'event_action'],
    ['long dedup key', (b) => (b.dedup_key = 'k'.repeat(256)), 'dedup_key', 'at most 255'],
    ['resolve without dedup key', (b) => { b.event_action = 'resolve'; delete b.dedup_key; }, 'dedup_key', 'required for resolve'],
    ['acknowledge with blank dedup key', (b) => { b.event_action = 'acknowledge'; b.dedup_key = ''; }, 'dedup_key'],
    ['trigger without payload', (b) => delete b.payload, 'payload', 'required for trigger'],
    ['missing summary', (b) => delete payloadOf(b).summary, 'payload.summary'],
    ['summary too long', (b) => (payloadOf(b).summary = 'x'.repeat(1025)), 'payload.summary', 'at most 1024'],
    ['missing source', (b) => delete payloadOf(b).source, 'payload.source'],
    ['bad severity', (b) => (payloadOf(b).severity = 'page'), 'payload.severity', 'critical, error, warning, info'],
    ['bad timestamp', (b) => (payloadOf(b).timestamp = '17/07/2015'), 'payload.timestamp'],
    ['link without href', (b) => (b.links = [{ text: 'x' }]), 'links.0.href'],
  ])('rejects %s naming the field', (_name, mutate, field, message) => {
    const body = trigger();
    mutate(body);
    const error = validationOf(() => mapPagerDuty(body, ctx));
    expect(error.issues.map((i) => i.field)).toContain(field);
    expect(error.message).toContain(`${field}: `);
    expect(error.issues.find((i) => i.field === field)?.message).toContain(message ?? '');
  });

  it('maps change events', () => {
    const result = mapPagerDuty(fixture('change-event.json'), { ...ctx, endpoint: 'change' });
    expect(result.signals).toEqual([]);
    expect(result.changes).toEqual([
      {
        summary: 'Build Success: Increase snapshot create timeout to 30 seconds',
        source: 'acme-build-pipeline-tool-default-i-9999',
        occurredAt: Date.parse('2026-03-01T09:55:00Z'),
        links: [{ href: 'https://acme.pagerduty.dev/build/2', text: 'View more details in Acme!' }],
        details: { build_state: 'passed', build_number: '2', run_time: '1236s' },
      },
    ]);
    expect(result.reply).toEqual({ status: 202, body: { status: 'success', message: 'Change event processed' } });
    const noSummary = fixture('change-event.json');
    delete (noSummary.payload as Record<string, unknown>).summary;
    expect(validationOf(() => mapPagerDuty(noSummary, { ...ctx, endpoint: 'change' })).message).toContain('payload.summary:');
  });

  it('builds PagerDuty response bodies', () => {
    expect(pagerDutyAccepted('k')).toEqual({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: 'k' } });
    expect(pagerDutyInvalidEvent(['x'])).toEqual({
      status: 400,
      body: { status: 'invalid event', message: 'Event object is invalid', errors: ['x'] },
    });
    expect(pagerDutyUnrecognized().body).toEqual({
      status: 'Unrecognized object',
      message: 'Event object format is unrecognized',
      errors: ['JSON parse error'],
    });
    const body = trigger();
    body.routing_key = 'short';
    const error = validationOf(() => mapPagerDuty(body, ctx));
    expect(pagerDutyErrorReply(error)?.body).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: ["routing_key: Length of 'routing_key' is incorrect (should be 32 characters)"],
    });
    expect(pagerDutyErrorReply(new AppError('INTERNAL', 'boom'))).toBeNull();
  });

  it('reads the routing key before validation and derives labels only from structured details', () => {
    expect(readRoutingKey(fixture('doc-trigger.json'))).toBe('e93facc04764012d7bfb002500d5d1a6');
    expect(readRoutingKey({})).toBeNull();
    expect(readRoutingKey('x')).toBeNull();
    expect(commonLabelsOfFiring({ firing: [{ labels: { a: '1', b: '2' } }, { labels: { a: '1', b: '3' } }] })).toEqual({ a: '1' });
    expect(commonLabelsOfFiring({ firing: 'text' })).toEqual({});
  });
});
