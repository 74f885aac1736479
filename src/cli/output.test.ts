import { describe, expect, it } from 'vitest';
import { ANSI_STYLE, NO_STYLE, colorEnabled, relativeTime, severityWord, statusWord, table, truncate, visibleLength } from './output.js';

describe('table', () => {
  it('aligns columns on visible width and leaves no trailing blanks', () => {
    const text = table(['#', 'TITLE', 'WHO'], [['#1', 'DB down', 'Alice'], ['#12', 'x', '']]);
    expect(text.split('\n')).toEqual(['#    TITLE    WHO', '#1   DB down  Alice', '#12  x']);
  });

  it('ignores colour codes when measuring', () => {
    const text = table(['S', 'T'], [[statusWord('triggered', ANSI_STYLE), 'a'], ['resolved', 'b']], NO_STYLE);
    const [, first, second] = text.split('\n');
    const strip = (l: string) => l.replace(/\x1b\[[0-9;]*m/g, '');
    expect(first).toContain('\x1b[');
    expect(visibleLength(first!)).toBe(visibleLength(second!));
    expect(strip(first!).indexOf(' a')).toBe(strip(second!).indexOf(' b'));
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it.each([
    ['2026-03-01T11:59:55Z', 'just now'],
    ['2026-03-01T11:59:30Z', '30s ago'],
    ['2026-03-01T11:55:00Z', '5m ago'],
    ['2026-03-01T09:00:00Z', '3h ago'],
    ['2026-02-26T12:00:00Z', '3d ago'],
    ['2025-11-01T12:00:00Z', '2025-11-01'],
    ['2026-03-01T12:10:00Z', 'in 10m'],
  ])('%s → %s', (iso, expected) => {
    expect(relativeTime(iso, now)).toBe(expected);
  });
  it('prints a dash for a missing time', () => {
    expect(relativeTime(null, now)).toBe('-');
  });
});

describe('colour', () => {
  it('is off when not a TTY, when NO_COLOR is set, or for TERM=dumb', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  it('paints severities by their number and leaves unknown keys plain', () => {
    expect(severityWord('SEV1', NO_STYLE)).toBe('SEV1');
    expect(severityWord('P0', ANSI_STYLE)).toContain('\x1b[31m');
    expect(severityWord('SEV3', ANSI_STYLE)).toContain('\x1b[33m');
    expect(severityWord('minor', ANSI_STYLE)).toBe('minor');
  });
});

describe('truncate', () => {
  it('keeps one line and cuts with an ellipsis', () => {
    expect(truncate('Acknowledged\n\non it', 80)).toBe('Acknowledged on it');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
});
