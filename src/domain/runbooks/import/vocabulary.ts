import { plainText } from '../parse-markdown.js';
import type { PhaseKind, SectionClass, TemplateKind } from './types.js';
import { withoutParenthesised } from './sections.js';

/** Words that say what a heading is: a phase, a document-level section, a template, a container. */

export const PHASE_RULES: [RegExp, PhaseKind][] = [
  [/post[- ]?(incident|mortem)|follow[- ]?up|lessons|retro/i, 'post-incident'],
  [/verif|validat|confirm|smoke|resolution|^resolve/i, 'verification'],
  [/symptom|signs|indicator/i, 'symptoms'],
  [/immediate|initial (response|actions?)|first response|acknowledg/i, 'immediate'],
  [/escalat/i, 'escalation'],
  [/mitigat|contain|workaround|quick (fix|wins?)|remediat|route around/i, 'mitigation'],
  [/recover|restor|rollback|roll back|failover|reconfigur|repair/i, 'recovery'],
  [/investigat|triage|diagnos|assess|gather|queries|analysis/i, 'investigation'],
  [/likely causes?|possible causes?|root causes?|^causes?$/i, 'causes'],
  [/detect|^alerts?$|monitoring/i, 'detection'],
  [/communicat|notify|notification|stakeholder|status page/i, 'communication'],
];

/** Phase kind of a short heading; sentences ("For planned chaos experiments…") are not phases. */
export function phaseKindOf(title: string): PhaseKind | undefined {
  const core = withoutParenthesised(plainText(title)).replace(/^\s*\d{1,3}[.)]\s*/, '').trim();
  if (core.split(/\s+/).length > 5 || /scenario/i.test(core)) return undefined;
  for (const [re, kind] of PHASE_RULES) if (re.test(core)) return kind;
  return undefined;
}

export const CONTAINER = /\b(issues|incidents|scenarios|problems|playbooks|runbooks)\b|^common\b/i;

export function docClassOf(title: string): SectionClass | undefined {
  const t = plainText(title).toLowerCase().replace(/^\d{1,3}[.)]\s*/, '');
  if (/^(table of )?contents$|^toc$/.test(t)) return 'navigation';
  if (/^(overview|introduction|about|purpose|scope|summary)\b/.test(t)) return 'overview';
  if (/^(incident )?(severity( levels?| scheme| matrix| definitions)?|severities|classification|priority( levels)?|priorities)$/.test(t)) {
    return 'severity-scheme';
  }
  if (/templates?$|^(on-call )?hand-?off|^communication templates|^(messages?|notices|announcements|wording)$/.test(t)) return 'templates';
  if (/^who (gets|to) (paged|page|call)\b|^(paging|call|escalation) (tree|chain|order|policy)$/.test(t)) return 'escalation';
  if (/^(emergency )?contacts|^on-call( rotation| contacts)?$/.test(t)) return 'escalation';
  // "Escalation", "Escalation Ladder", "How we escalate", "Escalation paths & contacts": short titles
  // that start with it
  // ("Failure Detection & Escalation" is a scenario that ends in escalating, not the policy.)
  if (/^(escalation|escalating|how (we|to) escalate|when to escalate)\b/.test(t) && t.split(/\s+/).length <= 5) return 'escalation';
  if (isRolesTitle(t)) return 'roles';
  if (/checklist|framework/.test(t)) return 'checklists';
  if (/^post[- ]incident|^post[- ]mortem|^follow[- ]up|^afterwards$|^after the incident$|^wrap[- ]?up$|^aftermath$/.test(t)) return 'checklists';
  if (/appendix|reference|^related/.test(t)) return 'reference';
  return undefined;
}

/** "Roles", "Incident Roles", "Roles & Responsibilities", "RACI Matrix", "Who does what". */
export function isRolesTitle(title: string): boolean {
  const t = plainText(title).toLowerCase().replace(/^\d{1,3}[.)]\s*/, '').trim();
  return /^((incident|response|responder|team|key|command) )?(roles?|responsibilities)( (and|&) (responsibilities|duties|roles))?( matrix| chart)?$|^raci( matrix| chart| table)?$|^who does what$|^(incident )?command structure$/.test(t);
}

export function templateKindOf(title: string): TemplateKind {
  const t = title.toLowerCase();
  if (/post[- ]?mortem|retro/.test(t)) return 'postmortem';
  if (/hand-?off|handover/.test(t)) return 'handoff';
  if (/timeline/.test(t)) return 'timeline';
  if (/status (page )?update|status updates|update$/.test(t)) return 'status-update';
  return 'communication';
}

export function isTemplateTitle(title: string): boolean {
  return /template|status page update|hand-?off|timeline/i.test(title);
}

export function slugify(text: string): string {
  const slug = plainText(text)
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'runbook';
}

// A CamelCase name (`HighLatency alert`). Written `(?:[A-Z][A-Za-z0-9]*){1,8}` it matched the same
// names but backtracked to the 8th power on a long run of capitals (40 took seconds).
export const ALERT_IN_TEXT = /`?\b([A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*)\b`?\s+alert\b/g;
export const ALERTNAME_EQ = /\balertname\s*=~?\s*"?([A-Za-z_][A-Za-z0-9_:]{0,100})"?/g;

export function alertNamesIn(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(ALERT_IN_TEXT)) names.push(m[1]!);
  for (const m of text.matchAll(ALERTNAME_EQ)) names.push(m[1]!);
  return names;
}
