import { importRunbookDocument, type ImportedDocument, type ImportOptions, type ImportReport, type RunbookDraft } from './import-runbooks.js';
import { documentKey } from './document-key.js';
import type { MatcherRow } from './match-runbooks.js';
import { buildProcessPlan } from './plan/build-plan.js';
import type { ProcessPlan } from './plan/types.js';
import { contentHash, matcherRowsOf } from './runbook-records.js';

/**
 * Everything an import writes, computed from the document alone: the parse, each runbook's
 * stored JSON, content hash and matcher rows. Pure, and run on a worker thread for large
 * documents (import-off-loop.ts): what comes back is small objects and long strings, which cross
 * threads cheaply, instead of the draft trees (cloning 40,000 steps took longer than parsing).
 */

export interface PreparedRunbook {
  slug: string;
  title: string;
  summary: string;
  service: string | null;
  severity: string | null;
  owner: string | null;
  reviewIntervalDays: number | null;
  reviewedAt: string | null;
  sourceMarkdown: string;
  /** The draft as stored in runbook_versions.structure. */
  structure: string;
  hash: string;
  matchers: MatcherRow[];
}

export interface PreparedImport {
  report: ImportReport;
  runbooks: PreparedRunbook[];
  /** The process the document describes (severities, escalation, checklists, templates): plan/. */
  process: ProcessPlan;
}

/** `runbook_url` / `runbook_urls` in front matter: extra URLs alerts may carry for a runbook. */
function runbookUrlsFor(doc: ImportedDocument, draft: RunbookDraft, single: boolean): string[] {
  const read = (value: unknown): string[] =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string' && v.length <= 2000);
  const fm = doc.frontMatter ?? {};
  const own = (fm['runbooks'] as Record<string, Record<string, unknown>> | undefined)?.[draft.slug];
  const urls = [...read(own?.['runbook_url']), ...read(own?.['runbook_urls'])];
  if (single) urls.push(...read(fm['runbook_url']), ...read(fm['runbook_urls']));
  return [...new Set(urls)];
}

export function prepareImport(markdown: string, options: ImportOptions): PreparedImport {
  const { document, runbooks, report } = importRunbookDocument(markdown, options);
  const single = runbooks.length === 1;
  return {
    report,
    process: buildProcessPlan(document, documentKey(options.sourceName)),
    runbooks: runbooks.map((draft) => {
      const urls = runbookUrlsFor(document, draft, single);
      return {
        slug: draft.slug,
        title: draft.title,
        summary: draft.summary,
        service: draft.service ?? null,
        severity: draft.severity ?? null,
        owner: draft.owner ?? null,
        reviewIntervalDays: draft.reviewIntervalDays ?? null,
        reviewedAt: draft.reviewedAt ?? null,
        sourceMarkdown: draft.sourceMarkdown,
        structure: JSON.stringify(draft),
        hash: contentHash(draft, urls),
        matchers: matcherRowsOf(draft, urls),
      };
    }),
  };
}
