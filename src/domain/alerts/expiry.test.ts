import { describe, expect, it } from 'vitest';
import { expiryToStore } from './plan-rules.js';

const MIN = 60_000;

describe('expiryToStore: when an Alertmanager-API re-post writes a new expiry', () => {
  it.each([
    // [expiresAt, stored, now, result]
    ['first post, endsAt 4 min ahead: a minute of slack', 4 * MIN, null, 0, 5 * MIN],
    ['first post, endsAt 2 min ahead: a quarter of the time left', 2 * MIN, null, 0, 2.5 * MIN],
    ['endsAt already covered by the stored expiry: no write', 5 * MIN, 5 * MIN, MIN, null],
    ['endsAt past the stored expiry: a new one, with slack', 6 * MIN, 5 * MIN, 2 * MIN, 7 * MIN],
    ['resolve_timeout 5 min: slack capped at a minute', 5 * MIN, undefined, 0, 6 * MIN],
    ['endsAt in the past: no slack', 0, null, MIN, 0],
  ] as const)('%s', (_what, expiresAt, stored, now, expected) => {
    expect(expiryToStore(expiresAt, stored, now)).toBe(expected);
  });

  it('a client posting every minute with endsAt 4 min ahead writes every other post, and the alert never expires before its last endsAt', () => {
    let stored: number | null = null;
    let writes = 0;
    for (let minute = 0; minute < 20; minute += 1) {
      const next = expiryToStore(minute * MIN + 4 * MIN, stored, minute * MIN);
      if (next !== null) {
        stored = next;
        writes += 1;
      }
      expect(stored!).toBeGreaterThanOrEqual(minute * MIN + 4 * MIN);
      expect(stored!).toBeLessThanOrEqual(minute * MIN + 5 * MIN);
    }
    expect(writes).toBe(10);
  });
});
