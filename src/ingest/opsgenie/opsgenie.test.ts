import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { groupKeyHash } from '../fingerprint.js';
import { mapOpsgenie, opsgenieErrorReply, parseGenieKey } from './map.js';
import { validationOf } from '../../../test/helpers/errors.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/ingest/opsgenie/${name}`, import.meta.url), 'utf8'));
const now = Date.parse('2026-03-01T10:05:00Z');
const REQUEST_ID = '43a29c5c-3dbf-4fa4-9c26-f4f71023e120';
const ctx = { now, newUuid: () => REQUEST_ID };
const ALIAS = groupKeyHash('{}/{severity="critical"}:{alertname="HighLatency"}');
const accepted = { status: 202, body: { result: 'Request will be processed', took: 0, requestId: REQUEST_ID } };

describe('Opsgenie Alert API', () => {
  it('maps what Alertmanager opsgenie_configs creates', () => {
    const result = mapOpsgenie(fixture('am-create.json'), ctx);
    expect(result.reply).toEqual(accepted);
    expect(result.signals[0]).toMatchObject({
      dedupKey: ALIAS,
      lookup: 'dedup-key',
      action: 'trigger',
      summary: '[FIRING:1] HighLatency (api-1:9090 critical)',
      severity: 'P2',
      source: 'api-1:9090',
      generatorUrl: 'http://am:9093/#/alerts?receiver=opsgenie',
      labels: { alertname: 'HighLatency', instance: 'api-1:9090', severity: 'critical' },
      tags: ['prod', 'api'],
      runbookUrl: 'https://runbooks.example.com/high-latency',
      startedAt: now,
    });
  });

  it('maps Grafana creates, defaults priority to P3 when absent', () => {
    const body = fixture('grafana-create.json');
    expect(mapOpsgenie(body, ctx).signals[0]).toMatchObject({ severity: 'P1', tags: ['alertname:CPU High', 'grafana_folder:Infra', 'host:web-1'] });
    delete body.priority;
    expect(mapOpsgenie(body, ctx).signals[0]?.severity).toBe('P3');
  });

  it('creates without alias are never deduplicated', () => {
    const body = fixture('am-create.json');
    delete body.alias;
    expect(mapOpsgenie(body, { now, newUuid: () => 'generated' }).signals[0]?.dedupKey).toBe('generated');
  });

  it('truncates free text to Opsgenie limits instead of dropping the alert', () => {
    const body = fixture('am-create.json');
    body.message = 'm'.repeat(200);
    body.tags = Array.from({ length: 25 }, (_, i) => `tag-${i}-${'x'.repeat(60)}`);
    const [signal] = mapOpsgenie(body, ctx).signals;
    expect([...(signal?.summary ?? '')]).toHaveLength(130);
    expect(signal?.summary.endsWith('…')).toBe(true);
    expect(signal?.tags).toHaveLength(20);
    expect(signal?.tags.every((t) => [...t].length <= 50)).toBe(true);
  });

  it.each<[string, string | undefined, string]>([
    ['alias', 'alias', 'dedup-key'],
    ['id', 'id', 'alert-id'],
    ['tiny', 'tiny', 'tiny-id'],
    ['default id', undefined, 'alert-id'],
  ])('closes by %s', (_name, identifierType, lookup) => {
    const result = mapOpsgenie(fixture('am-close.json'), { ...ctx, endpoint: 'close', identifier: ALIAS, identifierType });
    expect(result.reply).toEqual(accepted);
    expect(result.signals[0]).toMatchObject({ action: 'resolve', dedupKey: ALIAS, lookup, endedAt: now });
  });

  it('acknowledges, with or without a body', () => {
    for (const body of [undefined, null, {}, { user: 'alice', note: 'looking' }]) {
      const result = mapOpsgenie(body, { ...ctx, endpoint: 'acknowledge', identifier: 'abc', identifierType: 'alias' });
      expect(result.signals[0]).toMatchObject({ action: 'acknowledge', dedupKey: 'abc', lookup: 'dedup-key' });
    }
  });

  it('carries the note and user of acknowledge and close, and maps notes', () => {
    const route = { ...ctx, identifier: 'abc', identifierType: 'alias' };
    expect(mapOpsgenie({ user: 'alice', note: 'looking' }, { ...route, endpoint: 'acknowledge' }).signals[0]?.note).toEqual({ user: 'alice', text: 'looking', action: 'acknowledge' });
    expect(mapOpsgenie({}, { ...route, endpoint: 'close' }).signals[0]?.note).toEqual({ user: null, text: null, action: 'close' });
    expect(mapOpsgenie({ note: 'rebooted', user: 'bob' }, { ...route, endpoint: 'notes' }).updates).toEqual([
      { dedupKey: 'abc', lookup: 'dedup-key', summary: null, description: null, note: { user: 'bob', text: 'rebooted', action: 'note' } },
    ]);
    expect(mapOpsgenie(fixture('am-create.json'), ctx).signals[0]?.context?.tags).toEqual(['prod', 'api']);
  });

  it('maps update_alerts message and description updates', () => {
    const route = { ...ctx, identifier: ALIAS, identifierType: 'alias' };
    expect(mapOpsgenie(fixture('am-update-message.json'), { ...route, endpoint: 'message' }).updates).toEqual([
      { dedupKey: ALIAS, lookup: 'dedup-key', summary: '[FIRING:2] HighLatency (critical)', description: null },
    ]);
    expect(mapOpsgenie(fixture('am-update-description.json'), { ...route, endpoint: 'description' }).updates).toEqual([
      { dedupKey: ALIAS, lookup: 'dedup-key', summary: null, description: 'Labels:\n - alertname = HighLatency\n' },
    ]);
  });

  it.each<[string, unknown, Partial<typeof ctx & { endpoint: string; identifier: string; identifierType: string }>, string]>([
    ['missing message', { alias: 'a' }, {}, 'message'],
    ['blank message', { message: '  ' }, {}, 'message'],
    ['bad priority', { message: 'm', priority: 'P0' }, {}, 'priority'],
    ['alias too long', { message: 'm', alias: 'a'.repeat(513) }, {}, 'alias'],
    ['bad responder type', { message: 'm', responders: [{ name: 'x', type: 'group' }] }, {}, 'responders.0.type'],
    ['tags not strings', { message: 'm', tags: [1] }, {}, 'tags.0'],
    ['details object value', { message: 'm', details: { a: { b: 1 } } }, {}, 'details.a'],
    ['close without identifier', {}, { endpoint: 'close' }, 'identifier'],
    ['bad identifierType', {}, { endpoint: 'close', identifier: 'x', identifierType: 'name' }, 'identifierType'],
    ['update without message', {}, { endpoint: 'message', identifier: 'x' }, 'message'],
    ['note without note', { user: 'a' }, { endpoint: 'notes', identifier: 'x' }, 'note'],
    ['unknown endpoint', {}, { endpoint: 'snooze' }, 'endpoint'],
  ])('rejects %s naming the field', (_name, body, extra, field) => {
    const error = validationOf(() => mapOpsgenie(body, { ...ctx, ...extra }));
    expect(error.issues.map((i) => i.field)).toContain(field);
    expect(error.message).toContain(`${field}: `);
  });

  it('answers errors in Opsgenie shape', () => {
    const error = validationOf(() => mapOpsgenie({}, ctx));
    expect(opsgenieErrorReply(error, ctx)).toEqual({
      status: 422,
      body: { message: error.message, took: 0, requestId: REQUEST_ID },
    });
    expect(opsgenieErrorReply(new AppError('UNAUTHORIZED', 'x'), ctx)?.status).toBe(401);
    expect(opsgenieErrorReply(new AppError('INTERNAL', 'x'), ctx)).toBeNull();
  });

  it.each<[string | undefined, string | null]>([
    ['GenieKey eb243592-faa2-4ba2-a551q-1afdf565c889', 'eb243592-faa2-4ba2-a551q-1afdf565c889'],
    ['geniekey   abc  ', 'abc'],
    ['Bearer abc', null],
    ['GenieKey', null],
    ['GenieKey a b', null],
    ['', null],
    [undefined, null],
  ])('parseGenieKey(%j)', (header, key) => {
    expect(parseGenieKey(header)).toBe(key);
  });
});
