import type { EscalationPath, ImportedDocument } from '../import/types.js';
import { normaliseSeverityId, namedSeverityLevel } from '../severity-scheme.js';
import { parseDuration } from '../targets.js';
import { cleanName, looksLikePerson, peopleInAction, splitPeople } from './people.js';
import { PLACEHOLDER_PREFIX, type PlannedObject } from './types.js';

type PolicyObject = Extract<PlannedObject, { kind: 'escalation-policy' }>;
type Level = PolicyObject['config']['levels'][number];

/** Between two levels the document gives no time for: assumed, and said so in the plan. */
export const DEFAULT_LEVEL_GAP_SECONDS = 900;
/** The longest wait a policy level may have (escalation/policy.ts). */
const MAX_LEVEL_GAP_SECONDS = 86_400;

const target = (name: string) => `${PLACEHOLDER_PREFIX}${name}`;

/** "P1 only", "critical only", "SEV-1" → the ladder's keys it names. */
export function severitiesNamed(text: string, ladder: { key: string; name: string }[]): string[] {
  const found = new Set<string>();
  for (const word of text.split(/[\s,/]+|\band\b|\bor\b/)) {
    if (!word) continue;
    const named = namedSeverityLevel(word);
    const id = normaliseSeverityId(word) ?? named?.id;
    const byKey = ladder.find((l) => l.key.toUpperCase() === (id ?? word).toUpperCase());
    const byName = ladder.find((l) => l.name.toLowerCase() === word.toLowerCase());
    // "critical only" on a numbered ladder (SEV-1…): the level at that rank, most severe first.
    const byRank = named && !normaliseSeverityId(word) ? ladder[named.rank - 1] : undefined;
    const hit = byKey ?? byName ?? byRank;
    if (hit) found.add(hit.key);
  }
  return [...found];
}

function policyName(doc: ImportedDocument, suffix: string): string {
  return `${doc.title.replace(/\s*[—–-]\s.*$/, '').trim() || 'Imported'} ${suffix}`.slice(0, 200);
}

/** A written path (levels or arrows) → levels with waits between them, plus "if not resolved" entries. */
function pathPolicy(doc: ImportedDocument, path: EscalationPath, index: number, ladder: { key: string; name: string }[]): PolicyObject | undefined {
  const notes: string[] = [];
  const levels: Level[] = [];
  const ifUnresolved: PolicyObject['config']['ifUnresolved'] = [];
  let label: string | undefined;
  const stages = path.levels?.map((l) => ({ who: l.who, after: l.afterSeconds, condition: l.condition, note: l.note }))
    ?? path.stages.map((s) => ({ who: s, after: parseDuration(s)?.maxSeconds, condition: undefined, note: /\bonly\b/i.test(s) ? s : undefined }));
  // "Suspected fraud → Risk on-call → CISO": a first stage that is no one names the path.
  if (stages.length > 1 && !looksLikePerson(stages[0]!.who) && stages.slice(1).some((s) => looksLikePerson(s.who))) label = cleanName(stages.shift()!.who);
  let previousAt = 0;
  for (const [i, stage] of stages.entries()) {
    const people = splitPeople(stage.who);
    if (people.length === 0) {
      notes.push(`"${stage.who}" does not name a person or rota; left out`);
      continue;
    }
    let at: number;
    if (levels.length === 0 && ifUnresolved.length === 0) at = 0;
    else if (stage.after !== undefined && stage.after > previousAt) at = stage.after;
    else {
      at = previousAt + DEFAULT_LEVEL_GAP_SECONDS;
      notes.push(`level ${i + 1} (${people.join(', ')}): the document gives no time; ${DEFAULT_LEVEL_GAP_SECONDS / 60} minutes after the previous level assumed`);
    }
    const severities = stage.note ? severitiesNamed(stage.note, ladder) : [];
    if (at - previousAt > MAX_LEVEL_GAP_SECONDS && !(stage.condition === 'unresolved' && at <= 7 * 86_400)) {
      notes.push(`level ${i + 1} (${people.join(', ')}): the document waits longer than a day; 1 day used`);
      at = previousAt + MAX_LEVEL_GAP_SECONDS;
    }
    if (stage.condition === 'unresolved' && at >= 60) {
      ifUnresolved.push({ after: at, targets: people.map(target) });
      continue;
    }
    levels.push({ after: at - previousAt, targets: people.map(target), ...(severities.length ? { severities } : {}) });
    previousAt = at;
  }
  if (levels.length === 0) return undefined;
  const name = policyName(doc, label ? `escalation: ${label}` : index === 0 ? 'escalation' : `escalation ${index + 1}`);
  return { kind: 'escalation-policy', id: `escalation-policy:${name}`, title: name, line: path.line, notes, config: { name, levels, ifUnresolved, repeat: 0 } };
}

