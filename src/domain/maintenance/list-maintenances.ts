import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findPageRow } from '../statuspages/find-page.js';
import { MAINTENANCE_STATUSES } from './lifecycle.js';
import { findMaintenanceRow, toMaintenanceView, type MaintenanceView } from './maintenance-view.js';

const ListInput = z.object({ page: z.string().min(1), status: z.enum(MAINTENANCE_STATUSES).optional() });

/** A page's maintenances, latest start first (at most 200). */
export async function listMaintenances({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<MaintenanceView[]> {
  authorize(ctx.actor, 'read');
  const data = parseInput(ListInput, input);
  const page = await findPageRow(ctx.store.db, data.page);
  let q = ctx.store.db.selectFrom('scheduled_maintenances').selectAll().where('page_id', '=', page.id);
  if (data.status) q = q.where('status', '=', data.status);
  const rows = await q.orderBy('scheduled_for', 'desc').orderBy('id', 'desc').limit(200).execute();
  return Promise.all(rows.map((r) => toMaintenanceView(ctx.store.db, r, page.slug)));
}

export async function getMaintenance({ ctx, input }: { ctx: Ctx; input: { page: string; maintenance: string } }): Promise<MaintenanceView> {
  authorize(ctx.actor, 'read');
  const page = await findPageRow(ctx.store.db, input.page);
  return toMaintenanceView(ctx.store.db, await findMaintenanceRow(ctx.store.db, page.id, input.maintenance), page.slug);
}
