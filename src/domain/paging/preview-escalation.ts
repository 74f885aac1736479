import { z } from 'zod';
import { notFound, validation } from '../../core/errors.js';
import { epochMs, timeText } from '../../core/input-schemas.js';
import { parseInput } from '../../core/validate.js';
import type { Tx } from '../../store/index.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import {
  planEscalation, snapshotPolicy, startEscalation, type EscalationAction, type EscalationPolicy, type EscalationTarget, type ResolveTargets,
} from '../escalation/index.js';
import { findSeverity } from '../lookups.js';
import { whoIsOnCall } from '../oncall/index.js';
import { loadPageTargets } from './enqueue-pages.js';
import { policyFromRow } from './escalation-store.js';
import { loadSchedules } from './schedules-repo.js';
import { loadTargetResolver } from './targets.js';

/**
 * The dry-run of an escalation policy: "if an incident of this severity opened now and nobody
 * acknowledged it, who would be paged, and when?". It runs the same pure planner the worker runs
 * (planEscalation) step by step over the policy's whole timeline, with schedules resolved at each
 * step's own time, and writes nothing. Each target also lists who it names but would NOT page
 * (disabled accounts), and each paged person says whether they have a contact method at all.
 */
const LabelsInput = z.record(z.string().min(1).max(200), z.string().max(1000)).refine((l) => Object.keys(l).length <= 50, { message: 'at most 50 labels' });

export const PreviewEscalationInput = z.object({
  policy: z.string().min(1),
  severity: z.string().trim().min(1).max(50).optional(),
  labels: LabelsInput.optional(),
  /** How many alerts are firing with `labels`, for `firingAlerts` level conditions (default 1). */
  firingAlerts: z.number().int().min(0).max(100_000).optional(),
  /** When the incident opens (epoch ms or ISO 8601); default now. */
  at: z.union([epochMs, timeText]).optional(),
});

export interface PreviewPerson {
  id: string;
  name: string;
  email: string;
  /** Disabled accounts are named by their target but never paged. */
  disabled: boolean;
  /** False when the person has no usable contact method: a page would reach nobody. */
  reachable: boolean;
}

export interface PreviewTarget {
  type: EscalationTarget['type'];
  id: string;
  name: string;
  /** Everyone the target names at this step's time (a schedule: who is on call then). */
  people: PreviewPerson[];
}

export interface PreviewStep {
  at: string;
  /** Seconds after the incident opened. */
  offsetSeconds: number;
  kind: 'page' | 'skip' | 'if-unresolved';
  /** 1-based, as people say it; null for an "if unresolved" entry. */
  level: number | null;
  round: number | null;
  targets: PreviewTarget[];
  paged: PreviewPerson[];
  reason: string;
}

export interface EscalationPreview {
  policy: { id: string; name: string };
  severity: string | null;
  labels: Record<string, string>;
  startsAt: string;
  steps: PreviewStep[];
  /** How escalation ends when nobody acknowledges. */
  end: string;
}

type NameOf = (target: EscalationTarget) => string;
type DisplayResolver = (target: EscalationTarget, at: number) => string[];

/** Like loadTargetResolver, but keeps disabled users, so the preview can say who is skipped. */
async function loadDisplayResolver(tx: Tx, targets: EscalationTarget[], from: number): Promise<{ resolve: DisplayResolver; nameOf: NameOf }> {
  const ids = (type: EscalationTarget['type']) => [...new Set(targets.filter((t) => t.type === type).map((t) => t.id))];
  const schedules = await loadSchedules(tx, ids('schedule'), from - 86_400_000);
  const teamIds = ids('team');
  const teams = teamIds.length ? await tx.selectFrom('teams').select(['id', 'name']).where('id', 'in', teamIds).execute() : [];
  const members = teamIds.length
    ? await tx.selectFrom('team_members').select(['team_id', 'user_id']).where('team_id', 'in', teamIds).orderBy('created_at').execute()
    : [];
  const userIds = ids('user');
  const users = userIds.length ? await tx.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : [];
  const names = new Map<string, string>([...teams, ...users].map((r) => [r.id, r.name]));
  for (const s of schedules.values()) names.set(s.id, s.name);
  return {
    nameOf: (t) => names.get(t.id) ?? t.id,
    resolve: (t, at) => {
      switch (t.type) {
        case 'user':
          return [t.id];
        case 'schedule': {
          const schedule = schedules.get(t.id);
          return schedule ? [...whoIsOnCall(schedule, at).userIds] : [];
        }
        case 'team':
          return members.filter((m) => m.team_id === t.id).map((m) => m.user_id);
      }
    },
  };
}

async function loadPeople(tx: Tx, userIds: string[]): Promise<Map<string, PreviewPerson>> {
  const out = new Map<string, PreviewPerson>();
  if (userIds.length === 0) return out;
  const rows = await tx.selectFrom('users').select(['id', 'name', 'email', 'disabled']).where('id', 'in', userIds).execute();
  const { methods } = await loadPageTargets(tx, userIds);
  const reachable = new Set(methods.map((m) => m.user_id));
  for (const r of rows) out.set(r.id, { id: r.id, name: r.name, email: r.email, disabled: r.disabled === 1, reachable: reachable.has(r.id) });
  return out;
}

