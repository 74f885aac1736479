import { conflict, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import type { Tx } from '../../store/index.js';
import type { IncidentTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { appendTimeline } from '../incidents/timeline.js';
import { findUser } from '../lookups.js';
import { draftPostmortem } from './draft.js';
import { scheduleDueReminder } from './due-reminder.js';
import { findTemplate } from './find-template.js';
import { postmortemOfIncident, toPostmortemView, type PostmortemView } from './postmortem-view.js';
import { loadIncidentRecord } from './record.js';
import { CreatePostmortemInput } from './schemas.js';
import { DEFAULT_TEMPLATE, renderPostmortemTemplate, variablesFromDraft } from './templates.js';

/** User refs (id or e-mail) to ids; an unknown one is a 400 on the field that named it. */
export async function resolveUsers(tx: Tx, refs: readonly string[], field: string): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, ref] of refs.entries()) {
    const user = await findUser(tx, ref).catch(asFieldError(refs.length > 1 || field === 'reviewers' ? `${field}.${i}` : field));
    if (!ids.includes(user.id)) ids.push(user.id);
  }
  return ids;
}

/** The default due date: the severity's `postmortemDue` after the primary incident resolved. */
async function defaultDueAt(tx: Tx, incident: IncidentTable): Promise<number | null> {
  if (incident.resolved_at === null) return null;
  const severity = await tx.selectFrom('severities').select('postmortem_due_seconds').where('key', '=', incident.severity).executeTakeFirst();
  return severity?.postmortem_due_seconds ? Number(incident.resolved_at) + Number(severity.postmortem_due_seconds) * 1000 : null;
}

/**
 * Starts the post-mortem of an incident (and of related ones): the body is the template filled
 * from the record (draft.ts). Allowed before resolution (writing can start while memories are
 * fresh); publishing waits for every covered incident to resolve. An incident has at most one.
 */
export async function createPostmortem({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PostmortemView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(CreatePostmortemInput, input);
  const now = ctx.clock.now();
  if (data.dueAt !== undefined && data.dueAt <= now) throw validation('dueAt', 'is in the past; a due date must be in the future');
  return ctx.store.transaction(async (tx) => {
    const primary = await findIncidentRow(tx, data.incident);
    const rows = [primary];
    for (const [i, ref] of data.related.entries()) {
      const row = await findIncidentRow(tx, ref).catch(asFieldError(`related.${i}`));
      if (!rows.some((r) => r.id === row.id)) rows.push(row);
    }
    for (const row of rows) {
      const existing = await postmortemOfIncident(tx, row.id);
      if (existing) throw conflict(`incident #${row.number} already has a post-mortem (${existing.id}, ${existing.status}); edit that one`);
    }
    const template = await findTemplate(tx, data.template ?? DEFAULT_TEMPLATE);
    const ownerId = data.owner !== undefined
      ? (await resolveUsers(tx, [data.owner], 'owner'))[0]!
      : ctx.actor.type === 'user' ? ctx.actor.id : ctx.actor.type === 'apiKey' ? ctx.actor.userId : null;
    const reviewers = await resolveUsers(tx, data.reviewers, 'reviewers');
    const records = await Promise.all(rows.map((r) => loadIncidentRecord(tx, r)));
    const draft = draftPostmortem(records, now);
    const body = renderPostmortemTemplate(template.body, variablesFromDraft(draft), 'template');
    const dueAt = data.dueAt ?? (await defaultDueAt(tx, primary));
    const id = newId('pm', now);
    await tx.insertInto('postmortems').values({
      id, title: data.title ?? draft.title, status: 'draft', template: template.slug, body, public_body: '', owner_id: ownerId,
      reviewers: JSON.stringify(reviewers), due_at: dueAt, submitted_at: null, published_at: null,
      created_by: ctx.actor.name, created_at: now, updated_at: now, version: 1,
    }).execute();
    await tx.insertInto('postmortem_incidents').values(rows.map((r, position) => ({ postmortem_id: id, incident_id: r.id, position }))).execute();
    if (dueAt !== null) await scheduleDueReminder(ctx, tx, id, dueAt);
    for (const r of rows) await appendTimeline(ctx, tx, r.id, 'postmortem_started', `Post-mortem started (${template.name})`, { postmortemId: id });
    await recordAudit(ctx, tx, { action: 'postmortem.create', target: id, data: { incidents: rows.map((r) => r.number), template: template.slug } });
    const row = await tx.selectFrom('postmortems').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toPostmortemView(tx, row, now);
  });
}
