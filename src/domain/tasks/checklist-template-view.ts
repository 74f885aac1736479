import { z } from 'zod';
import { notFound, validation } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';
import type { ChecklistTemplateTable } from '../../store/schema.js';
import { iso } from '../incidents/incident-view.js';
import { ChecklistItem, DisplayName, Slug } from '../names.js';

export interface ChecklistTemplateView {
  id: string;
  slug: string;
  name: string;
  severities: string[];
  items: string[];
  managedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export const ChecklistFields = {
  slug: Slug,
  name: DisplayName,
  severities: z.array(z.string().trim().min(1).max(20)).min(1).max(10),
  items: z.array(ChecklistItem).min(1).max(100),
};

export function toChecklistTemplateView(r: ChecklistTemplateTable): ChecklistTemplateView {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    severities: JSON.parse(r.severities) as string[],
    items: JSON.parse(r.items) as string[],
    managedBy: r.managed_by,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Severity keys as the scheme spells them; an unknown key is the caller's mistake. */
export async function canonicalSeverityKeys(tx: Tx, keys: string[], field = 'severities'): Promise<string[]> {
  const known = (await tx.selectFrom('severities').select('key').orderBy('rank').execute()).map((r) => r.key);
  return [...new Set(keys.map((k, i) => {
    const found = known.find((s) => s.toLowerCase() === k.toLowerCase());
    if (!found) throw validation(`${field}.${i}`, `unknown severity ${k} (known: ${known.join(', ')})`);
    return found;
  }))];
}

export async function findChecklistTemplate(tx: Db | Tx, ref: string): Promise<ChecklistTemplateTable> {
  const row = await tx.selectFrom('checklist_templates').selectAll().where(ref.startsWith('tpl_') ? 'id' : 'slug', '=', ref).executeTakeFirst();
  if (!row) throw notFound('checklist template', ref);
  return row;
}
