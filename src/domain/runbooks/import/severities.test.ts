import { describe, expect, it } from 'vitest';
import { importRunbookDocument } from './document.js';

const now = Date.parse('2026-01-01T00:00:00Z');
const levelsOf = (markdown: string) =>
  importRunbookDocument(markdown, { sourceName: 't.md', now }).document.severityScheme?.levels.map((l) => [l.id, l.name, l.responseSeconds, l.resolveSeconds]);

describe('severity levels in every layout', () => {
  it.each([
    [
      'a table, P1–P4',
      '## Severity Levels\n\n| Priority | Meaning | Response | Resolution |\n|---|---|---|---|\n| P1 - Critical | down | 15 min | 4 hours |\n| P2 - High | slow | 1 hour | 1 day |\n',
      [['P1', 'Critical', 900, 14_400], ['P2', 'High', 3600, 86_400]],
    ],
    [
      '#### headings with bullet fields, P0–P1',
      '## Severity Levels\n\n#### P0 — Outage\n- **Response Time**: 5 minutes\n- **Resolve Within**: 1 hour\n\n#### P1 — Degraded\n- **Response Time**: 15 minutes\n',
      [['P0', 'Outage', 300, 3600], ['P1', 'Degraded', 900, undefined]],
    ],
    [
      '### headings with bold field lines, SEV-1–2',
      '## Incident Severity\n\n### SEV-1: Critical\n**Response Time**: Immediate\n**Impact**: everyone\n\n### SEV-2: Major\n**Response Time**: 30 minutes\n',
      [['SEV-1', 'Critical', 0, undefined], ['SEV-2', 'Major', 1800, undefined]],
    ],
    [
      'bold paragraphs with prose times, named levels',
      '## How Bad Is It?\n\n**Critical** — all users. Respond within 5 minutes.\n\n**High** — some users. Respond within 30 minutes.\n\n**Low** — nobody. Respond next business day.\n',
      [['CRITICAL', 'Critical', 300, undefined], ['HIGH', 'High', 1800, undefined], ['LOW', 'Low', undefined, undefined]],
    ],
    [
      'bold leads with field lines below, SEV 1–SEV 2 written with a space',
      '## Priorities\n\n**Sev 1 (Critical)**\nResponse: immediate. Resolve: 2 hours.\n\n**Sev 2 (High)**\nResponse: 30 minutes.\n',
      [['SEV-1', 'Critical', 0, 7200], ['SEV-2', 'High', 1800, undefined]],
    ],
    [
      'bullets with bold leads',
      '## Classification\n\n- **P1 (Critical)**: checkout down; acknowledge within 10 minutes\n- **P2 (High)**: checkout slow; acknowledge within 1 hour\n',
      [['P1', 'Critical', 600, undefined], ['P2', 'High', 3600, undefined]],
    ],
  ])('%s', (_name, markdown, expected) => {
    expect(levelsOf(`# Doc\n\n${markdown}`)).toEqual(expected);
  });

  it.each([
    ['mixed schemes are not one ladder', '## Severity\n\n**P1** — down.\n\n**SEV-2** — slow.\n'],
    ['one level is not a ladder', '## Severity\n\n**P1** — down.\n'],
    ['a paragraph about priorities is not a ladder', '## Severity\n\nWe pick a priority when the incident opens.\n'],
  ])('%s', (_name, markdown) => {
    expect(levelsOf(`# Doc\n\n${markdown}`)).toBeUndefined();
  });
});
