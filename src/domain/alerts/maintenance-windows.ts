import { z } from 'zod';
import { conflict, notFound, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import type { Tx } from '../../store/index.js';
import type { MaintenanceWindowTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findService } from '../lookups.js';
import { bumpAlertConfigVersion } from './alert-config.js';
import { isoTime } from './noise.js';

/**
 * Alert maintenance windows: alerts for their services (none named: every service) are recorded
 * but page nobody from start to end. Not the status page's scheduled maintenance
 * (domain/maintenance/), which makes windows of its own at its start: those are changed through
 * it, and these verbs refuse to edit or end them.
 */

const iso = (ms: number): string => new Date(ms).toISOString();

export type MaintenanceState = 'pending' | 'active' | 'ended';

export interface MaintenanceView {
  id: string;
  services: string[];
  startsAt: string;
  endsAt: string;
  reason: string;
  /** Kept for API clients from before `state`: true while it holds alerts. */
  active: boolean;
  state: MaintenanceState;
  createdBy: string | null;
  /** The scheduled maintenance (status page) that made it, which alone may change it; else null. */
  scheduledMaintenance: string | null;
}

export function maintenanceState(row: { starts_at: number; ends_at: number }, now: number): MaintenanceState {
  if (now < row.starts_at) return 'pending';
  return now < row.ends_at ? 'active' : 'ended';
}

/** domain/maintenance/hold-alerts.ts names its windows' creator `maintenance <maint_…>`. */
function scheduledOwner(row: Pick<MaintenanceWindowTable, 'created_by'>): string | null {
  const m = /^maintenance (maint_[a-z0-9]+)$/.exec(row.created_by ?? '');
  return m ? m[1]! : null;
}

function toView(r: MaintenanceWindowTable, now: number): MaintenanceView {
  const state = maintenanceState(r, now);
  return {
    id: r.id, services: JSON.parse(r.service_ids) as string[], startsAt: iso(r.starts_at), endsAt: iso(r.ends_at), reason: r.reason,
    active: state === 'active', state, createdBy: r.created_by, scheduledMaintenance: scheduledOwner(r),
  };
}

const MaintenanceInput = z.strictObject({
  services: z.array(z.string().min(1)).max(200).default([]),
  startsAt: isoTime,
  endsAt: isoTime,
  reason: z.string().trim().min(1).max(2000),
});

const MaintenancePatch = z.strictObject({
  services: z.array(z.string().min(1)).max(200).optional(),
  startsAt: isoTime.optional(),
  endsAt: isoTime.optional(),
  reason: z.string().trim().min(1).max(2000).optional(),
});

async function serviceIds(tx: Tx, refs: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, ref] of refs.entries()) ids.push((await findService(tx, ref).catch(asFieldError(`services.${i}`))).id);
  return [...new Set(ids)];
}

export async function createMaintenanceWindow({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<MaintenanceView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(MaintenanceInput, input);
  if (data.startsAt >= data.endsAt) throw validation('endsAt', 'must be after startsAt');
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const ids = await serviceIds(tx, data.services);
    const id = newId('mw', now);
    const row: MaintenanceWindowTable = { id, service_ids: JSON.stringify(ids), starts_at: data.startsAt, ends_at: data.endsAt, reason: data.reason, created_by: ctx.actor.name, created_at: now };
    await tx.insertInto('maintenance_windows').values(row).execute();
    await bumpAlertConfigVersion(tx);
    await recordAudit(ctx, tx, { action: 'maintenance.create', target: id, data: { services: ids, startsAt: iso(data.startsAt), endsAt: iso(data.endsAt) } });
    return toView(row, now);
  });
}

export async function listMaintenanceWindows({ ctx }: { ctx: Ctx }): Promise<MaintenanceView[]> {
  authorize(ctx.actor, 'read');
  const now = ctx.clock.now();
  const rows = await ctx.store.db.selectFrom('maintenance_windows').selectAll().orderBy('starts_at', 'desc').limit(500).execute();
  return rows.map((r) => toView(r, now));
}

