import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { DeliveryTable } from '../../store/schema.js';

export interface EnqueuedPage {
  userId: string;
  contactMethodIds: string[];
}

/** Contact methods and notification rules of some users, loaded once for many pages. */
export interface PageTargets {
  methods: { id: string; user_id: string; kind: string }[];
  rules: { user_id: string; contact_method_id: string; delay_seconds: number }[];
}

export async function loadPageTargets(tx: Tx, userIds: readonly string[]): Promise<PageTargets> {
  if (userIds.length === 0) return { methods: [], rules: [] };
  const ids = [...new Set(userIds)];
  const methods = await tx
    .selectFrom('contact_methods')
    .select(['id', 'user_id', 'kind'])
    .where('user_id', 'in', ids)
    .where('disabled_reason', 'is', null)
    .orderBy('created_at')
    .execute();
  const rules = await tx
    .selectFrom('notification_rules')
    .select(['user_id', 'contact_method_id', 'delay_seconds'])
    .where('user_id', 'in', ids)
    .orderBy('delay_seconds')
    .execute();
  return { methods, rules };
}

/**
 * Turns "page these users for this step" into delivery rows, one per contact method the users'
 * notification rules name (a user without rules is reached on every contact method at once).
 * The unique (incident, action key, contact method) makes inserting them idempotent: running
 * the same step twice creates nothing new.
 */
export function planPages(
  targets: PageTargets,
  input: { incidentId: string; actionKey: string; userIds: readonly string[]; dueAt: number; now: number; purpose: 'page' | 'manual' },
): { pages: EnqueuedPage[]; unreachable: string[]; rows: DeliveryTable[] } {
  const pages: EnqueuedPage[] = [];
  const unreachable: string[] = [];
  const rows: DeliveryTable[] = [];
  for (const user of input.userIds) {
    const mine = targets.methods.filter((m) => m.user_id === user);
    const byId = new Map(mine.map((m) => [m.id, m]));
    const myRules = targets.rules.filter((r) => r.user_id === user && byId.has(r.contact_method_id));
    const plan = myRules.length
      ? myRules.map((r) => ({ cm: r.contact_method_id, kind: byId.get(r.contact_method_id)!.kind, delay: r.delay_seconds }))
      : mine.map((m) => ({ cm: m.id, kind: m.kind, delay: 0 }));
    if (plan.length === 0) unreachable.push(user);
    else pages.push({ userId: user, contactMethodIds: plan.map((p) => p.cm) });
    for (const p of plan) {
      const due = input.dueAt + p.delay * 1000;
      rows.push({
        id: newId('dlv', input.now),
        incident_id: input.incidentId,
        action_key: p.delay ? `${input.actionKey}+${p.delay}s` : input.actionKey,
        user_id: user,
        contact_method_id: p.cm,
        channel: p.kind,
        purpose: input.purpose,
        status: 'pending',
        attempts: 0,
        due_at: due,
        next_attempt_at: Math.max(due, input.now),
        locked_by: null,
        locked_until: null,
        last_error: null,
        last_status_code: null,
        latency_ms: null,
        created_at: input.now,
        sent_at: null,
        send_started_at: null,
      });
    }
  }
  return { pages, unreachable, rows };
}

/** {@link planPages} for one step, inserted. */
export async function enqueuePages(
  tx: Tx,
  input: { incidentId: string; actionKey: string; userIds: string[]; dueAt: number; now: number; purpose: 'page' | 'manual' },
): Promise<{ pages: EnqueuedPage[]; unreachable: string[]; created: number }> {
  if (input.userIds.length === 0) return { pages: [], unreachable: [], created: 0 };
  const { pages, unreachable, rows } = planPages(await loadPageTargets(tx, input.userIds), input);
  let created = 0;
  for (const row of rows) {
    const result = await tx
      .insertInto('deliveries')
      .values(row)
      .onConflict((oc) => oc.columns(['incident_id', 'action_key', 'contact_method_id']).doNothing())
      .executeTakeFirst();
    created += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return { pages, unreachable, created };
}

/**
 * Acknowledged or resolved: pages whose attempt has not started are not sent any more, whether
 * they wait in the queue or a worker has already claimed them (`sending`, not yet marked by
 * the worker's last look, `startAttempts` in worker/delivery-queue.ts). An attempt already
 * cleared to go to the network before this commits is left to finish (docs/paging.md).
 */
export async function cancelPendingPages(tx: Tx, incidentId: string, now: number, why: string): Promise<number> {
  const result = await tx
    .updateTable('deliveries')
    .set({ status: 'cancelled', last_error: why, locked_by: null, locked_until: null, sent_at: null, next_attempt_at: now })
    .where('incident_id', '=', incidentId)
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('send_started_at', 'is', null)])]))
    .where('purpose', '=', 'page')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
