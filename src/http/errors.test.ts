import { describe, expect, it } from 'vitest';
import { normaliseError, toHttp } from './errors.js';

describe('normaliseError', () => {
  const unique = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
  const isUnique = (e: unknown) => (e as { code?: string }).code === '23505';

  it('makes a unique violation no verb handled a 409 on the API', () => {
    const error = normaliseError(unique, () => false, isUnique);
    expect(error?.code).toBe('CONFLICT');
    expect(toHttp(error!, 'req').status).toBe(409);
  });

  it('leaves it a 5xx where no such check is given (ingest: senders must retry, never drop)', () => {
    expect(normaliseError(unique, () => false)).toBeNull();
  });
});
