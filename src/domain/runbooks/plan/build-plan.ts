import { isAppError } from '../../../core/errors.js';
import { checkPostmortemTemplate } from '../../postmortems/templates.js';
import { checkTemplate } from '../../updates/templates.js';
import type { Checklist, ImportedDocument } from '../import/types.js';
import { slugify } from '../import/vocabulary.js';
import { roleDisplayName, roleKeyOf } from '../../incident-roles/role-keys.js';
import { parseDuration } from '../targets.js';
import { planEscalation } from './plan-escalation.js';
import type { PlannedObject, PlannedSeverity, ProcessPlan } from './types.js';

/**
 * What a runbook document says about the team's process, as firebreak.yaml objects: the
 * severity ladder, escalation policies (people as placeholders), checklist templates, update
 * and post-mortem templates, incident roles. Pure: the same document always gives the same
 * plan, which is what makes a re-import show no changes.
 */

const BUSINESS_DAY_SECONDS = 8 * 3600;

function ladderOf(doc: ImportedDocument): { levels: PlannedSeverity[]; notes: string[] } {
  const notes: string[] = [];
  const levels = (doc.severityScheme?.levels ?? []).slice(0, 10).map((l): PlannedSeverity => {
    const key = l.id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 20);
    let ackTarget = l.responseSeconds;
    let businessHours = false;
    if (ackTarget === undefined && l.responseText && /business|working/i.test(l.responseText)) {
      // "Next business day": one business day (8 h) counted in business hours only.
      ackTarget = BUSINESS_DAY_SECONDS;
      businessHours = true;
    }
    let resolveTarget = l.resolveSeconds && l.resolveSeconds > 0 ? l.resolveSeconds : undefined;
    if (resolveTarget !== undefined && ackTarget !== undefined && resolveTarget < ackTarget) {
      notes.push(`${key}: resolve target ${l.resolveText} is shorter than the response target; left out`);
      resolveTarget = undefined;
    }
    const cadenceText = Object.entries(l.extra).find(([k]) => /update|cadence|communicat|comms/i.test(k))?.[1];
    const cadence = cadenceText ? parseDuration(cadenceText)?.maxSeconds : undefined;
    return {
      key, name: (l.name ?? l.id).slice(0, 80), description: (l.description ?? '').slice(0, 2000), examples: l.examples.slice(0, 50).map((e) => e.slice(0, 500)),
      ...(ackTarget !== undefined ? { ackTarget } : {}),
      ...(resolveTarget !== undefined ? { resolveTarget } : {}),
      ...(cadence ? { updateCadence: cadence } : {}),
      businessHours,
    };
  });
  return { levels, notes };
}

const POST_INCIDENT = /post[- ]?incident|post[- ]?mortem|follow[- ]?up|after (?:the )?incident|afterwards|close[- ]?out|retro|wrap[- ]?up|aftermath|lessons|review|same day|within a week/i;

/** The heading a checklist sits under (its parent section), from the document outline. */
function parentOf(doc: ImportedDocument, c: Checklist): string {
  // The outline holds the sections; a checklist that is a section of its own has its parent above it.
  const above = doc.outline.filter((o) => o.line <= c.line).sort((a, b) => b.line - a.line);
  const own = above[0]?.title === c.title ? above[0] : undefined;
  const parent = own ? above.find((o) => o.line < own.line && o.level < own.level) : above[0];
  return parent && parent.classifiedAs !== 'title' ? parent.title : '';
}

/** Seconds after the trigger a window's tasks are due: its time box, or "same day" / "within a week" in its title. */
function windowSeconds(c: Checklist): number {
  if (c.timebox?.maxSeconds !== undefined) return Math.min(c.timebox.maxSeconds, 90 * 86_400);
  if (/same day/i.test(c.title)) return 86_400;
  const d = parseDuration(c.title.replace(/a week/i, '1 week'));
  return d?.maxSeconds !== undefined ? Math.min(d.maxSeconds, 90 * 86_400) : 0;
}

