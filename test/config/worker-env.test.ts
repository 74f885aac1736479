import { describe, expect, it } from 'vitest';
import { workerOptionsFromEnv } from '../../src/app/server.js';
import { loadEnvConfig } from '../../src/config/env-config.js';

const env = (vars: Record<string, string>) => loadEnvConfig({ DATABASE_URL: 'sqlite::memory:', ...vars });

describe('the worker knobs the environment sets', () => {
  it('passes the bulk lane\'s width and its pace while paging on to the worker', () => {
    expect(workerOptionsFromEnv(env({ FIREBREAK_BULK_SEND_CONCURRENCY: '4', FIREBREAK_BULK_RATE_WHILE_PAGING: '50' }))).toEqual({ bulkConcurrency: 4, bulkRateWhilePaging: 50 });
  });

  it('keeps 16 sends and 8 a second while paging by default', () => {
    expect(workerOptionsFromEnv(env({}))).toEqual({ bulkConcurrency: 16, bulkRateWhilePaging: 8 });
  });

  it('refuses a pace that is not a whole number from 1 to 1000, naming the variable', () => {
    for (const bad of ['0', '1001', '2.5', 'fast']) {
      expect(() => env({ FIREBREAK_BULK_RATE_WHILE_PAGING: bad })).toThrow(/FIREBREAK_BULK_RATE_WHILE_PAGING/);
    }
  });
});
