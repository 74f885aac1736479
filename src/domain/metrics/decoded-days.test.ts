import { describe, expect, it } from 'vitest';
import { DecodedDays } from './decoded-days.js';
import { FactsBuilder } from './report-facts.js';

const facts = () => new FactsBuilder().build();

describe('DecodedDays', () => {
  it('gives a day back only at the version it was kept at', () => {
    const days = new DecodedDays(1_000);
    const f = facts();
    days.set(1, 3, f, 100);
    expect(days.get(1, 3)).toBe(f);
    expect(days.get(1, 4)).toBeUndefined();
    expect(days.get(2, 3)).toBeUndefined();
  });

  it('drops the least recently used days beyond its budget, and keeps none larger than it', () => {
    const days = new DecodedDays(300);
    for (const day of [1, 2, 3]) days.set(day, 0, facts(), 100);
    days.get(1, 0); // now 2 is the least recently used
    days.set(4, 0, facts(), 100);
    expect(days.get(2, 0)).toBeUndefined();
    expect([1, 3, 4].every((day) => days.get(day, 0) !== undefined)).toBe(true);
    expect(days.size).toEqual({ days: 3, bytes: 300 });
    days.set(5, 0, facts(), 301);
    expect(days.get(5, 0)).toBeUndefined();
    // Keeping a day again replaces it, counted once.
    days.set(4, 1, facts(), 50);
    expect(days.size).toEqual({ days: 3, bytes: 250 });
  });
});
