import { describe, expect, it } from 'vitest';
import type { RunbookDraft } from './import-runbooks.js';
import { scoreDrill } from './score-drill.js';

const t0 = Date.parse('2026-03-01T10:00:00Z');
const step = (text: string) => ({ kind: 'check' as const, text, dangerous: false, placeholders: [] });
const draft = {
  slug: 'x', title: 'X', path: [], summary: '', related: [], unclassifiedMarkdown: [], sourceMarkdown: '', line: 1, matchers: [],
  targets: { acknowledgeSeconds: 300, mitigateSeconds: 900 },
  phases: [
    { kind: 'immediate', title: 'Immediate (0-5 minutes)', timebox: { minSeconds: 0, maxSeconds: 300 }, notes: [], steps: [step('Page'), step('Look')] },
    { kind: 'verification', title: 'Verify', notes: [], steps: [step('Check')] },
  ],
} as RunbookDraft;

describe('scoreDrill', () => {
  it('times steps from the start, flags steps outside their phase time box, and scores targets', () => {
    const score = scoreDrill(
      draft,
      [
        { stepIndex: 0, state: 'done', by: 'Ana', at: t0 + 120_000, startedAt: t0 + 60_000 },
        { stepIndex: 1, state: 'done', by: 'Ana', at: t0 + 420_000, startedAt: null },
        { stepIndex: 2, state: 'skipped', by: 'Bo', at: t0 + 600_000, startedAt: null },
      ],
      { detectedAt: t0, acknowledgedAt: t0 + 240_000, mitigatedAt: t0 + 1_000_000, resolvedAt: null },
      t0 + 1_200_000,
    );
    expect(score.timeToAcknowledgeSeconds).toBe(240);
    expect(score.timeToMitigateSeconds).toBe(1000);
    expect(score.targets.map((t) => [t.kind, t.state])).toEqual([['acknowledge', 'met'], ['mitigate', 'missed']]);
    expect(score.steps.map((s) => [s.atSeconds, s.durationSeconds, s.late])).toEqual([[120, 60, false], [420, null, true], [600, null, false]]);
    expect(score.summary).toMatchObject({ targetsMet: 1, targetsMissed: 1, done: 2, skipped: 1, late: 1 });
  });
});
