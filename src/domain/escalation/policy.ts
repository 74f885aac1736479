import { z } from 'zod';
import { fullMatchRe2, re2SyntaxError } from '../../core/re2.js';
import { parseInput } from '../../core/validate.js';

/**
 * Escalation policies: ordered levels, each paging some targets after a delay, the whole list
 * repeated `repeat` more times until someone acknowledges. When escalation starts the policy is
 * copied onto the incident (`snapshotPolicy`), so editing or deleting the policy mid-incident
 * changes nothing in flight.
 */

export type EscalationTarget =
  | { type: 'user'; id: string }
  | { type: 'schedule'; id: string }
  | { type: 'team'; id: string };

export type MatchOp = '=' | '!=' | '=~' | '!~';

/** Alertmanager-style label matcher: regexes fully anchored, a missing label counts as "". */
export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** All given parts must hold: every matcher matches AND the severity is one of `severities`. */
export interface EscalationCondition {
  matchers?: LabelMatcher[] | undefined;
  severities?: string[] | undefined;
  /**
   * A count: at least `atLeast` of the incident's firing alerts match `matchers` (all of them,
   * each alert on its own) when the level falls due. "More than 2 workers down" is
   * `{atLeast: 3, matchers: [role="worker"]}`.
   */
  firingAlerts?: { atLeast: number; matchers?: LabelMatcher[] | undefined } | undefined;
}

export interface EscalationLevel {
  /** Seconds to wait after the previous level fired (after escalation started, for level 0). */
  delaySeconds: number;
  targets: EscalationTarget[];
  /** Page only one target per firing, rotating through `targets`. */
  roundRobin?: boolean | undefined;
  /** The level pages only when this holds at its due time; otherwise it is skipped. */
  condition?: EscalationCondition | undefined;
}

export type CatchUpPolicy = 'late-but-once' | 'skip-to-current';

export interface EscalationPolicy {
  id?: string | undefined;
  name?: string | undefined;
  levels: EscalationLevel[];
  /** Extra passes over all levels after the first: 0 = run once, 2 = three rounds. */
  repeat: number;
  /** Wait between the last level of one round and level 0 of the next. */
  repeatDelaySeconds: number;
  /** After an acknowledgement, re-trigger if not resolved within this many seconds. */
  ackTimeoutSeconds?: number | null | undefined;
  /** What to do with steps that fell due while Firebreak was down. */
  catchUp: CatchUpPolicy;
  /** The whole policy pages only when this holds (e.g. only for some labels or severities). */
  condition?: EscalationCondition | undefined;
  /**
   * "Escalate if not **resolved** in 15 minutes": each entry pages its targets once, that long
   * after escalation started, unless the incident is resolved by then; acknowledged or not (an
   * acknowledgement pauses the levels, not this clock).
   */
  ifUnresolved?: UnresolvedEscalation[] | undefined;
}

export interface UnresolvedEscalation {
  afterSeconds: number;
  targets: EscalationTarget[];
}

/** The copy stored on an incident. `policy` is frozen and fully defaulted. */
export interface EscalationSnapshot {
  schemaVersion: 1;
  takenAt: number;
  policyId: string | null;
  policy: EscalationPolicy;
}

const id = z.string().min(1).max(200);
// A day is plenty between two levels; longer is almost certainly a unit mistake (ms for s).
const MAX_DELAY_SECONDS = 86_400;

export const escalationTargetSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), id }),
  z.object({ type: z.literal('schedule'), id }),
  z.object({ type: z.literal('team'), id }),
]);

export const labelMatcherSchema = z
  .object({
    name: z.string().min(1).max(200),
    op: z.enum(['=', '!=', '=~', '!~']),
    value: z.string().max(1000),
  })
  .superRefine((m, ctx) => {
    if (m.op !== '=~' && m.op !== '!~') return;
    const error = re2SyntaxError(m.value);
    if (error !== null) ctx.addIssue({ code: 'custom', path: ['value'], message: `invalid regular expression (RE2): ${error}` });
  });

export const escalationConditionSchema = z.object({
  matchers: z.array(labelMatcherSchema).max(50).optional(),
  severities: z.array(z.string().min(1).max(50)).min(1).max(20).optional(),
  firingAlerts: z.object({ atLeast: z.number().int().min(1).max(100_000), matchers: z.array(labelMatcherSchema).max(50).optional() }).optional(),
});

export const escalationLevelSchema = z.object({
  delaySeconds: z.number().int().min(0).max(MAX_DELAY_SECONDS),
  targets: z.array(escalationTargetSchema).min(1, { message: 'needs at least one target' }).max(50),
  roundRobin: z.boolean().optional(),
  condition: escalationConditionSchema.optional(),
});

export const escalationPolicySchema = z.object({
  id: id.optional(),
  name: z.string().min(1).max(200).optional(),
  levels: z.array(escalationLevelSchema).min(1, { message: 'needs at least one level' }).max(20),
  repeat: z.number().int().min(0).max(10).default(0),
  // Without a wait, level 0 of the next round would page in the same instant as the last level.
  repeatDelaySeconds: z.number().int().min(0).max(MAX_DELAY_SECONDS).default(300),
  ackTimeoutSeconds: z.number().int().min(60).max(7 * 86_400).nullable().optional(),
  catchUp: z.enum(['late-but-once', 'skip-to-current']).default('late-but-once'),
  condition: escalationConditionSchema.optional(),
  ifUnresolved: z.array(z.object({
    afterSeconds: z.number().int().min(60).max(7 * 86_400),
    targets: z.array(escalationTargetSchema).min(1, { message: 'needs at least one target' }).max(50),
  })).max(5).optional(),
});