export interface PlannedEscalation {
  policies: PolicyObject[];
  /** Severity key → the policy that pages for it by default. */
  severityDefaults: Map<string, string>;
  notes: string[];
}

/**
 * Escalation as documents write it, as policies whose people are placeholders:
 * paths ("L1 on-call 5 min → L2 lead 15 min → L3 manager", "critical only"), per-severity
 * sections or columns ("SEV-1: page the manager") that become that severity's default, and
 * matrix rows ("Quorum lost → page on-call + team lead") kept as policies a routing rule can pick.
 */
export function planEscalation(doc: ImportedDocument, ladder: { key: string; name: string }[]): PlannedEscalation {
  const policies: PolicyObject[] = [];
  const severityDefaults = new Map<string, string>();
  const notes: string[] = [];
  const add = (p: PolicyObject) => {
    if (policies.some((q) => q.config.name === p.config.name)) return false;
    policies.push(p);
    return true;
  };
  (doc.escalation?.paths ?? []).forEach((path, i) => {
    const p = pathPolicy(doc, path, i, ladder);
    if (p) add(p);
  });
  // The first path is the team's general escalation: the default of every level that has none of its own.
  const general = policies[0]?.config.name;
  for (const rule of doc.escalation?.rules ?? []) {
    const people = [...new Set(rule.actions.flatMap(peopleInAction))];
    if (people.length === 0) {
      notes.push(`escalation rule "${rule.condition}" (line ${rule.line}) pages no one by name; kept on the document`);
      continue;
    }
    const severity = rule.severity ? severitiesNamed(rule.severity, ladder)[0] : undefined;
    const wait = parseDuration(rule.condition)?.maxSeconds;
    const name = policyName(doc, severity ? `${severity} escalation` : `escalation: ${cleanName(rule.condition).slice(0, 80)}`);
    const levels: Level[] = wait ? [{ after: 0, targets: ['placeholder:On-call'] }, { after: Math.min(wait, MAX_LEVEL_GAP_SECONDS), targets: people.map(target) }] : [{ after: 0, targets: people.map(target) }];
    const ruleNotes = severity ? [] : [`"${rule.condition}" is prose: attach this policy with a routing rule that matches those alerts`];
    if (add({ kind: 'escalation-policy', id: `escalation-policy:${name}`, title: name, line: rule.line, notes: ruleNotes, config: { name, levels, ifUnresolved: [], repeat: 0 } }) && severity) severityDefaults.set(severity, name);
  }
  for (const level of doc.severityScheme?.levels ?? []) {
    const key = ladder.find((l) => l.key.toUpperCase() === level.id.toUpperCase())?.key;
    if (!key || severityDefaults.has(key) || !level.escalation) continue;
    const people = splitPeople(level.escalation);
    if (people.length === 0) continue;
    const name = policyName(doc, `${key} escalation`);
    if (add({ kind: 'escalation-policy', id: `escalation-policy:${name}`, title: name, notes: [], config: { name, levels: [{ after: 0, targets: people.map(target) }], ifUnresolved: [], repeat: 0 } })) severityDefaults.set(key, name);
  }
  if (general) for (const l of ladder) if (!severityDefaults.has(l.key)) severityDefaults.set(l.key, general);
  return { policies, severityDefaults, notes };
}
