import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { clientFrom, errorFromResponse } from './client.js';

describe('errorFromResponse', () => {
  it('keeps the server’s code, message and field issues', () => {
    const e = errorFromResponse(400, JSON.stringify({ code: 'VALIDATION', message: 'severity: unknown', requestId: 'req_1', issues: [{ field: 'severity', message: 'unknown' }] }));
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'VALIDATION', message: 'severity: unknown', issues: [{ field: 'severity', message: 'unknown' }] });
  });

  it('adds the request id to internal errors so the log line can be found', () => {
    expect(errorFromResponse(500, JSON.stringify({ code: 'INTERNAL', message: 'internal error', requestId: 'req_9' })).message).toBe('internal error (request req_9)');
  });

  it.each([
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
    [401, 'UNAUTHORIZED'],
    [502, 'UNAVAILABLE'],
    [503, 'UNAVAILABLE'],
    [500, 'INTERNAL'],
  ])('falls back to the status %i for a body that is not ours → %s', (status, code) => {
    expect(errorFromResponse(status, '<html>proxy error</html>').code).toBe(code);
  });

  it('reads Retry-After seconds', () => {
    expect(errorFromResponse(503, '{"code":"UNAVAILABLE","message":"db"}', '5').retryAfterSeconds).toBe(5);
  });
});

describe('clientFrom', () => {
  it('prefers flags over the environment and defaults to the local server', () => {
    expect(clientFrom({ url: 'http://a:1/' }, { FIREBREAK_URL: 'http://b:2' }).baseUrl).toBe('http://a:1');
    expect(clientFrom({}, { FIREBREAK_URL: 'http://b:2' }).baseUrl).toBe('http://b:2');
    expect(clientFrom({}, {}).baseUrl).toBe('http://127.0.0.1:8080');
  });

  it('refuses a request without a key, with a hint, before touching the network', async () => {
    const client = clientFrom({ url: 'http://127.0.0.1:9' }, {});
    await expect(client.get('/api/v1/incidents')).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('FIREBREAK_API_KEY') });
  });

  it('rejects a timeout that is not a positive number', () => {
    expect(() => clientFrom({ timeout: 'soon' }, {})).toThrow(/timeout/);
  });
});