function checklistsOf(doc: ImportedDocument, docKey: string, severityKeys: string[]): PlannedObject[] {
  // Consecutive checklists under one heading are one template of time windows, split by trigger.
  const groups = new Map<string, { name: string; trigger: 'on_open' | 'on_resolve'; lists: Checklist[] }>();
  for (const c of doc.checklists) {
    if (c.items.length === 0) continue;
    const parent = parentOf(doc, c);
    // Windows of a day or more ("1-3 days", "within 5 days") are after the incident, whatever the heading says.
    const post = POST_INCIDENT.test(c.title) || POST_INCIDENT.test(parent) || (c.timebox?.minSeconds ?? 0) >= 86_400 || windowSeconds(c) >= 86_400;
    const trigger = post ? 'on_resolve' : 'on_open';
    const single = doc.checklists.filter((d) => parentOf(doc, d) === parent).length === 1;
    const name = (single || !parent ? c.title : parent).slice(0, 100);
    const key = `${name}/${trigger}`;
    const group = groups.get(key) ?? { name, trigger, lists: [] };
    group.lists.push(c);
    groups.set(key, group);
  }
  const names = [...groups.values()].map((g) => g.name);
  return [...groups.values()].map((g) => {
    const twoTriggers = names.filter((n) => n === g.name).length > 1;
    const name = twoTriggers ? `${g.name} (${g.trigger === 'on_resolve' ? 'after resolve' : 'on open'})` : g.name;
    const slug = `${docKey}-${slugify(name)}`.slice(0, 60).replace(/-+$/, '');
    const timed = g.lists.length > 1 || g.lists.some((c) => windowSeconds(c) > 0);
    const config = {
      slug, name: name.slice(0, 120), severities: severityKeys, trigger: g.trigger,
      items: timed ? [] : g.lists.flatMap((c) => c.items.map((i) => i.text.slice(0, 300))),
      groups: timed ? g.lists.map((c) => ({ name: c.title.slice(0, 120), dueOffsetSeconds: windowSeconds(c), items: c.items.slice(0, 100).map((i) => i.text.slice(0, 300)) })) : [],
    };
    return { kind: 'checklist' as const, id: `checklist:${slug}`, title: name, line: g.lists[0]!.line, notes: [], config };
  });
}

/** A template body both renderers accept: the document's text, kept verbatim (Liquid `raw` if it has Liquid-like syntax). */
function safeBody(text: string, check: (body: string) => void): string {
  try {
    check(text);
    return text;
  } catch (e) {
    if (!isAppError(e)) throw e;
    return `{% raw %}${text.replace(/\{%\s*endraw\s*%\}/g, '')}{% endraw %}`;
  }
}

function templatesOf(doc: ImportedDocument, docKey: string): { objects: PlannedObject[]; notes: string[] } {
  const objects: PlannedObject[] = [];
  const notes: string[] = [];
  const taken = new Set<string>();
  let communication = 0;
  for (const t of doc.templates) {
    if (t.kind === 'postmortem') {
      const slug = `${docKey}-postmortem`.slice(0, 60);
      if (taken.has(slug)) continue;
      taken.add(slug);
      const body = safeBody(t.markdown, (b) => checkPostmortemTemplate(b, 'body'));
      objects.push({ kind: 'postmortem-template', id: `postmortem-template:${slug}`, title: t.title, line: t.line, notes: [], config: { slug, name: `${doc.title}: ${t.title}`.slice(0, 120), body } });
      continue;
    }
    if (t.kind !== 'communication' && t.kind !== 'status-update') {
      notes.push(`${t.kind} template "${t.title}" (line ${t.line}): Firebreak has no ${t.kind} templates; kept on the document`);
      continue;
    }
    const title = t.title.toLowerCase();
    const kind = /all clear|resolv|closed?\b|recover|final|restor|fixed|ended/.test(title) ? 'resolution'
      : /initial|first|open|declar|notice|start|new\b/.test(title) ? 'initial'
      : t.kind === 'status-update' || /update|progress/.test(title) ? 'update'
      : communication === 0 ? 'initial' : 'update';
    communication++;
    const audience = /status[- ]?page|public|customer/i.test(t.title) ? 'public' : 'internal';
    const key = `${kind}/${audience}`;
    if (taken.has(key)) {
      notes.push(`template "${t.title}" (line ${t.line}): a second ${key} template; the first one is planned`);
      continue;
    }
    taken.add(key);
    const body = safeBody(t.markdown, (b) => checkTemplate(b, 'body')).slice(0, 20_000);
    objects.push({ kind: 'update-template', id: `update-template:${key}`, title: `${t.title} (${kind}, ${audience})`, line: t.line, notes: [], config: { kind, audience, body } });
  }
  return { objects, notes };
}

