import { describe, expect, it } from 'vitest';
import { REDACTED, redactCredentialText, redactKeyDeep, redactRawPayload } from './redact-credentials.js';

const KEY = '0123456789abcdef0123456789abcdef';

describe('redactRawPayload', () => {
  const cases: { name: string; body: string; key?: string | null; scan?: boolean; want: string }[] = [
    {
      name: 'PagerDuty routing_key (the integration key)',
      body: `{"routing_key":"${KEY}","event_action":"trigger","dedup_key":"db-1","payload":{"summary":"x"}}`,
      key: KEY,
      want: `{"routing_key":"${REDACTED}","event_action":"trigger","dedup_key":"db-1","payload":{"summary":"x"}}`,
    },
    {
      name: 'PagerDuty routing_key with spaces, and an old service_key that is not the key',
      body: `{ "routing_key" : "${KEY}", "service_key": "other-secret" }`,
      key: KEY,
      want: `{ "routing_key" : "${REDACTED}", "service_key": "${REDACTED}" }`,
    },
    {
      name: 'Opsgenie apiKey and a GenieKey Authorization copied into a body',
      body: '{"message":"m","apiKey":"og-key-1","headers":{"Authorization":"GenieKey og-key-1"}}',
      key: null,
      want: `{"message":"m","apiKey":"${REDACTED}","headers":{"Authorization":"${REDACTED}"}}`,
    },
    {
      name: 'the key anywhere in the body (a Grafana message that prints its webhook URL)',
      body: `{"message":"sent to https://ir.example.com/ingest/grafana/${KEY} ok","title":"${KEY}"}`,
      key: KEY,
      want: `{"message":"sent to https://ir.example.com/ingest/grafana/${REDACTED} ok","title":"${REDACTED}"}`,
    },
    {
      name: 'tokens in query strings',
      body: '{"generatorURL":"http://prom/graph?g0.expr=up&token=abc123&g0.tab=1","imageURL":"https://img/x.png?X-Amz-Signature=deadbeef&api_key=k1"}',
      want: `{"generatorURL":"http://prom/graph?g0.expr=up&token=${REDACTED}&g0.tab=1","imageURL":"https://img/x.png?X-Amz-Signature=${REDACTED}&api_key=${REDACTED}"}`,
    },
    {
      name: 'a password in URL user-info',
      body: '{"externalURL":"https://alice:hunter2@am.example.com/"}',
      want: `{"externalURL":"https://alice:${REDACTED}@am.example.com/"}`,
    },
    {
      name: 'escaped quotes inside a credential value',
      body: '{"token":"a\\"b","x":1}',
      want: `{"token":"${REDACTED}","x":1}`,
    },
    {
      name: 'ordinary fields and labels stay byte for byte',
      body: '{"dedup_key":"k","labels":{"alertname":"TokenBucketFull","monkey":"yes","tokenizer":"t","key":"v"},"groupKey":"{}:{alertname=\\"x\\"}"}',
      want: '{"dedup_key":"k","labels":{"alertname":"TokenBucketFull","monkey":"yes","tokenizer":"t","key":"v"},"groupKey":"{}:{alertname=\\"x\\"}"}',
    },
    {
      name: 'an X-Api-Key header and an access_token member',
      body: '{"headers":{"X-Api-Key":"k-1"},"access_token":"t-1","note":"no token here"}',
      want: `{"headers":{"X-Api-Key":"${REDACTED}"},"access_token":"${REDACTED}","note":"no token here"}`,
    },
    {
      name: 'a fixed-schema sender (Alertmanager): only the key is looked for',
      body: `{"alerts":[{"labels":{"alertname":"x"},"annotations":{"hook":"https://h/ingest/alertmanager/${KEY}"},"generatorURL":"http://p/?token=kept"}]}`,
      key: KEY,
      scan: false,
      want: `{"alerts":[{"labels":{"alertname":"x"},"annotations":{"hook":"https://h/ingest/alertmanager/${REDACTED}"},"generatorURL":"http://p/?token=kept"}]}`,
    },
    { name: 'a short key is not looked for in free text', body: '{"summary":"abc is down"}', key: 'abc', want: '{"summary":"abc is down"}' },
    { name: 'not JSON at all', body: 'ping', key: KEY, want: 'ping' },
    { name: 'empty', body: '', key: KEY, want: '' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = redactRawPayload(c.body, c.key ?? null, c.scan ?? true);
      expect(out).toBe(c.want);
      if (c.key && c.key.length >= 8) expect(out).not.toContain(c.key);
      // Idempotent: the migration may run over a body ingest already redacted.
      expect(redactRawPayload(out, c.key ?? null, c.scan ?? true)).toBe(out);
    });
  }

  it('keeps a redacted PagerDuty body valid JSON', () => {
    const out = redactRawPayload(JSON.stringify({ routing_key: KEY, payload: { summary: 's', custom_details: { auth_token: 't' } } }), KEY);
    expect(JSON.parse(out)).toEqual({ routing_key: REDACTED, payload: { summary: 's', custom_details: { auth_token: REDACTED } } });
  });

  it('is linear on hostile input', () => {
    const hostile = `{"${'a'.repeat(40)}token`.repeat(20_000) + '?'.repeat(100_000) + '&tokentokentoken'.repeat(20_000) + 'http://'.repeat(20_000);
    const started = performance.now();
    redactCredentialText(hostile);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('redactKeyDeep', () => {
  it('replaces the key in every nested string and keeps prototype keys plain', () => {
    const value = JSON.parse(`{"labels":{"url":"https://x/${KEY}"},"list":["${KEY}",1,null],"__proto__":{"k":"${KEY}"}}`) as Record<string, unknown>;
    const out = redactKeyDeep(value, KEY);
    expect(JSON.stringify(out)).not.toContain(KEY);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toContain('__proto__');
  });
});
