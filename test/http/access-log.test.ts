import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/logger.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/** Issue 15: one access-log line per request, naming the credential by id and never holding a key. */
describe('access log', () => {
  let t: TestApp;
  const lines: { category: string; message: string; data?: Record<string, unknown> }[] = [];
  const log: Logger = {
    info: (category, message, data) => lines.push({ category, message, ...(data ? { data } : {}) }),
    warn: () => {},
    error: () => {},
  };
  let admin: { token: string; userId: string };
  let key = '';
  let integrationId = '';

  beforeAll(async () => {
    t = await createTestApp('sqlite', { log, app: { accessLog: true } });
    admin = await t.userWithKey('admin');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin.token), payload: { name: 'am', format: 'alertmanager-webhook' } });
    key = res.json().key as string;
    integrationId = res.json().id as string;
  });
  afterAll(async () => t?.close());

  const accessLines = () => lines.filter((l) => l.category === 'http' && l.message === 'request');

  it('logs ingest by route pattern and integration id, never the key in the path', async () => {
    lines.length = 0;
    const res = await t.app.inject({
      method: 'POST', url: `/ingest/alertmanager/${key}?token=${key}`, headers: { 'content-type': 'application/json' },
      payload: { receiver: 'x', status: 'firing', version: '4', groupKey: 'g', alerts: [{ status: 'firing', labels: { alertname: 'A' }, annotations: {}, startsAt: '2026-03-01T10:00:00Z' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [line] = accessLines();
    expect(line?.data).toMatchObject({ method: 'POST', route: '/ingest/alertmanager/:key', status: 200, credential: `integration:${integrationId}`, requestId: res.headers['x-request-id'] });
    expect(typeof line?.data?.ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain(key);
  });

  it('logs API requests with the API key id, and refusals too', async () => {
    lines.length = 0;
    await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(admin.token) });
    await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer('fbk_wrong') });
    const [ok, refused] = accessLines();
    expect(ok?.data).toMatchObject({ method: 'GET', route: '/api/v1/incidents', status: 200, credential: expect.stringMatching(/^apikey:/) });
    expect(refused?.data).toMatchObject({ status: 401 });
    expect(refused?.data?.credential).toBeUndefined();
    expect(JSON.stringify(lines)).not.toContain(admin.token);
  });

  it('is off unless asked for', async () => {
    const quiet: string[] = [];
    const q = await createTestApp('sqlite', { log: { info: (_c, m) => quiet.push(m), warn: () => {}, error: () => {} } });
    try {
      await q.app.inject({ method: 'GET', url: '/api/v1/incidents' });
      expect(quiet).not.toContain('request');
    } finally {
      await q.close();
    }
  });
});
