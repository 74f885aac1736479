import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { fingerprint } from '../fingerprint.js';
import { parseGenericMapping } from '../../domain/alerts/generic-mapping.js';
import { mapGenericWebhook } from './map.js';
import { parsePath, resolvePath } from '../../domain/alerts/mapping-path.js';
import { validationOf } from '../../../test/helpers/errors.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/ingest/generic-webhook/${name}`, import.meta.url), 'utf8'));
const now = Date.parse('2026-03-01T10:05:00Z');

describe('path resolver', () => {
  const doc = { a: { b: [{ c: 'x' }, 'y'], 'd e': 1, 'q"': 2 }, list: [[1, 2]] };
  it.each<[string, unknown]>([
    ['$', doc],
    ['$.a.b[0].c', 'x'],
    ['a.b[1]', 'y'],
    ['$.a["d e"]', 1],
    ["$.a['d e']", 1],
    ['$.a["q\\""]', 2],
    ['$.list[0][1]', 2],
    ['$.a.b[5]', undefined],
    ['$.missing.x', undefined],
    ['$.a.b.c', undefined],
    ['$.constructor', undefined],
    ['$.a.__proto__', undefined],
  ])('%s', (path, expected) => {
    const segments = parsePath(path);
    expect(Array.isArray(segments)).toBe(true);
    expect(resolvePath(doc, segments as (string | number)[])).toEqual(expected);
  });

  it.each(['$.', '$[x]', '$.a[', '$..a', 'a b'])('rejects %j', (path) => {
    expect(typeof parsePath(path)).toBe('string');
  });

  it('parses in linear time: a run of backslashes with no closing quote, and 20,000 segments', () => {
    const started = performance.now();
    expect(typeof parsePath(`$["${'\\'.repeat(41)}`)).toBe('string');
    expect(parsePath(`$${'.a'.repeat(20_000)}`)).toHaveLength(20_000);
    // The regular expression this replaced took seconds on the first path alone.
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('resolves any key it can address', () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (key, value) => {
        const segments = parsePath(`$[${JSON.stringify(key)}]`);
        expect(resolvePath({ [key]: value }, segments as string[])).toEqual(value);
      }),
    );
  });
});

describe('generic webhook', () => {
  const mapping = {
    dedupKey: '$.event.id',
    summary: '$.event.monitor.name',
    severity: '$.event.severity',
    status: '$.event.type',
    resolvedValues: ['up'],
    labels: '$.tags',
    url: '$.event.monitor.url',
    startedAt: '$.event.at',
  };

  it('maps a single object with the documented mapping', () => {
    const result = mapGenericWebhook(fixture('uptime-monitor.json'), { now, settings: mapping });
    expect(result.reply).toEqual({ status: 202, body: { status: 'accepted', alerts: 1 } });
    expect(result.signals[0]).toMatchObject({
      dedupKey: 'mon-42',
      action: 'trigger',
      summary: 'Checkout API',
      severity: 'high',
      labels: { team: 'payments', env: 'prod' },
      generatorUrl: 'https://shop.example.com/health',
      startedAt: 1772359200 * 1000,
    });
  });

  it('maps status values to actions, case-insensitively', () => {
    const body = fixture('uptime-monitor.json') as { event: { type: string } };
    body.event.type = 'UP';
    expect(mapGenericWebhook(body, { now, settings: mapping }).signals[0]?.action).toBe('resolve');
    body.event.type = 'ack';
    expect(mapGenericWebhook(body, { now, settings: mapping }).signals[0]?.action).toBe('acknowledge');
  });

  it('maps an array of items and falls back to fingerprints for identity', () => {
    const settings = { items: '$.alerts', summary: '$.title', status: '$.state', labels: '$.labels' };
    const result = mapGenericWebhook(fixture('batch.json'), { now, settings });
    expect(result.signals.map((s) => [s.dedupKey, s.action])).toEqual([
      [fingerprint({ queue: 'orders' }), 'trigger'],
      [fingerprint({ queue: 'emails' }), 'resolve'],
    ]);
    const summaryOnly = mapGenericWebhook({ title: 'x' }, { now, settings: { summary: '$.title' } });
    expect(summaryOnly.signals[0]?.dedupKey).toBe(fingerprint({ summary: 'x' }));
  });

  it.each<[unknown, string]>([
    [{}, 'mapping.summary'],
    [{ summary: '$.a[' }, 'mapping.summary'],
    [{ summary: '$.a', dedupkey: '$.b' }, 'mapping'],
    [{ summary: '$.a', resolvedValues: 'ok' }, 'mapping.resolvedValues'],
  ])('validates the mapping %j', (settings, field) => {
    const error = validationOf(() => parseGenericMapping(settings));
    expect(error.message).toContain(`${field}: `);
    expect(() => mapGenericWebhook({}, { now, settings })).toThrow(AppError);
  });

  it('rejects bodies the mapping cannot use', () => {
    expect(validationOf(() => mapGenericWebhook({}, { now })).message).toMatch(/^mapping: /);
    expect(validationOf(() => mapGenericWebhook('x', { now, settings: mapping })).message).toMatch(/^body: /);
    expect(
      validationOf(() => mapGenericWebhook({ alerts: {} }, { now, settings: { items: '$.alerts', summary: '$.t' } })).message,
    ).toMatch(/^body: .*items/);
  });
});