/** "Primary on-call", "L2 support", "Backup": a rota an escalation policy pages, not a role someone takes on an incident. */
const ROTA = /on[- ]?call|\brota\b|rotation|\bl\d\b|\btier\b|pager|^(primary|secondary|backup)$|\bsupport\b/i;

/**
 * Incident roles: those a section about roles describes (with their duties), then the roles of
 * contact tables (Role | Primary | Secondary) that are roles rather than rotas. One object per
 * key: "Incident Commander (IC)" and "IC" are the catalogue's `commander` (role-keys.ts).
 */
function rolesOf(doc: ImportedDocument): { objects: PlannedObject[]; notes: string[] } {
  const notes: string[] = [];
  const byKey = new Map<string, Extract<PlannedObject, { kind: 'incident-role' }>>();
  const named = [
    ...(doc.incidentRoles ?? []),
    ...(doc.escalation?.roles ?? []).map((r) => ({ name: r.role, description: undefined, line: undefined, rota: ROTA.test(r.role) })),
  ];
  for (const role of named) {
    if ('rota' in role && role.rota) {
      notes.push(`"${role.name}" (contact table): an on-call rota rather than an incident role; escalation policies page it`);
      continue;
    }
    const key = roleKeyOf(role.name);
    const name = roleDisplayName(role.name);
    if (!key || !name) continue;
    const have = byKey.get(key);
    if (have) {
      if (!have.config.description && role.description) have.config.description = role.description;
      continue;
    }
    byKey.set(key, {
      kind: 'incident-role', id: `incident-role:${key}`, title: name, ...(role.line ? { line: role.line } : {}), notes: [],
      config: { key, name, ...(role.description ? { description: role.description.slice(0, 2000) } : {}) },
    });
  }
  return { objects: [...byKey.values()], notes };
}

export function buildProcessPlan(doc: ImportedDocument, docKey: string): ProcessPlan {
  const objects: PlannedObject[] = [];
  const notes: string[] = [];
  const ladder = ladderOf(doc);
  notes.push(...ladder.notes);
  const keys = ladder.levels.map((l) => l.key);
  const escalation = planEscalation(doc, ladder.levels.map((l) => ({ key: l.key, name: l.name })));
  notes.push(...escalation.notes);
  if (ladder.levels.length >= 1) {
    for (const level of ladder.levels) {
      const policy = escalation.severityDefaults.get(level.key);
      if (policy) level.escalationPolicy = policy;
    }
    const line = doc.outline.find((o) => o.classifiedAs === 'severity-scheme')?.line;
    objects.push({ kind: 'severities', id: 'severities', title: `Severity ladder ${doc.severityScheme?.label ?? ''}`.trim(), ...(line ? { line } : {}), notes: [], config: ladder.levels });
  }
  objects.push(...escalation.policies);
  objects.push(...checklistsOf(doc, docKey, keys));
  const templates = templatesOf(doc, docKey);
  objects.push(...templates.objects);
  notes.push(...templates.notes);
  const roles = rolesOf(doc);
  objects.push(...roles.objects);
  notes.push(...roles.notes);
  const meta = [doc.owner ? `owner ${doc.owner}` : '', doc.reviewIntervalDays ? `review every ${doc.reviewIntervalDays} days` : '', doc.reviewedAt ? `last reviewed ${doc.reviewedAt}` : ''].filter(Boolean);
  if (meta.length) notes.push(`runbook metadata (${meta.join(', ')}) is written onto the document's runbooks when they are imported`);
  return { objects, notes };
}
