import { z } from 'zod';
import { actorId } from '../../core/actor.js';
import { conflict } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import type { Tx } from '../../store/index.js';
import type { RunbookTable } from '../../store/schema.js';
import type { ImportReport } from './import-runbooks.js';
import { prepareImportOffLoop } from './import-off-loop.js';
import { documentKey } from './document-key.js';

export const MANAGED_BY_DIRECTORY = 'directory';

/** Namespaced slugs join the document's key and the section's slug with `--` (slugify never makes one). */
export const SLUG_NAMESPACE_SEPARATOR = '--';

export { documentKey } from './document-key.js';

interface PlacedSlug {
  slug: string;
  existing: RunbookTable | undefined;
  /** The source of the runbook that holds the plain slug, when this one was namespaced. */
  takenBy?: string;
}

/**
 * Where a document's runbook lives. A runbook is replaced only by the document it came from
 * (same source name); a section whose slug another document already holds gets
 * `<document>--<slug>` instead of overwriting it. Directory-managed runbooks keep their own
 * answer (managed-elsewhere) so the API never silently forks a file-managed runbook.
 */
async function placeSlug(tx: Tx, ctx: Ctx, slug: string, sourceName: string, managedBy: string | null): Promise<PlacedSlug> {
  const find = (s: string) => ctx.store.dialect.forUpdate(tx.selectFrom('runbooks').selectAll().where('slug', '=', s)).executeTakeFirst();
  const plain = await find(slug);
  const namespaced = `${documentKey(sourceName)}${SLUG_NAMESPACE_SEPARATOR}${slug}`.slice(0, 120);
  if (!plain) {
    // Namespaced earlier and the plain slug freed since: keep updating the same runbook.
    const own = await find(namespaced);
    return own?.source_path === sourceName ? { slug: namespaced, existing: own } : { slug, existing: undefined };
  }
  if (plain.source_path === sourceName) return { slug, existing: plain };
  if (plain.managed_by === MANAGED_BY_DIRECTORY && managedBy !== MANAGED_BY_DIRECTORY) return { slug, existing: plain };
  for (let n = 1; n <= 20; n++) {
    const candidate = n === 1 ? namespaced : `${namespaced}-${n}`;
    const row = await find(candidate);
    if (!row || row.source_path === sourceName) return { slug: candidate, existing: row, takenBy: plain.source_path ?? undefined };
  }
  throw conflict(`runbook ${slug}: twenty documents named like ${sourceName} already hold it; rename the document or the section`);
}

export const ImportRunbooksInput = z.object({
  markdown: z.string(),
  sourceName: z.string().trim().min(1).max(300).default('upload.md'),
  dryRun: z.boolean().default(false),
  /** Only the server's directory watcher (a system actor) sets this. */
  managedBy: z.literal(MANAGED_BY_DIRECTORY).optional(),
});

export type ImportAction = 'created' | 'updated' | 'unchanged' | 'managed-elsewhere';

export interface ImportOutcome {
  dryRun: boolean;
  report: ImportReport;
  runbooks: { slug: string; title: string; action: ImportAction; version: number; id: string | null; message?: string }[];
}

/**
 * Imports a Markdown document: each runbook it yields is created, or updated by slug with a new
 * version when its content changed. Versions are immutable, so an incident that followed
 * version 1 keeps showing version 1. A dry run parses and reports without writing.
 */
export async function importRunbooks({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ImportOutcome> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(ImportRunbooksInput, input);
  const managedBy = ctx.actor.type === 'system' ? (data.managedBy ?? null) : null;
  const now = ctx.clock.now();
  // Parsed, serialised and hashed off the event loop when the document is large.
  const { runbooks: plan, report } = await prepareImportOffLoop(data.markdown, { sourceName: data.sourceName, now });

  const write = async (): Promise<ImportOutcome> =>
    ctx.store.transaction(async (tx) => {
      const outcome: ImportOutcome = { dryRun: data.dryRun, report, runbooks: [] };
      for (const draft of plan) {
        const hash = draft.hash;
        const placed = await placeSlug(tx, ctx, draft.slug, data.sourceName, managedBy);
        const existing = placed.existing;
        const base = { slug: placed.slug, title: draft.title };
        if (placed.slug !== draft.slug) {
          report.warnings.push({
            code: 'slug-namespaced',
            message: `"${draft.title}": the slug ${draft.slug} belongs to a runbook from ${placed.takenBy ?? 'another source'}; this document's runbook is ${placed.slug}`,
          });
        }
        if (existing && existing.managed_by === MANAGED_BY_DIRECTORY && managedBy !== MANAGED_BY_DIRECTORY) {
          outcome.runbooks.push({ ...base, action: 'managed-elsewhere', version: existing.current_version, id: existing.id, message: `managed by the runbook directory (${existing.source_path ?? '?'}); edit the file there` });
          continue;
        }
        const current = existing
          ? await tx.selectFrom('runbook_versions').select(['content_hash']).where('id', '=', existing.current_version_id).executeTakeFirst()
          : undefined;
        if (existing && current?.content_hash === hash) {
          outcome.runbooks.push({ ...base, action: 'unchanged', version: existing.current_version, id: existing.id });
          continue;
        }
        const version = (existing?.current_version ?? 0) + 1;
        if (data.dryRun) {
          outcome.runbooks.push({ ...base, action: existing ? 'updated' : 'created', version, id: existing?.id ?? null });
          continue;
        }
        const id = existing?.id ?? newId('rb', now);
        const versionId = newId('rbv', now);
        const fields = {
          title: draft.title,
          summary: draft.summary,
          service: draft.service,
          severity: draft.severity,
          owner: draft.owner,
          review_interval_days: draft.reviewIntervalDays,
          last_reviewed: draft.reviewedAt,
          current_version_id: versionId,
          current_version: version,
          managed_by: managedBy,
          source_path: data.sourceName,
          updated_at: now,
        };
        // The version row first: the runbook row points at it.
        if (!existing) await tx.insertInto('runbooks').values({ id, slug: placed.slug, ...fields, created_at: now }).execute();
        await tx
          .insertInto('runbook_versions')
          .values({ id: versionId, runbook_id: id, version, source_markdown: draft.sourceMarkdown, structure: draft.structure, content_hash: hash, created_by: ctx.actor.name, created_at: now })
          .execute();
        if (existing) await tx.updateTable('runbooks').set(fields).where('id', '=', id).execute();
        await tx.deleteFrom('runbook_matchers').where('runbook_id', '=', id).execute();
        const rows = draft.matchers;
        if (rows.length) await tx.insertInto('runbook_matchers').values(rows.map((m, position) => ({ runbook_id: id, position, ...m }))).execute();
        outcome.runbooks.push({ ...base, action: existing ? 'updated' : 'created', version, id });
      }
      const changed = outcome.runbooks.filter((r) => r.action === 'created' || r.action === 'updated');
      if (!data.dryRun && changed.length > 0) {
        await recordAudit(ctx, tx, {
          action: 'runbook.imported',
          target: data.sourceName,
          data: { by: actorId(ctx.actor), runbooks: changed.map((r) => ({ slug: r.slug, action: r.action, version: r.version })) },
        });
      }
      return outcome;
    });
  try {
    return await write();
  } catch (error) {
    // Two imports creating the same slug at once: one wins, the other is told to retry.
    if (ctx.store.dialect.isUniqueViolation(error)) throw conflict('another import changed the same runbooks at the same time; retry');
    throw error;
  }
}
