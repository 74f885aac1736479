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
  /** `on_open` (tasks when the incident opens or is raised to a listed severity) or `on_resolve`. */
  trigger: ChecklistTrigger;
  /** Time windows, in order: their tasks are due `dueOffsetSeconds` after the trigger. */
  groups: ChecklistGroup[];
  managedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export const CHECKLIST_TRIGGERS = ['on_open', 'on_resolve'] as const;
export type ChecklistTrigger = (typeof CHECKLIST_TRIGGERS)[number];

/** Up to 90 days after the trigger. */
const Offset = z.number().int().min(0).max(90 * 86_400);
export const ChecklistGroup = z.strictObject({
  name: DisplayName,
  dueOffsetSeconds: Offset,
  items: z.array(z.union([ChecklistItem, z.strictObject({ title: ChecklistItem, dueOffsetSeconds: Offset.optional() })])).min(1).max(100),
});
export type ChecklistGroup = z.output<typeof ChecklistGroup>;

export const ChecklistFields = {
  slug: Slug,
  name: DisplayName,
  severities: z.array(z.string().trim().min(1).max(20)).min(1).max(10),
  items: z.array(ChecklistItem).max(100).default([]),
  trigger: z.enum(CHECKLIST_TRIGGERS).default('on_open'),
  groups: z.array(ChecklistGroup).max(20).default([]),
};

/** A template must add something: plain items or at least one time window. */
export const hasTasks = (t: { items: string[]; groups: ChecklistGroup[] }): boolean => t.items.length > 0 || t.groups.length > 0;
export const NO_TASKS = { message: 'name at least one item (or a group with items)', path: ['items'] };

export function toChecklistTemplateView(r: ChecklistTemplateTable): ChecklistTemplateView {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    severities: JSON.parse(r.severities) as string[],
    items: JSON.parse(r.items) as string[],
    trigger: (r.trigger ?? 'on_open') as ChecklistTrigger,
    groups: JSON.parse(r.groups ?? '[]') as ChecklistGroup[],
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
