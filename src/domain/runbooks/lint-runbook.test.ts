import { describe, expect, it } from 'vitest';
import type { RunbookDraft } from './import-runbooks.js';
import { lintRunbook } from './lint-runbook.js';

function draft(extra: Partial<RunbookDraft> = {}): RunbookDraft {
  return {
    slug: 'x', title: 'X', path: [], summary: '', targets: {}, matchers: [], related: [],
    unclassifiedMarkdown: [], sourceMarkdown: '', line: 1,
    phases: [{ kind: 'mitigation', title: 'Fix', notes: [], steps: [
      { kind: 'command', text: 'Delete it', command: 'kubectl delete pod a', dangerous: true, dangerReason: 'deletes Kubernetes resources', placeholders: [] },
    ] }],
    ...extra,
  };
}
const now = Date.parse('2026-01-01T00:00:00Z');
const codes = (rb: RunbookDraft) => lintRunbook(rb, { now }).map((w) => w.code);

describe('lintRunbook', () => {
  it('warns about missing verification, target, matchers, review and unwarned danger', () => {
    expect(codes(draft())).toEqual(['no-verification', 'no-target', 'no-matchers', 'no-review', 'dangerous-without-warning']);
  });

  it('is quiet for a complete runbook', () => {
    const rb = draft({
      targets: { mitigateSeconds: 600 }, matchers: [{ name: 'alertname', op: '=', value: 'A' }],
      reviewIntervalDays: 90, reviewedAt: '2025-12-01',
    });
    rb.phases[0]!.steps[0]!.warned = true;
    rb.phases.push({ kind: 'verification', title: 'Verify', notes: [], steps: [{ kind: 'check', text: 'Error rate back to normal', dangerous: false, placeholders: [] }] });
    expect(codes(rb)).toEqual([]);
  });

  it('flags an overdue review relative to now', () => {
    const rb = draft({ reviewIntervalDays: 30, reviewedAt: '2025-11-01' });
    const warning = lintRunbook(rb, { now }).find((w) => w.code === 'review-overdue')!;
    expect(warning.message).toContain('2025-12-01');
    expect(lintRunbook(rb, { now: Date.parse('2025-11-15T00:00:00Z') }).map((w) => w.code)).not.toContain('review-overdue');
  });
});
