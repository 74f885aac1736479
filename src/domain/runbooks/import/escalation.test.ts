import { describe, expect, it } from 'vitest';
import { importRunbookDocument } from './document.js';
import { arrowPath, escalationLevelOf } from './escalation.js';

describe('escalationLevelOf: one level of a ladder', () => {
  it.each([
    ['**L1** — on-call engineer (page immediately)', { level: 'L1', who: 'on-call engineer', afterSeconds: 0 }],
    ['L2: team lead, if not acknowledged within 10 minutes', { level: 'L2', who: 'team lead', afterSeconds: 600, condition: 'unacknowledged' }],
    ['L3 - head of platform if not resolved within 45 minutes', { level: 'L3', who: 'head of platform', afterSeconds: 2700, condition: 'unresolved' }],
    ['Level 4: CTO (critical only)', { level: 'L4', who: 'CTO', note: 'critical only' }],
    ['Tier 2 — database team after 30 min', { level: 'T2', who: 'database team', afterSeconds: 1800 }],
    ['Look at the logs', undefined],
    ['L1', undefined],
  ])('%s', (text, expected) => {
    expect(escalationLevelOf(text)).toEqual(expected);
  });
});

describe('arrowPath', () => {
  it.each([
    [['On-call', 'Team lead', 'CTO'], undefined],
    [['On-call (5 min)', 'Team lead (15 min)', 'CTO (critical only)'], [
      { level: 'L1', who: 'On-call', afterSeconds: 300 },
      { level: 'L2', who: 'Team lead', afterSeconds: 900 },
      { level: 'L3', who: 'CTO', note: 'critical only' },
    ]],
  ])('%j', (stages, levels) => {
    expect(arrowPath(stages, 1).levels).toEqual(levels);
  });
});

describe('escalation sections in every layout', () => {
  const escalationOf = (markdown: string) => importRunbookDocument(`# Doc\n\n${markdown}`, { sourceName: 't.md', now: 0 }).document.escalation;
  it.each([
    ['arrows', '## Escalation\n\n- On-call → Team lead → CTO\n', { paths: 1, rules: 0, roles: 0 }],
    ['an L1/L2/L3 list', '## Escalation Ladder\n\n- L1: on-call\n- L2: lead after 15 minutes\n- L3: CTO after 1 hour\n', { paths: 1, rules: 0, roles: 0 }],
    ['a condition/action table', '## Escalation Matrix\n\n| Condition | Action |\n|---|---|\n| Quorum lost | Page on-call + team lead |\n', { paths: 0, rules: 1, roles: 0 }],
    ['a role table', '## Contacts\n\n| Role | Primary | Backup |\n|---|---|---|\n| IC | Ana | Bo |\n', { paths: 0, rules: 0, roles: 1 }],
    ['a ladder table under a title that says nothing', '## Who To Call\n\n| Level | Who | After |\n|---|---|---|\n| L1 | on-call | now |\n| L2 | lead | 15 min |\n', { paths: 1, rules: 0, roles: 0 }],
  ])('%s', (_name, markdown, counts) => {
    const e = escalationOf(markdown)!;
    expect({ paths: e.paths.length, rules: e.rules.length, roles: e.roles.length }).toEqual(counts);
  });
});

describe('a section titled like the policy vs a scenario that escalates', () => {
  it.each([
    ['## Escalation Ladder\n\n- L1: on-call\n- L2: lead\n', 'escalation'],
    ['## How We Escalate\n\n- On-call → Lead\n', 'escalation'],
    ['## Failure Detection & Escalation\n\n```bash\nkubectl get pods\n```\n', 'runbook'],
  ])('%j → %s', (markdown, cls) => {
    const { document } = importRunbookDocument(`# Doc\n\n${markdown}`, { sourceName: 't.md', now: 0 });
    expect(document.outline.find((o) => o.level === 2)!.classifiedAs).toBe(cls);
  });
});
