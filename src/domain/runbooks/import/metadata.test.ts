import { describe, expect, it } from 'vitest';
import { importRunbookDocument } from './document.js';

const BODY = '# Doc\n\n## Disk Full\n\n```bash\ndf -h\n```\n\n';

describe('italic footers', () => {
  it.each([
    ['*Owner: SRE Team*', { owner: 'SRE Team' }],
    ['*Owner: SRE Team*\n*Last Updated: 2024-12-22*', { owner: 'SRE Team', reviewedAt: '2024-12-22' }],
    ['_Last reviewed: March 2025_', { reviewedAt: '2025-03-31' }],
    ['**Maintainer**: Platform\n**Review Cycle**: monthly', { owner: 'Platform', reviewIntervalDays: 30 }],
    ['*Last Updated: TBD*', {}],
    ['*Last Updated: soon*\n*Owner: Ops*', { owner: 'Ops' }],
  ])('%j', (footer, expected) => {
    const { document, runbooks } = importRunbookDocument(`${BODY}---\n\n${footer}\n`, { sourceName: 't.md', now: Date.parse('2026-06-01T00:00:00Z') });
    const got: Record<string, unknown> = {};
    for (const key of ['owner', 'reviewedAt', 'reviewIntervalDays'] as const) if (document[key] !== undefined) got[key] = document[key];
    expect(got).toEqual(expected);
    // Never invented: without a date in the document, no runbook has one.
    if (!('reviewedAt' in expected)) expect(runbooks[0]!.reviewedAt).toBeUndefined();
  });
});
