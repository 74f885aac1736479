import { stringify } from 'yaml';
import type { CurrentSeverity } from './current-state.js';
import { yamlDuration } from './diff-plan.js';
import type { PlaceholderView, PlannedObject } from './types.js';

/**
 * The plan as a `firebreak.yaml` fragment: the same sections `firebreak config` applies, with
 * durations spelt as the file spells them. Unmapped people stay `placeholder:NAME`; the file
 * refuses to load until each is replaced by user:EMAIL, team:SLUG or schedule:NAME.
 */
export function planYaml(objects: PlannedObject[], ladder: CurrentSeverity[] | null, placeholders: PlaceholderView[], source: string): string {
  const d = (s: number | undefined) => (s === undefined ? undefined : yamlDuration(s));
  const doc: Record<string, unknown> = { version: 1 };
  if (ladder) {
    doc['severities'] = ladder.map((l) => clean({
      key: l.key, name: l.name, description: l.description || undefined, examples: l.examples.length ? l.examples : undefined,
      ackTarget: d(l.ackTarget), resolveTarget: d(l.resolveTarget), updateCadence: d(l.updateCadence),
      businessHours: l.businessHours || undefined, escalationPolicy: l.escalationPolicy,
      postmortemRequired: l.postmortemRequired || undefined, postmortemDue: d(l.postmortemDue),
      communicationTasks: l.communicationTasks.length ? l.communicationTasks.map((t) => ({ ...t, within: yamlDuration(t.within) })) : undefined,
    }));
  }
  const policies = objects.flatMap((o) => (o.kind === 'escalation-policy' ? [o.config] : []));
  if (policies.length) {
    doc['escalationPolicies'] = policies.map((p) => clean({
      name: p.name,
      levels: p.levels.map((l) => clean({ after: yamlDuration(l.after), targets: l.targets, severities: l.severities })),
      ifUnresolved: p.ifUnresolved.length ? p.ifUnresolved.map((e) => ({ after: yamlDuration(e.after), targets: e.targets })) : undefined,
      repeat: p.repeat || undefined,
    }));
  }
  const checklists = objects.flatMap((o) => (o.kind === 'checklist' ? [o.config] : []));
  if (checklists.length) doc['checklists'] = checklists.map((c) => clean({ ...c, items: c.items.length ? c.items : undefined, groups: c.groups.length ? c.groups : undefined }));
  const updates = objects.flatMap((o) => (o.kind === 'update-template' ? [o.config] : []));
  if (updates.length) doc['updateTemplates'] = updates;
  const postmortems = objects.flatMap((o) => (o.kind === 'postmortem-template' ? [o.config] : []));
  if (postmortems.length) doc['postmortemTemplates'] = postmortems;
  const roles = objects.flatMap((o) => (o.kind === 'incident-role' ? [o.config] : []));
  if (roles.length) doc['incidentRoles'] = roles;
  const unmapped = placeholders.filter((p) => p.mappedTo === null).map((p) => p.name);
  const header = [
    `# Imported from ${source.replace(/[\r\n]/g, ' ')} (firebreak runbook import --yaml).`,
    '# Merge these sections into your firebreak.yaml; `firebreak config check` validates it.',
    ...(unmapped.length ? [`# Map each placeholder: to user:EMAIL, team:SLUG or schedule:NAME first: ${unmapped.join(', ')}`] : []),
  ];
  return `${header.join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;
}

function clean(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
