import { MANAGED_BY_CONFIG } from '../../names.js';
import type { CurrentSeverity, CurrentState, Managed } from './current-state.js';
import { isAliasedRoleName } from '../../incident-roles/role-keys.js';
import { suggestedType } from './people.js';
import { PLACEHOLDER_PREFIX, type FieldChange, type PlaceholderView, type PlanEntry, type PlannedObject, type PlannedSeverity } from './types.js';

/** The plan against the database, terraform-style: add, change (with field diffs), unchanged, or blocked. Pure. */

/** 300 → `5m`, 5400 → `1h30m`, 0 → `0`: the firebreak.yaml spelling. */
export function yamlDuration(seconds: number): string {
  if (seconds === 0) return '0';
  let rest = seconds;
  let out = '';
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

const show = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  return JSON.stringify(v);
};

const DURATION_FIELDS = new Set(['ackTarget', 'resolveTarget', 'updateCadence', 'after']);

/** Field-by-field differences between two plain objects (keys of `to` only: what the plan says). */
export function fieldChanges(prefix: string, from: Record<string, unknown> | undefined, to: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [key, value] of Object.entries(to)) {
    const before = from?.[key];
    if (JSON.stringify(before ?? null) === JSON.stringify(value ?? null)) continue;
    const fmt = (v: unknown) => (DURATION_FIELDS.has(key) && typeof v === 'number' ? yamlDuration(v) : show(v));
    out.push({ field: `${prefix}${key}`, from: fmt(before), to: fmt(value) });
  }
  return out;
}

/**
 * The ladder the plan writes: the document's levels in its order; for a level the database
 * already has (same key), what the document does not say (post-mortem gate, communication
 * deadlines, a target it leaves out) stays as it is.
 */
export function effectiveLadder(planned: PlannedSeverity[], current: CurrentSeverity[]): CurrentSeverity[] {
  return planned.map((level) => {
    const have = current.find((c) => c.key.toUpperCase() === level.key.toUpperCase());
    const defined = Object.fromEntries(Object.entries(level).filter(([, v]) => v !== undefined));
    return { postmortemRequired: false, communicationTasks: [], ...(have ?? {}), ...defined } as CurrentSeverity;
  });
}

function ladderChanges(planned: PlannedSeverity[], current: CurrentSeverity[]): FieldChange[] {
  const out: FieldChange[] = [];
  for (const level of planned) {
    const have = current.find((c) => c.key.toUpperCase() === level.key.toUpperCase());
    if (!have) {
      out.push({ field: level.key, from: null, to: `${level.name} (new level)` });
      continue;
    }
    const defined = Object.fromEntries(Object.entries(level).filter(([, v]) => v !== undefined && v !== false));
    // businessHours false is only a change when the database says true.
    if (have.businessHours && !level.businessHours) defined['businessHours'] = false;
    out.push(...fieldChanges(`${level.key}.`, have as unknown as Record<string, unknown>, defined));
  }
  for (const have of current) {
    if (!planned.some((l) => l.key.toUpperCase() === have.key.toUpperCase())) out.push({ field: have.key, from: have.name, to: null });
  }
  const order = (keys: string[]) => keys.map((k) => k.toUpperCase()).join(' > ');
  const kept = current.filter((c) => planned.some((l) => l.key.toUpperCase() === c.key.toUpperCase())).map((c) => c.key);
  const plannedKept = planned.filter((l) => current.some((c) => c.key.toUpperCase() === l.key.toUpperCase())).map((l) => l.key);
  if (order(kept) !== order(plannedKept)) out.push({ field: 'order', from: order(kept), to: order(plannedKept) });
  return out;
}

function compare<T extends object>(object: PlannedObject, existing: Managed<T> | undefined, config: T, placeholders: string[]): PlanEntry {
  const base = { id: object.id, kind: object.kind, title: object.title, placeholders, notes: object.notes, ...(object.line ? { line: object.line } : {}) };
  if (!existing) return { ...base, action: 'add', changes: fieldChanges('', undefined, config as Record<string, unknown>) };
  const changes = fieldChanges('', existing.config as Record<string, unknown>, config as Record<string, unknown>);
  if (changes.length === 0) return { ...base, action: 'unchanged', changes };
  if (existing.managedBy === MANAGED_BY_CONFIG) return { ...base, action: 'blocked', reason: 'managed by firebreak.yaml: add the change to the file (--yaml prints it)', changes };
  return { ...base, action: 'change', changes };
}