export async function getMaintenanceWindow({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<MaintenanceView> {
  authorize(ctx.actor, 'read');
  const row = await ctx.store.db.selectFrom('maintenance_windows').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!row) throw notFound('maintenance window', input.id);
  return toView(row, ctx.clock.now());
}

/** The row to change, refused when it has ended or belongs to a scheduled maintenance. */
async function changeable(tx: Tx, id: string, now: number, verb: string): Promise<MaintenanceWindowTable> {
  const row = await tx.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('maintenance window', id);
  const owner = scheduledOwner(row);
  if (owner) throw conflict(`maintenance window ${id} belongs to scheduled maintenance ${owner}: ${verb} that maintenance on its status page instead`);
  if (maintenanceState(row, now) === 'ended') throw conflict(`maintenance window ${id} has ended and cannot be changed; schedule a new one`);
  return row;
}

/**
 * Changes services, start, end or reason. A window that already started keeps its start (it
 * held alerts from then); its end may move but not into the past: `end` ends it now.
 */
export async function updateMaintenanceWindow({ ctx, input }: { ctx: Ctx; input: { id: string; patch: unknown } }): Promise<MaintenanceView> {
  authorize(ctx.actor, 'admin');
  const patch = parseInput(MaintenancePatch, input.patch);
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const row = await changeable(tx, input.id, now, 'edit');
    const state = maintenanceState(row, now);
    if (state === 'active' && patch.startsAt !== undefined && patch.startsAt !== row.starts_at) throw validation('startsAt', 'the window has started; its start can no longer change');
    const startsAt = patch.startsAt ?? row.starts_at;
    const endsAt = patch.endsAt ?? row.ends_at;
    if (endsAt <= now) throw validation('endsAt', 'must be in the future (to stop it now, end the window)');
    if (startsAt >= endsAt) throw validation(patch.endsAt !== undefined ? 'endsAt' : 'startsAt', 'endsAt must be after startsAt');
    const ids = patch.services === undefined ? (JSON.parse(row.service_ids) as string[]) : await serviceIds(tx, patch.services);
    const next: MaintenanceWindowTable = { ...row, service_ids: JSON.stringify(ids), starts_at: startsAt, ends_at: endsAt, reason: patch.reason ?? row.reason };
    await tx.updateTable('maintenance_windows').set({ service_ids: next.service_ids, starts_at: startsAt, ends_at: endsAt, reason: next.reason }).where('id', '=', row.id).execute();
    await bumpAlertConfigVersion(tx);
    await recordAudit(ctx, tx, { action: 'maintenance_window.update', target: row.id, data: { services: ids, startsAt: iso(startsAt), endsAt: iso(endsAt) } });
    return toView(next, now);
  });
}

/** Ends a window now (a pending one never starts); the alerts it held page on release. */
export async function endMaintenanceWindow({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<MaintenanceView> {
  authorize(ctx.actor, 'admin');
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const row = await changeable(tx, input.id, now, 'end');
    const startsAt = Math.min(row.starts_at, now);
    await tx.updateTable('maintenance_windows').set({ starts_at: startsAt, ends_at: now }).where('id', '=', row.id).execute();
    await bumpAlertConfigVersion(tx);
    await recordAudit(ctx, tx, { action: 'maintenance_window.end', target: row.id, data: {} });
    return toView({ ...row, starts_at: startsAt, ends_at: now }, now);
  });
}

export async function deleteMaintenanceWindow({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.store.transaction(async (tx) => {
    const deleted = await tx.deleteFrom('maintenance_windows').where('id', '=', input.id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) throw notFound('maintenance window', input.id);
    await bumpAlertConfigVersion(tx);
    await recordAudit(ctx, tx, { action: 'maintenance.delete', target: input.id, data: {} });
  });
}
