import { describe, expect, it } from 'vitest';
import { MAX_CATCH_UP, periodsDue } from './periods.js';

const at = (iso: string) => Date.parse(iso);
const iso = (p: { start: number; end: number }) => [new Date(p.start).toISOString().slice(0, 10), new Date(p.end).toISOString().slice(0, 10)];

describe('periodsDue', () => {
  it('owes nothing until the period the schedule was made in has ended', () => {
    expect(periodsDue(at('2026-03-04T10:00:00Z'), at('2026-03-08T23:59:59Z'), 'week')).toEqual([]);
    expect(periodsDue(at('2026-03-04T10:00:00Z'), at('2026-03-09T00:00:00Z'), 'week').map(iso)).toEqual([['2026-03-02', '2026-03-09']]);
  });
  it('months end on the 1st, whatever their length', () => {
    expect(periodsDue(at('2026-01-31T23:00:00Z'), at('2026-03-01T00:00:00Z'), 'month').map(iso)).toEqual([['2026-01-01', '2026-02-01'], ['2026-02-01', '2026-03-01']]);
  });
  it('catches up at most the last few periods after a long outage', () => {
    const due = periodsDue(at('2025-01-01T00:00:00Z'), at('2026-03-09T00:00:00Z'), 'week');
    expect(due).toHaveLength(MAX_CATCH_UP);
    expect(iso(due.at(-1)!)).toEqual(['2026-03-02', '2026-03-09']);
  });
});
