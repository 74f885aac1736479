import { describe, expect, it } from 'vitest';
import { extractTargets, parseDuration, parseReviewIntervalDays, targetSeconds } from './targets.js';

describe('durations', () => {
  it.each([
    ['2 minutes', 120],
    ['5-10 minutes', 600],
    ['5–10 min', 600],
    ['< 15 min', 900],
    ['≤ 2 hours', 7200],
    ['1 hour', 3600],
    ['30s', 30],
    ['Immediate', 0],
    ['24-48 hours', 172_800],
    ['1h 30m', 5400],
    ['up to 5 minutes', 300],
    ['First 5 minutes', 300],
  ])('%s → %d s target', (text, seconds) => {
    expect(targetSeconds(text)).toBe(seconds);
  });

  it('keeps both ends of a range and open-ended phases', () => {
    expect(parseDuration('15-30 minutes')).toEqual({ minSeconds: 900, maxSeconds: 1800 });
    expect(parseDuration('30+ min')).toEqual({ minSeconds: 1800 });
    expect(targetSeconds('30+ min')).toBeUndefined();
    expect(parseDuration('Immediate')).toEqual({ minSeconds: 0, maxSeconds: 0, immediate: true });
  });

  it('finds no duration in text without a unit', () => {
    expect(parseDuration('2024')).toBeUndefined();
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('-'.repeat(100_000) + '5')).toBeUndefined();
  });

  it('extracts labelled targets and keeps the larger of repeats', () => {
    const text = '**Impact**: lots\n**Time to Mitigate**: 5-10 minutes\nMTTR Target: 2 minutes\nResponse Time: 15 minutes\nTime to Mitigate: 15-30 minutes';
    expect(extractTargets(text)).toEqual({ mitigateSeconds: 1800, resolveSeconds: 120, acknowledgeSeconds: 900 });
  });

  it('reads review intervals', () => {
    expect(parseReviewIntervalDays('Quarterly')).toBe(91);
    expect(parseReviewIntervalDays('90 days')).toBe(90);
    expect(parseReviewIntervalDays('every 6 months')).toBe(180);
    expect(parseReviewIntervalDays(30)).toBe(30);
    expect(parseReviewIntervalDays('whenever')).toBeUndefined();
  });
});
