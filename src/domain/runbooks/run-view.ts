import type { Db, Tx } from '../../store/index.js';
import type { IncidentTable, RunbookRunTable } from '../../store/schema.js';
import { iso, isoOrNull } from '../incidents/incident-view.js';
import { evaluateTargets, type TargetEvaluation } from './evaluate-targets.js';
import type { PhaseKind, RunbookDraft, StepKind } from './import-runbooks.js';
import { fillPlaceholders, isSecretName, SECRET_MASK } from './placeholders.js';
import { flattenSteps, parseStructure } from './runbook-records.js';
import type { StepState } from './step-state.js';

/** A runbook as followed in one incident: the version it follows, filled in, with progress. */

export interface StepView {
  index: number;
  kind: StepKind;
  /** The step's words with text placeholders filled where known. */
  text: string;
  /** The command ready to copy, placeholders filled where it is safe. */
  command: string | null;
  /** The command as the runbook writes it. */
  rawCommand: string | null;
  language: string | null;
  dangerous: boolean;
  dangerReason: string | null;
  group: string | null;
  lead: string | null;
  expect: string | null;
  optional: boolean;
  placeholders: { filled: string[]; missing: string[]; rejected: string[] };
  state: StepState;
  by: string | null;
  at: string | null;
  startedAt: string | null;
  reason: string | null;
  job: { id: string; status: string; exitCode: number | null } | null;
  /** The alternative path the step belongs to, if any. */
  path: { set: number; option: number } | null;
  /** False for a step on a path not taken: it is shown but not counted in progress. */
  counted: boolean;
}

/** A choice between alternative paths and which one progress counts. */
export interface PathChoiceView {
  set: number;
  title: string;
  options: string[];
  /** Chosen by a responder; null when nobody has chosen. */
  chosen: number | null;
  /** The path progress counts: the chosen one, else the one most acted on, else the first. */
  counted: number;
}

export interface PhaseView {
  kind: PhaseKind;
  title: string;
  timebox: { minSeconds?: number; maxSeconds?: number } | null;
  notes: string[];
  steps: StepView[];
}

export interface RunView {
  id: string;
  incidentId: string;
  isDrill: boolean;
  runbook: { id: string; slug: string; title: string; currentVersion: number };
  version: { id: string; number: number };
  reason: string;
  attachedBy: string;
  startedAt: string;
  progress: { total: number; pending: number; started: number; done: number; skipped: number; failed: number; percent: number };
  phases: PhaseView[];
  paths: PathChoiceView[];
  /** Values responders gave for placeholders; secret ones (by name or marked) read `********`. */
  values: Record<string, string>;
  /** Keys of the values that are secret: masked in every answer, the timeline and the audit log. */
  secretValues: string[];
  /** Placeholders still without a value, across all steps. */
  missing: string[];
  targets: TargetEvaluation[];
  /** Recorded when the incident resolved. */
  targetsResult: TargetEvaluation[] | null;
  drillParticipants: string[];
  unclassifiedMarkdown: string[];
}

/** Labels of the incident's first alert, when the alerts module has linked any. */
export async function alertContext(db: Db | Tx, incidentId: string): Promise<{ labels: Record<string, string>; runbookUrl: string | null }[]> {
  const rows = await db
    .selectFrom('alerts')
    .select(['labels', 'annotations', 'runbook_url', 'first_seen_at'])
    .where('incident_id', '=', incidentId)
    .orderBy('first_seen_at')
    .limit(50)
    .execute();
  return rows.map((r) => {
    const labels = safeRecord(r.labels);
    const annotations = safeRecord(r.annotations);
    return { labels, runbookUrl: r.runbook_url ?? annotations['runbook_url'] ?? annotations['runbook'] ?? null };
  });
}

