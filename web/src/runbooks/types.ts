/** Shapes of the runbook API (src/domain/runbooks), as the browser sees them. */
import type { components } from '../api/schema.js';

type View = components['schemas'];

/** Runs and runner jobs: generated from the server's views (src/http/views/runbooks.ts). */
export type Run = View['RunbookRun'];
export type RunPhase = View['RunPhase'];
export type RunStep = View['RunStep'];
export type PathChoice = View['PathChoice'];
export type TargetEvaluation = View['TargetEvaluation'];
export type RunnerJob = View['RunnerJob'];
export type StepState = RunStep['state'];
export type StepAction = 'start' | 'done' | 'skip' | 'fail';

/** The library, the import report and the process plan (src/http/views/runbook-library.ts). */
export type RunbookSummary = View['RunbookSummary'];
export type RunbookDetail = View['RunbookDetail'];
export type RunbookStructure = View['RunbookStructure'];
export type ImportOutcome = View['ImportOutcome'];
export type ImportPlan = View['ProcessPlan'];
