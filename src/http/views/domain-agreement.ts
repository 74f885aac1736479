import type { z } from 'zod';
import type { DEFINITIONS } from '../../domain/metrics/definitions.js';
import type { IncidentReport as IncidentReportOf } from '../../domain/metrics/build-report.js';
import type { ApplyPlanResult, ImportOutcome as ImportOutcomeOf, ProcessPlanView, RunbookDetailView, RunbookSummaryView } from '../../domain/runbooks/index.js';
import type { IncidentReport } from './reports.js';
import type { AppliedPlan, ImportOutcome, ProcessPlan, RunbookDetail, RunbookSummary } from './runbook-library.js';

/**
 * Views written after the domain already had a TypeScript type for the answer: the compiler
 * checks that each view and that type accept each other, so a field added to (or dropped from)
 * the domain's answer and not its view fails `tsc` instead of a test that happens to reach it.
 * Nothing here exists at run time.
 */
type Agrees<V extends z.ZodType, D> = [z.output<V>] extends [D] ? ([D] extends [z.output<V>] ? true : false) : false;
type Expect<T extends true> = T;

export type ViewsAgreeWithDomain = [
  Expect<Agrees<typeof RunbookSummary, RunbookSummaryView>>,
  Expect<Agrees<typeof RunbookDetail, RunbookDetailView>>,
  Expect<Agrees<typeof ImportOutcome, ImportOutcomeOf>>,
  Expect<Agrees<typeof ProcessPlan, ProcessPlanView>>,
  Expect<Agrees<typeof AppliedPlan, ApplyPlanResult>>,
  // The definitions are typed as their literal texts in the domain; the view says string.
  Expect<Agrees<typeof IncidentReport, Omit<IncidentReportOf, 'definitions'> & { definitions: Record<keyof typeof DEFINITIONS, string> }>>,
];
