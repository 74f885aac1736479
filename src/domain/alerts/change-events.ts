import { z } from 'zod';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import type { ChangeEvent } from './signal.js';
import type { Tx } from '../../store/index.js';
import type { ChangeEventTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { appendTimeline } from '../incidents/timeline.js';
import { findService } from '../lookups.js';

/**
 * PagerDuty change events (`/v2/change/enqueue`): deploys, config changes, flag flips. As in
 * PagerDuty they never page and never open anything; they are kept per service ("recent
 * changes", 90 days) and shown where a responder looks first: the timeline of every open
 * incident of the service when the change arrives, and the incident's related changes.
 */
export interface ChangeEventView {
  id: string;
  integrationId: string;
  serviceId: string | null;
  summary: string;
  source: string | null;
  occurredAt: string;
  receivedAt: string;
  links: { href: string; text: string | null }[];
  details: unknown;
}

/** How far before an incident was detected its related changes reach back. */
export const RELATED_CHANGES_BEFORE_MS = 24 * 3600_000;

const iso = (ms: number): string => new Date(ms).toISOString();

function toView(r: ChangeEventTable): ChangeEventView {
  return {
    id: r.id, integrationId: r.integration_id, serviceId: r.service_id, summary: r.summary, source: r.source,
    occurredAt: iso(r.occurred_at), receivedAt: iso(r.received_at), links: JSON.parse(r.links) as ChangeEventView['links'], details: JSON.parse(r.details) as unknown,
  };
}

/** The timeline line: `Change: Deploy v1.2.3 by ci (github-actions)`, then its links. */
export function changeTimelineBody(change: ChangeEvent): string {
  const head = `Change: ${change.summary}${change.source ? ` (${change.source})` : ''}`;
  const links = change.links.map((l) => `- [${(l.text ?? l.href).replace(/[[\]]/g, '')}](${l.href})`);
  return [head, ...links].join('\n');
}

/**
 * Inside the ingest batch's transaction: store each change event and append it to the timeline
 * of the open incidents of its integration's service. Only batches that carry change events
 * call this, so alert ingestion pays nothing for it.
 */
export async function recordChangeEvents(
  ctx: Ctx,
  tx: Tx,
  entries: readonly { integrationId: string; serviceId: string | null; rawPayloadId: string; changes: readonly ChangeEvent[] }[],
): Promise<void> {
  const now = ctx.clock.now();
  const openByService = new Map<string, { id: string }[]>();
  for (const entry of entries) {
    for (const change of entry.changes) {
      const id = newId('chg', now);
      await tx.insertInto('change_events').values({
        id, integration_id: entry.integrationId, service_id: entry.serviceId, summary: change.summary, source: change.source,
        occurred_at: change.occurredAt, received_at: now, links: JSON.stringify(change.links), details: JSON.stringify(change.details ?? null),
        raw_payload_id: entry.rawPayloadId,
      }).execute();
      if (entry.serviceId === null) continue;
      let open = openByService.get(entry.serviceId);
      if (!open) {
        open = await tx.selectFrom('incidents').select('id').where('service_id', '=', entry.serviceId).where('status', '<>', 'resolved').execute();
        openByService.set(entry.serviceId, open);
      }
      for (const incident of open) {
        await appendTimeline(ctx, tx, incident.id, 'change', changeTimelineBody(change), {
          changeEvent: id, summary: change.summary, source: change.source, occurredAt: iso(change.occurredAt), links: change.links,
        });
      }
    }
  }
}

const ServiceChangesInput = z.strictObject({
  service: z.string().min(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.string().optional(),
});

/** Recent changes of a service, last received first (`before`: a change id, for the next page). */
export async function listServiceChanges({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ items: ChangeEventView[]; next: string | null }> {
  authorize(ctx.actor, 'read');
  const q = parseInput(ServiceChangesInput, input, 'query');
  const service = await findService(ctx.store.db, q.service);
  // Received order (ids are time-ordered), so the `before` cursor is exact whatever the senders' clocks say.
  let query = ctx.store.db.selectFrom('change_events').selectAll().where('service_id', '=', service.id).orderBy('id', 'desc').limit(q.limit);
  if (q.before) query = query.where('id', '<', q.before);
  const rows = await query.execute();
  return { items: rows.map(toView), next: rows.length === q.limit ? (rows.at(-1)?.id ?? null) : null };
}

/**
 * The changes to an incident's service from a day before it was detected until it resolved
 * (still open: until now, and a sender's clock running ahead does not hide one): what changed
 * around the time things broke. Newest first, at most 100.
 */
export async function listIncidentChanges({ ctx, input }: { ctx: Ctx; input: { incident: string } }): Promise<ChangeEventView[]> {
  authorize(ctx.actor, 'read');
  const incident = await findIncidentRow(ctx.store.db, input.incident);
  if (incident.service_id === null) return [];
  let query = ctx.store.db.selectFrom('change_events').selectAll()
    .where('service_id', '=', incident.service_id)
    .where('occurred_at', '>=', incident.detected_at - RELATED_CHANGES_BEFORE_MS);
  if (incident.resolved_at !== null) query = query.where('occurred_at', '<=', incident.resolved_at);
  const rows = await query.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(100).execute();
  return rows.map(toView);
}
