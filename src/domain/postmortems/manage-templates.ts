import { conflict, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { Slug } from '../names.js';
import { listTemplateViews, type TemplateView } from './find-template.js';
import { SetTemplateInput } from './schemas.js';
import { BUILT_IN_TEMPLATES, checkPostmortemTemplate } from './templates.js';

export async function listPostmortemTemplates({ ctx }: { ctx: Ctx }): Promise<TemplateView[]> {
  authorize(ctx.actor, 'read');
  return listTemplateViews(ctx.store.db);
}

/**
 * Creates or replaces a team's template. Checked before saving against every variable a
 * template can use: a syntax error or an unknown variable is a 400 on `body` with line and
 * column. Built-in slugs are reserved.
 */
export async function setPostmortemTemplate({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<TemplateView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(SetTemplateInput, input);
  if (BUILT_IN_TEMPLATES.some((t) => t.slug === data.slug)) throw conflict(`'${data.slug}' is a built-in template; choose another slug`);
  checkPostmortemTemplate(data.body, 'body');
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const existing = await tx.selectFrom('postmortem_templates').selectAll().where('slug', '=', data.slug).executeTakeFirst();
    if (existing) {
      assertNotManaged(existing, `the post-mortem template ${data.slug}`);
      await tx.updateTable('postmortem_templates').set({ name: data.name, body: data.body, updated_at: now }).where('id', '=', existing.id).execute();
    } else {
      await tx.insertInto('postmortem_templates').values({ id: newId('pmt', now), slug: data.slug, name: data.name, body: data.body, managed_by: null, created_at: now, updated_at: now }).execute();
    }
    await recordAudit(ctx, tx, { action: 'postmortem_template.set', target: data.slug });
    return { slug: data.slug, name: data.name, body: data.body, builtIn: false, managedBy: null };
  });
}

export async function deletePostmortemTemplate({ ctx, input }: { ctx: Ctx; input: { slug: unknown } }): Promise<{ slug: string; deleted: true }> {
  authorize(ctx.actor, 'admin');
  const slug = parseInput(Slug, input.slug, 'slug');
  if (BUILT_IN_TEMPLATES.some((t) => t.slug === slug)) throw conflict(`'${slug}' is a built-in template and cannot be deleted`);
  return ctx.store.transaction(async (tx) => {
    const existing = await tx.selectFrom('postmortem_templates').selectAll().where('slug', '=', slug).executeTakeFirst();
    if (!existing) throw notFound('post-mortem template', slug);
    assertNotManaged(existing, `the post-mortem template ${slug}`);
    await tx.deleteFrom('postmortem_templates').where('id', '=', existing.id).execute();
    await recordAudit(ctx, tx, { action: 'postmortem_template.delete', target: slug });
    return { slug, deleted: true as const };
  });
}