export const escalationSnapshotSchema = z.object({
  schemaVersion: z.literal(1),
  takenAt: z.number().int(),
  policyId: id.nullable(),
  policy: escalationPolicySchema,
});

/** Validates a policy (defaults filled in); a failure is an AppError VALIDATION per field. */
export function parseEscalationPolicy(input: unknown): EscalationPolicy {
  return parseInput(escalationPolicySchema, input);
}

const snapshotEnvelopeSchema = escalationSnapshotSchema.extend({ policy: z.unknown() });

/**
 * Validated, frozen policies by the JSON text they were validated from. Every incident's
 * snapshot holds its own `takenAt`, but most carry one of a handful of policies: validating the
 * same policy with zod for each incident that opens, and again at its first step, was a fifth of
 * the CPU between an alert and its page.
 */
const validatedPolicies = new Map<string, EscalationPolicy>();

function rememberPolicy(key: string, policy: EscalationPolicy): void {
  if (validatedPolicies.size >= 1000) validatedPolicies.clear();
  validatedPolicies.set(key, policy);
}

/** Validates a snapshot loaded back from storage. */
export function parseEscalationSnapshot(input: unknown): EscalationSnapshot {
  const key = JSON.stringify((input as { policy?: unknown } | null)?.policy ?? null);
  const known = validatedPolicies.get(key);
  if (known) return { ...parseInput(snapshotEnvelopeSchema, input), policy: known };
  const snapshot = parseInput(escalationSnapshotSchema, input);
  const policy = deepFreeze(snapshot.policy);
  rememberPolicy(key, policy);
  return { ...snapshot, policy };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Copies the policy onto an incident at escalation start: validated, defaulted, frozen. */
export function snapshotPolicy(policy: unknown, now: number): EscalationSnapshot {
  // zod builds fresh objects and arrays, so the snapshot shares nothing with the caller's policy;
  // the frozen copy is shared between the snapshots of the same policy.
  const key = JSON.stringify(policy ?? null);
  let parsed = validatedPolicies.get(key);
  if (!parsed) {
    parsed = deepFreeze(parseInput(escalationPolicySchema, policy));
    rememberPolicy(key, parsed);
  }
  return { schemaVersion: 1, takenAt: now, policyId: parsed.id ?? null, policy: parsed };
}

/** Evaluates one matcher against labels (missing label = ""; an invalid regex never matches). */
export function matchesLabel(matcher: LabelMatcher, labels: Readonly<Record<string, string>>): boolean {
  const actual = Object.hasOwn(labels, matcher.name) ? (labels[matcher.name] ?? '') : '';
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
    case '!~': {
      const matched = fullMatchRe2(matcher.value, actual);
      if (matched === null) return false;
      return matched === (matcher.op === '=~');
    }
  }
}

export interface ConditionInput {
  labels: Readonly<Record<string, string>>;
  severity: string | null;
  /**
   * The label sets of the incident's alerts. When there are any, the matchers hold if they all
   * match **one** alert (its labels over `labels`): "any coordinator down" pages when one of
   * the incident's alerts is a coordinator, and two matchers never match across two alerts.
   */
  alertLabels?: readonly Readonly<Record<string, string>>[] | undefined;
  /** The label sets of the incident's alerts still firing, for `firingAlerts` counts (none known: 0). */
  firingAlertLabels?: readonly Readonly<Record<string, string>>[] | undefined;
}

const describeMatcher = (m: LabelMatcher): string => `${m.name}${m.op}"${m.value}"`;

/** Why a condition failed, or null when it holds (an absent condition always holds). */
export function conditionMismatch(condition: EscalationCondition | undefined, input: ConditionInput): string | null {
  if (!condition) return null;
  if (condition.severities && (input.severity === null || !condition.severities.includes(input.severity))) {
    return `severity ${input.severity ?? '(none)'} is not one of ${condition.severities.join(', ')}`;
  }
  if (condition.firingAlerts) {
    const wanted = condition.firingAlerts.matchers ?? [];
    const firing = input.firingAlertLabels ?? [];
    const count = firing.filter((a) => wanted.every((m) => matchesLabel(m, { ...input.labels, ...a }))).length;
    if (count < condition.firingAlerts.atLeast) {
      const which = wanted.length ? ` matching ${wanted.map(describeMatcher).join(', ')}` : '';
      return `${count} firing alert${count === 1 ? '' : 's'}${which}; the level needs at least ${condition.firingAlerts.atLeast}`;
    }
  }
  const matchers = condition.matchers ?? [];
  if (matchers.length === 0) return null;
  const alerts = input.alertLabels ?? [];
  if (alerts.length === 0) {
    for (const m of matchers) {
      if (!matchesLabel(m, input.labels)) return `label matcher ${describeMatcher(m)} does not match`;
    }
    return null;
  }
  if (alerts.some((a) => matchers.every((m) => matchesLabel(m, { ...input.labels, ...a })))) return null;
  const list = matchers.map(describeMatcher).join(', ');
  return `no alert of the incident (${alerts.length}) matches ${list}`;
}