/** Every planner step, in order, until the policy is exhausted (nobody ever acknowledges). */
function simulate(policy: EscalationPolicy, startsAt: number, facts: { severity: string | null; labels: Record<string, string>; firing: Record<string, string>[] }, resolve: ResolveTargets): { actions: EscalationAction[] } {
  const snapshot = snapshotPolicy(policy, startsAt);
  let state = startEscalation(snapshot, { now: startsAt, labels: facts.labels, severity: facts.severity });
  const actions: EscalationAction[] = [];
  // levels × rounds is at most 20 × 11; the bound only guards against a planner bug.
  for (let i = 0; i < 1000 && state.dueAt !== null; i += 1) {
    const plan = planEscalation(snapshot, state, state.dueAt, resolve, { alertLabels: facts.firing, firingAlertLabels: facts.firing });
    actions.push(...plan.actions);
    state = plan.state;
  }
  return { actions };
}

export async function previewEscalation({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<EscalationPreview> {
  authorize(ctx.actor, 'read');
  const data = parseInput(PreviewEscalationInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await tx.selectFrom('escalation_policies').selectAll().where((eb) => eb.or([eb('id', '=', data.policy), eb('name', '=', data.policy)])).executeTakeFirst();
    if (!row) throw notFound('escalation policy', data.policy);
    const severity = data.severity === undefined ? null : (await findSeverity(tx, data.severity).catch(() => { throw validation('severity', `severity ${data.severity} does not exist`); })).key;
    const policy = policyFromRow(row);
    const startsAt = data.at ?? ctx.clock.now();
    const labels = data.labels ?? {};
    const firing = Array.from({ length: data.firingAlerts ?? 1 }, () => labels);
    const allTargets = [...policy.levels.flatMap((l) => l.targets), ...(policy.ifUnresolved ?? []).flatMap((u) => u.targets)];
    const pagingResolver = await loadTargetResolver(tx, allTargets, startsAt);
    const display = await loadDisplayResolver(tx, allTargets, startsAt);
    const { actions } = simulate(policy, startsAt, { severity, labels, firing }, pagingResolver);

    const stepsRaw: { at: number; kind: PreviewStep['kind']; level: number | null; round: number | null; targets: EscalationTarget[]; paged: string[]; reason: string }[] = [];
    let end = 'escalation never starts';
    for (const a of actions) {
      if (a.type === 'notify') stepsRaw.push({ at: a.dueAt, kind: 'page', level: a.level + 1, round: a.round + 1, targets: a.targets, paged: a.userIds, reason: a.reason });
      else if (a.type === 'skip') {
        const targets = policy.levels[a.level]?.targets ?? [];
        // The planner's own text names targets by id; people read names.
        const reason = a.cause === 'no-users'
          ? `level ${a.level + 1}, round ${a.round + 1}: ${targets.map((t) => `${t.type} ${display.nameOf(t)}`).join(', ')} name${targets.length === 1 ? 's' : ''} nobody enabled at that time`
          : a.reason;
        stepsRaw.push({ at: a.dueAt, kind: 'skip', level: a.level + 1, round: a.round + 1, targets, paged: [], reason });
      }
      else if (a.type === 'exhausted') end = a.reason;
    }
    for (const [i, entry] of (policy.ifUnresolved ?? []).entries()) {
      const at = startsAt + entry.afterSeconds * 1000;
      const paged = [...new Set(entry.targets.flatMap((t) => pagingResolver(t, at)))];
      const reason = paged.length ? `if unresolved ${i + 1}: paged whether acknowledged or not, unless resolved by then` : `if unresolved ${i + 1}: its targets resolve to nobody at that time`;
      stepsRaw.push({ at, kind: 'if-unresolved', level: null, round: null, targets: entry.targets, paged, reason });
    }
    stepsRaw.sort((a, b) => a.at - b.at);

    const named = (t: EscalationTarget, at: number) => display.resolve(t, at);
    const everyone = [...new Set(stepsRaw.flatMap((s) => [...s.paged, ...s.targets.flatMap((t) => named(t, s.at))]))];
    const people = await loadPeople(tx, everyone);
    const person = (id: string): PreviewPerson => people.get(id) ?? { id, name: id, email: '', disabled: false, reachable: false };
    return {
      policy: { id: row.id, name: row.name },
      severity,
      labels,
      startsAt: new Date(startsAt).toISOString(),
      steps: stepsRaw.map((s) => ({
        at: new Date(s.at).toISOString(),
        offsetSeconds: Math.round((s.at - startsAt) / 1000),
        kind: s.kind,
        level: s.level,
        round: s.round,
        targets: s.targets.map((t) => ({ type: t.type, id: t.id, name: display.nameOf(t), people: named(t, s.at).map(person) })),
        paged: s.paged.map(person),
        reason: s.reason,
      })),
      end,
    };
  });
}