function safeRecord(json: string): Record<string, string> {
  try {
    const value = JSON.parse(json) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** Keys a responder marked secret on this run (migration 0009). */
export function markedSecretKeys(run: Pick<RunbookRunTable, 'secret_values'>): Set<string> {
  try {
    const keys = JSON.parse(run.secret_values ?? '[]') as unknown;
    return new Set(Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : []);
  } catch {
    return new Set();
  }
}

/** Given values as shown: secret ones masked. */
export function shownValues(given: Record<string, string>, marked: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(given).map(([k, v]) => [k, isSecretName(k) || marked.has(k) ? SECRET_MASK : v]));
}

/** Incident fields, then the first alert's labels, then what responders typed: later wins. */
export function fillValues(incident: IncidentTable, serviceSlug: string | null, labels: Record<string, string>, given: Record<string, string>): Record<string, string> {
  return {
    incident: String(incident.number),
    incident_number: String(incident.number),
    incident_id: incident.id,
    incident_title: incident.title,
    severity: incident.severity,
    ...(serviceSlug ? { service: serviceSlug } : {}),
    ...labels,
    ...given,
  };
}

export async function loadRunViews(db: Db | Tx, incident: IncidentTable, now: number, runId?: string): Promise<RunView[]> {
  let query = db.selectFrom('runbook_runs').selectAll().where('incident_id', '=', incident.id);
  if (runId) query = query.where('id', '=', runId);
  const runs = await query.orderBy('started_at').orderBy('id').execute();
  if (runs.length === 0) return [];
  const runIds = runs.map((r) => r.id);
  const [versions, runbooks, states, jobs, alerts, service] = await Promise.all([
    db.selectFrom('runbook_versions').selectAll().where('id', 'in', runs.map((r) => r.runbook_version_id)).execute(),
    db.selectFrom('runbooks').select(['id', 'slug', 'title', 'current_version']).where('id', 'in', runs.map((r) => r.runbook_id)).execute(),
    db.selectFrom('runbook_step_states').selectAll().where('run_id', 'in', runIds).execute(),
    db.selectFrom('runner_jobs').select(['id', 'run_id', 'step_index', 'status', 'exit_code']).where('run_id', 'in', runIds).orderBy('id').execute(),
    alertContext(db, incident.id),
    incident.service_id ? db.selectFrom('services').select('slug').where('id', '=', incident.service_id).executeTakeFirst() : undefined,
  ]);
  const labels = alerts[0]?.labels ?? {};
  return runs.map((run) => {
    const version = versions.find((v) => v.id === run.runbook_version_id)!;
    const runbook = runbooks.find((r) => r.id === run.runbook_id)!;
    const draft = parseStructure(version);
    const given = JSON.parse(run.fill_values) as Record<string, string>;
    const values = fillValues(incident, service?.slug ?? null, labels, given);
    return buildRunView(run, draft, { id: version.id, number: version.version }, runbook, values, given, states.filter((s) => s.run_id === run.id), jobs.filter((j) => j.run_id === run.id), incident, now);
  });
}

function buildRunView(
  run: RunbookRunTable,
  draft: RunbookDraft,
  version: { id: string; number: number },
  runbook: { id: string; slug: string; title: string; current_version: number },
  values: Record<string, string>,
  given: Record<string, string>,
  states: { step_index: number; state: string; actor_name: string; at: number; started_at: number | null; reason: string | null }[],
  jobs: { id: string; step_index: number; status: string; exit_code: number | null }[],
  incident: IncidentTable,
  now: number,
): RunView {
  const progress = { total: 0, pending: 0, started: 0, done: 0, skipped: 0, failed: 0, percent: 0 };
  const missing = new Set<string>();
  const marked = markedSecretKeys(run);
  const flat = flattenSteps(draft);
  const stateOf = (index: number) => (states.find((s) => s.step_index === index)?.state ?? 'pending') as StepState;
  const paths = countedPaths(draft, flat.map((f) => ({ path: f.step.path, state: stateOf(f.index) })), chosenPaths(run));
  const phases: PhaseView[] = draft.phases.map((p) => ({ kind: p.kind, title: p.title, timebox: p.timebox ?? null, notes: p.notes, steps: [] }));
  for (const { index, phaseIndex, step } of flat) {
    const st = states.find((s) => s.step_index === index);
    const state = (st?.state ?? 'pending') as StepState;
    const text = fillPlaceholders(step.text, values, 'text', marked);
    const command = step.command !== undefined ? fillPlaceholders(step.command, values, 'command', marked) : null;
    const placeholders = {
      filled: [...new Set([...text.filled, ...(command?.filled ?? [])])],
      missing: [...new Set([...text.missing, ...(command?.missing ?? [])])],
      rejected: command?.rejected ?? [],
    };
    for (const m of [...placeholders.missing, ...placeholders.rejected]) missing.add(m);
    const job = [...jobs].reverse().find((j) => j.step_index === index);
    const counted = !step.path || paths[step.path.set]?.counted === step.path.option;
    if (counted) {
      progress.total++;
      progress[state]++;
    }
    phases[phaseIndex]!.steps.push({
      index,
      kind: step.kind,
      // Secret values masked: the real ones reach only a runner (see request-step-execution).
      text: text.shown,
      command: command?.shown ?? null,
      rawCommand: step.command ?? null,
      language: step.language ?? null,
      dangerous: step.dangerous,
      dangerReason: step.dangerReason ?? null,
      group: step.group ?? null,
      lead: step.lead ?? null,
      expect: step.expect ?? null,
      optional: step.optional === true,
      placeholders,
      state,
      by: st?.actor_name ?? null,
      at: st ? iso(st.at) : null,
      startedAt: st ? isoOrNull(st.started_at) : null,
      reason: st?.reason ?? null,
      job: job ? { id: job.id, status: job.status, exitCode: job.exit_code } : null,
      path: step.path ?? null,
      counted,
    });
  }
  progress.percent = progress.total === 0 ? 100 : Math.round(((progress.done + progress.skipped) / progress.total) * 100);
  return {
    id: run.id,
    incidentId: run.incident_id,
    isDrill: run.is_drill === 1,
    runbook: { id: runbook.id, slug: runbook.slug, title: runbook.title, currentVersion: runbook.current_version },
    version,
    reason: run.reason,
    attachedBy: run.attached_by,
    startedAt: iso(run.started_at),
    progress,
    phases,
    paths,
    values: shownValues(given, marked),
    secretValues: Object.keys(given).filter((k) => isSecretName(k) || marked.has(k)),
    missing: [...missing],
    targets: evaluateTargets(draft.targets, momentsOf(incident), now),
    targetsResult: run.targets_result ? (JSON.parse(run.targets_result) as TargetEvaluation[]) : null,
    drillParticipants: JSON.parse(run.drill_participants) as string[],
    unclassifiedMarkdown: draft.unclassifiedMarkdown,
  };
}

/** Chosen paths stored on the run (migration 0031): `{ "<set>": option }`. */
export function chosenPaths(run: Pick<RunbookRunTable, 'chosen_paths'>): Map<number, number> {
  try {
    const value = JSON.parse(run.chosen_paths ?? '{}') as unknown;
    if (!value || typeof value !== 'object') return new Map();
    return new Map(Object.entries(value).filter((e): e is [string, number] => Number.isInteger(e[1])).map(([k, v]) => [Number(k), v]));
  } catch {
    return new Map();
  }
}

/**
 * Which path of each alternative set progress counts (pure): the one a responder chose, else
 * the one with the most steps acted on (started, done, skipped or failed; the first on a tie),
 * else the first. Steps on the other paths are shown but neither done nor undone.
 */
export function countedPaths(
  draft: Pick<RunbookDraft, 'alternatives'>,
  steps: readonly { path?: { set: number; option: number }; state: StepState }[],
  chosen: ReadonlyMap<number, number>,
): PathChoiceView[] {
  return (draft.alternatives ?? []).map((alt, set) => {
    const pick = chosen.get(set);
    const valid = pick !== undefined && pick >= 0 && pick < alt.options.length ? pick : null;
    let counted = valid ?? 0;
    if (valid === null) {
      const acted = alt.options.map((_, option) => steps.filter((s) => s.path?.set === set && s.path.option === option && s.state !== 'pending').length);
      const most = Math.max(...acted);
      if (most > 0) counted = acted.indexOf(most);
    }
    return { set, title: alt.title, options: alt.options, chosen: valid, counted };
  });
}

export function momentsOf(incident: IncidentTable) {
  return { detectedAt: incident.detected_at, acknowledgedAt: incident.acknowledged_at, mitigatedAt: incident.mitigated_at, resolvedAt: incident.resolved_at };
}
