import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { parseSettings } from './integration.js';
import { formatApiMatcher, parseDuration, parseTime } from './silence.js';

describe('--setting k=v', () => {
  it('reads JSON values, plain strings and dotted keys, merging into a base', () => {
    expect(parseSettings(['grouping=labels', 'groupBy=["alertname","cluster"]', 'flap=null', 'heartbeat.intervalSeconds=300', 'autoResolve=false'])).toEqual({
      grouping: 'labels', groupBy: ['alertname', 'cluster'], flap: null, heartbeat: { intervalSeconds: 300 }, autoResolve: false,
    });
    const base = { heartbeat: { intervalSeconds: 60, graceSeconds: 10 }, grouping: 'sender' };
    expect(parseSettings(['heartbeat.graceSeconds=0'], base)).toEqual({ heartbeat: { intervalSeconds: 60, graceSeconds: 0 }, grouping: 'sender' });
    expect(base.heartbeat.graceSeconds).toBe(10);
    expect(parseSettings(['summary=a=b'])).toEqual({ summary: 'a=b' });
  });

  it('rejects pairs without a key as bad input', () => {
    for (const pair of ['novalue', '=x', 'a..b=1']) {
      expect(() => parseSettings([pair])).toThrow(AppError);
    }
  });
});

describe('silence durations, times and matchers', () => {
  it('parses Prometheus-style durations to milliseconds', () => {
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('1w')).toBe(604_800_000);
    expect(parseDuration('500ms')).toBe(500);
    for (const bad of ['', '2', 'soon', '0h', '-1h', '1.5h']) expect(parseDuration(bad)).toBeNull();
  });

  it('parses ISO 8601 and epoch milliseconds, naming the flag on error', () => {
    expect(parseTime('2026-05-01T22:00:00Z', 'until')).toBe(Date.UTC(2026, 4, 1, 22));
    expect(parseTime('1777672800000', 'until')).toBe(1_777_672_800_000);
    expect(() => parseTime('tomorrow', 'until')).toThrow(/^until: 'tomorrow' is not a time/);
  });

  it('prints matchers in amtool syntax', () => {
    expect(formatApiMatcher({ name: 'a', value: 'x', isRegex: false, isEqual: true })).toBe('a="x"');
    expect(formatApiMatcher({ name: 'a', value: 'x', isRegex: false, isEqual: false })).toBe('a!="x"');
    expect(formatApiMatcher({ name: 'a', value: 'x.*', isRegex: true, isEqual: true })).toBe('a=~"x.*"');
    expect(formatApiMatcher({ name: 'a', value: 'x"y', isRegex: true, isEqual: false })).toBe('a!~"x\\"y"');
  });
});
