import { z } from 'zod';
import { STEP_STATES } from '../../domain/runbooks/step-state.js';
import { isoTime, itemsOf, view } from './registry.js';

/** Runbooks as followed in an incident, and the runner jobs of their steps (domain/runbooks). */
export const RunStep = view('RunStep', z.object({
  index: z.number(),
  kind: z.enum(['command', 'check', 'instruction']),
  /** The step's words with text placeholders filled where known. */
  text: z.string(),
  /** The command ready to copy, placeholders filled where it is safe. */
  command: z.string().nullable(),
  /** The command as the runbook writes it. */
  rawCommand: z.string().nullable(),
  language: z.string().nullable(),
  dangerous: z.boolean(),
  dangerReason: z.string().nullable(),
  group: z.string().nullable(),
  lead: z.string().nullable(),
  expect: z.string().nullable(),
  optional: z.boolean(),
  placeholders: z.object({ filled: z.array(z.string()), missing: z.array(z.string()), rejected: z.array(z.string()) }),
  state: z.enum(STEP_STATES),
  by: z.string().nullable(),
  at: isoTime.nullable(),
  startedAt: isoTime.nullable(),
  reason: z.string().nullable(),
  job: z.object({ id: z.string(), status: z.string(), exitCode: z.number().nullable() }).nullable(),
  /** The alternative path the step belongs to, if any. */
  path: z.object({ set: z.number(), option: z.number() }).nullable(),
  /** False for a step on a path not taken: shown, not counted in progress. */
  counted: z.boolean(),
}));

export const RunPhase = view('RunPhase', z.object({
  kind: z.enum(['symptoms', 'detection', 'immediate', 'investigation', 'causes', 'escalation', 'mitigation', 'recovery', 'communication', 'verification', 'post-incident', 'procedure']),
  title: z.string(),
  timebox: z.object({ minSeconds: z.number().optional(), maxSeconds: z.number().optional() }).nullable(),
  notes: z.array(z.string()),
  steps: z.array(RunStep),
}));

export const TargetEvaluation = view('TargetEvaluation', z.object({
  kind: z.enum(['acknowledge', 'mitigate', 'resolve']),
  targetSeconds: z.number(),
  /** Epoch ms the target falls due. */
  dueAt: z.number(),
  /** Epoch ms the moment happened, or null while it has not. */
  reachedAt: z.number().nullable(),
  elapsedSeconds: z.number(),
  state: z.enum(['met', 'missed', 'pending']),
}));

/** A choice between alternative paths and the one progress counts. */
export const PathChoice = view('PathChoice', z.object({
  set: z.number(),
  title: z.string(),
  options: z.array(z.string()),
  /** Chosen by a responder; null when nobody has chosen. */
  chosen: z.number().nullable(),
  /** The path progress counts: the chosen one, else the one most acted on, else the first. */
  counted: z.number(),
}));

export const RunbookRun = view('RunbookRun', z.object({
  id: z.string(),
  incidentId: z.string(),
  isDrill: z.boolean(),
  runbook: z.object({ id: z.string(), slug: z.string(), title: z.string(), currentVersion: z.number() }),
  version: z.object({ id: z.string(), number: z.number() }),
  reason: z.string(),
  attachedBy: z.string(),
  startedAt: isoTime,
  progress: z.object({ total: z.number(), pending: z.number(), started: z.number(), done: z.number(), skipped: z.number(), failed: z.number(), percent: z.number() }),
  phases: z.array(RunPhase),
  paths: z.array(PathChoice),
  /** Values responders gave for placeholders; secret ones read `********`. */
  values: z.record(z.string(), z.string()),
  /** Keys of the values that are secret (masked everywhere). */
  secretValues: z.array(z.string()),
  /** Placeholders still without a value, across all steps. */
  missing: z.array(z.string()),
  targets: z.array(TargetEvaluation),
  /** Recorded when the incident resolved. */
  targetsResult: z.array(TargetEvaluation).nullable(),
  drillParticipants: z.array(z.string()),
  unclassifiedMarkdown: z.array(z.string()),
}));
export const RunbookRunList = itemsOf(RunbookRun);

export const RunnerJob = view('RunnerJob', z.object({
  id: z.string(),
  incidentId: z.string(),
  runId: z.string(),
  step: z.number(),
  runnerId: z.string().nullable(),
  command: z.string(),
  dangerous: z.boolean(),
  status: z.string(),
  requestedBy: z.string(),
  requestedAt: isoTime,
  approvedBy: z.string().nullable(),
  approvedAt: isoTime.nullable(),
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  exitCode: z.number().nullable(),
  output: z.string(),
  outputTruncated: z.boolean(),
  timeoutSeconds: z.number(),
  reason: z.string().nullable(),
}));
export const RunnerJobList = itemsOf(RunnerJob);
