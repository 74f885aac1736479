import { sql } from 'kysely';
import { validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findService } from '../lookups.js';
import { asFieldError } from './declare-incident.js';
import { toIncidentViews, type IncidentView } from './incident-view.js';
import { ListIncidentsInput } from './schemas.js';

/**
 * Newest first, keyset-paginated on (declared_at, id) so pages stay stable while incidents open.
 * The cursor is opaque to clients.
 */
export async function listIncidents({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ items: IncidentView[]; nextCursor: string | null }> {
  authorize(ctx.actor, 'read');
  const data = parseInput(ListIncidentsInput, input);
  const db = ctx.store.db;
  let query = db.selectFrom('incidents').selectAll();
  const statuses = data.status.flatMap((s) => (s === 'open' ? ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring'] : [s]));
  if (statuses.length) query = query.where('status', 'in', statuses);
  if (data.severity.length) query = query.where('severity', 'in', data.severity);
  if (data.service) {
    const service = await findService(db, data.service).catch(asFieldError('service'));
    query = query.where('service_id', '=', service.id);
  }
  if (data.from !== undefined) query = query.where('declared_at', '>=', data.from);
  if (data.to !== undefined) query = query.where('declared_at', '<', data.to);
  if (!data.includeDrills) query = query.where('is_drill', '=', 0);
  if (data.q) {
    const pattern = `%${data.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(title)`, 'like', sql`lower(${pattern}) escape '\\'`),
        eb(sql`lower(summary)`, 'like', sql`lower(${pattern}) escape '\\'`),
      ]),
    );
  }
  if (data.cursor) {
    const [at, id] = decodeCursor(data.cursor);
    query = query.where((eb) => eb.or([eb('declared_at', '<', at), eb.and([eb('declared_at', '=', at), eb('id', '<', id)])]));
  }
  const rows = await query.orderBy('declared_at', 'desc').orderBy('id', 'desc').limit(data.limit + 1).execute();
  const page = rows.slice(0, data.limit);
  const last = page.at(-1);
  return {
    items: await toIncidentViews(db, page),
    nextCursor: rows.length > data.limit && last ? Buffer.from(`${last.declared_at}:${last.id}`).toString('base64url') : null,
  };
}

function decodeCursor(cursor: string): [number, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!at || !id || !/^\d+$/.test(at) || !id.startsWith('inc_')) throw validation('cursor', 'is not a cursor this server gave out');
  return [Number(at), id];
}