/** The placeholders an object pages ("Team lead"), from its `placeholder:` targets. */
export function placeholdersOf(object: PlannedObject): string[] {
  if (object.kind !== 'escalation-policy') return [];
  const all = [...object.config.levels, ...object.config.ifUnresolved].flatMap((l) => l.targets);
  return [...new Set(all.filter((t) => t.startsWith(PLACEHOLDER_PREFIX)).map((t) => t.slice(PLACEHOLDER_PREFIX.length)))];
}

/** Placeholders replaced by their mapping (keys lower-cased); unmapped ones stay `placeholder:NAME`. */
export function resolvePlaceholders(objects: PlannedObject[], mapping: ReadonlyMap<string, string>): PlannedObject[] {
  const resolve = (t: string) => (t.startsWith(PLACEHOLDER_PREFIX) ? mapping.get(t.slice(PLACEHOLDER_PREFIX.length).toLowerCase()) ?? t : t);
  return objects.map((o) => (o.kind !== 'escalation-policy' ? o : {
    ...o,
    config: {
      ...o.config,
      levels: o.config.levels.map((l) => ({ ...l, targets: [...new Set(l.targets.map(resolve))] })),
      ifUnresolved: o.config.ifUnresolved.map((l) => ({ ...l, targets: [...new Set(l.targets.map(resolve))] })),
    },
  }));
}

/**
 * A role the catalogue already has keeps the catalogue's name when the document spells it only
 * differently ("Incident Commander" for "Incident commander") or reaches it through an alias
 * ("IC", "Comms lead"): naming the role is not a reason to rename it, and re-importing shows no
 * changes.
 */
export function alignRoleNames(objects: PlannedObject[], current: CurrentState): PlannedObject[] {
  return objects.map((o) => {
    if (o.kind !== 'incident-role') return o;
    const have = current.incidentRoles.get(o.config.key);
    if (!have) return o;
    const same = have.config.name.toLowerCase() === o.config.name.toLowerCase() || isAliasedRoleName(o.config.name);
    return same && have.config.name !== o.config.name ? { ...o, config: { ...o.config, name: have.config.name } } : o;
  });
}

export function placeholderViews(objects: PlannedObject[], mapping: ReadonlyMap<string, string>): PlaceholderView[] {
  const views = new Map<string, PlaceholderView>();
  for (const o of objects) {
    for (const name of placeholdersOf(o)) {
      const key = name.toLowerCase();
      const view = views.get(key) ?? { name, mappedTo: mapping.get(key) ?? null, usedBy: [], suggestedType: suggestedType(name) };
      view.usedBy.push(o.id);
      views.set(key, view);
    }
  }
  return [...views.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Every planned object against the database; `objects` have their placeholders resolved where mapped. */
export function diffPlan(original: PlannedObject[], resolved: PlannedObject[], current: CurrentState): PlanEntry[] {
  return resolved.map((object, i) => {
    const placeholders = placeholdersOf(original[i]!);
    switch (object.kind) {
      case 'severities': {
        const base = { id: object.id, kind: object.kind, title: object.title, placeholders, notes: object.notes, ...(object.line ? { line: object.line } : {}) };
        const changes = ladderChanges(object.config, current.severities);
        if (changes.length === 0) return { ...base, action: 'unchanged', changes };
        if (current.severitiesManagedBy === MANAGED_BY_CONFIG) return { ...base, action: 'blocked', reason: 'the severity scheme is managed by firebreak.yaml: add the change to the file (--yaml prints it)', changes };
        return { ...base, action: 'change', changes };
      }
      case 'escalation-policy': return compare(object, current.policies.get(object.config.name), object.config, placeholders);
      case 'checklist': return compare(object, current.checklists.get(object.config.slug), object.config, placeholders);
      case 'update-template': return compare(object, current.updateTemplates.get(`${object.config.kind}/${object.config.audience ?? 'any'}`), object.config, placeholders);
      case 'postmortem-template': return compare(object, current.postmortemTemplates.get(object.config.slug), object.config, placeholders);
      case 'incident-role': return compare(object, current.incidentRoles.get(object.config.key), object.config, placeholders);
    }
  });
}
