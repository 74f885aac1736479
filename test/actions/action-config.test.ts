import { describe, expect, it } from 'vitest';
import { formatConfigProblem, parseConfigText } from '../../src/config/config-file.js';
import { digestSlots, weekKey } from '../../src/domain/actions/digest-schedule.js';
import { digestLines } from '../../src/domain/actions/send-digests.js';
import { expandChecklist } from '../../src/domain/tasks/expand-checklist.js';

const problems = (text: string) => {
  const r = parseConfigText(text);
  return r.ok ? [] : r.problems.map(formatConfigProblem);
};

describe('firebreak.yaml: post-incident checklists and the action-item digest', () => {
  it('accepts on_resolve checklists with time windows and a digest schedule', () => {
    const r = parseConfigText([
      'checklists:',
      '  - slug: post', '    name: Post', '    severities: [SEV1]', '    trigger: on_resolve', '    groups:',
      '      - { name: Immediate, dueOffsetSeconds: 3600, items: [Tell support, { title: Export, dueOffsetSeconds: 600 }] }',
      'actionItems:', '  digest: { day: fri, hour: 16, timeZone: Europe/Berlin }',
    ].join('\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.loaded.config.actionItems?.digest).toEqual({ enabled: true, day: 'fri', hour: 16, timeZone: 'Europe/Berlin' });
    expect(r.loaded.config.checklists[0]).toMatchObject({ trigger: 'on_resolve', items: [] });
  });

  it('names the field of a bad trigger, an empty checklist, a bad zone or hour', () => {
    const found = problems([
      'checklists:',
      '  - { slug: a, name: A, severities: [SEV1], trigger: later, items: [x] }',
      '  - { slug: b, name: B, severities: [SEV1], trigger: on_resolve }',
      'actionItems:', '  digest: { hour: 25, timeZone: Mars/Base }',
    ].join('\n')).join('\n');
    expect(found).toContain('checklists.0.trigger');
    expect(found).toContain('checklists.1.items: name at least one item');
    expect(found).toContain('actionItems.digest.hour');
    expect(found).toContain('actionItems.digest.timeZone: is not a known IANA time zone');
  });
});

describe('digest schedule (pure)', () => {
  const berlin = { enabled: true, day: 'mon' as const, hour: 9, timeZone: 'Europe/Berlin' };
  it('finds the last and next Monday 09:00 in the zone, across daylight saving', () => {
    // Sunday 29 March 2026 is the switch to summer time in Berlin (UTC+1 → UTC+2).
    const now = Date.parse('2026-03-25T12:00:00Z');
    const { last, next } = digestSlots(now, berlin);
    expect(new Date(last).toISOString()).toBe('2026-03-23T08:00:00.000Z');
    expect(new Date(next).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(weekKey(next, berlin)).toBe('2026-03-30');
    // Exactly at a slot: that slot is the last one, the next is a week later.
    const at = digestSlots(Date.parse('2026-03-30T07:00:00Z'), berlin);
    expect(new Date(at.last).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(new Date(at.next).toISOString()).toBe('2026-04-06T07:00:00.000Z');
  });

  it('lists overdue items first, then open ones by due date', () => {
    const now = Date.parse('2026-03-02T09:00:00Z');
    const item = (title: string, due: string) => ({ title, ownerName: 'Alice', dueAt: Date.parse(due), priority: 'high', incidentNumber: 7, externalUrl: null });
    expect(digestLines([item('Later', '2026-03-20T00:00:00Z'), item('Late', '2026-03-01T00:00:00Z'), item('Soon', '2026-03-03T00:00:00Z')], now)).toEqual({
      overdue: 1,
      lines: [
        'Overdue (1):', 'OVERDUE: Late — Alice, due 2026-03-01, high, incident #7',
        'Open (2):', 'Soon — Alice, due 2026-03-03, high, incident #7', 'Later — Alice, due 2026-03-20, high, incident #7',
      ],
    });
  });

  it('expands a template into tasks in order: plain items, then each window with its offsets', () => {
    expect(expandChecklist({ items: '["Open a bridge"]', groups: JSON.stringify([{ name: 'Immediate', dueOffsetSeconds: 3600, items: ['A', { title: 'B', dueOffsetSeconds: 60 }] }, { name: 'Later', dueOffsetSeconds: 86400, items: ['C'] }]) })).toEqual([
      { title: 'Open a bridge', group: null, dueOffsetSeconds: null },
      { title: 'A', group: 'Immediate', dueOffsetSeconds: 3600 },
      { title: 'B', group: 'Immediate', dueOffsetSeconds: 60 },
      { title: 'C', group: 'Later', dueOffsetSeconds: 86400 },
    ]);
  });
});
