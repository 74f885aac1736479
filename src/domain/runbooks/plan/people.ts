import { plainText } from '../parse-markdown.js';

/**
 * People and rotas named in prose: "Page DBA lead and engineering manager", "On-call + team
 * lead", "CTO (P1 only)". Pure. A name becomes a placeholder the user maps to a real user, team
 * or schedule, so it must look like a role or person, not an instruction ("Open the bridge").
 */

const PAGING_VERB = /^(?:page|notify|call|alert|escalate(?:\s+to)?|contact|wake(?:\s+up)?|inform|tell|loop\s+in|ask\s+for|bring\s+in|involve|add|pull\s+in|engage)\s+/i;
const ROLE_WORD = /on-?call|lead|manager|head|director|\bvp\b|\bc[a-z]?o\b|cto|ciso|ceo|engineer|team|owner|commander|\bsre\b|\bdba\b|admin|security|support|rotation|primary|secondary|duty|responder|operations|\bops\b|expert|architect|officer|executive|leadership|staff|rota|escalation/i;
const NOT_A_PERSON = /^(?:next|same|within|none|n\/a|no\b|every|after|before|if|when|only|immediate|asap)/i;

export function cleanName(text: string): string {
  let name = plainText(text).replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  name = name.replace(/^(?:the|a|an|our|your)\s+/i, '').replace(/[.;:,]+$/, '').trim();
  name = name.replace(/\s+(?:after|within|at|in)\s+\d.*$/i, '').trim();
  return name ? name.charAt(0).toUpperCase() + name.slice(1) : '';
}

export function looksLikePerson(text: string): boolean {
  const name = cleanName(text);
  return name.length > 1 && name.length <= 60 && !NOT_A_PERSON.test(name) && ROLE_WORD.test(name);
}

/** "On-call and the head of engineering" → ["On-call", "Head of engineering"]. */
export function splitPeople(text: string): string[] {
  return plainText(text)
    .split(/\s*(?:\+|,|&|\/|\band\b|\bthen\b|\bplus\b)\s*/i)
    .map(cleanName)
    .filter((n) => looksLikePerson(n));
}

/** The people an action pages: "Page DBA lead and engineering manager"; [] for "Open the bridge". */
export function peopleInAction(action: string): string[] {
  const text = plainText(action).trim();
  const verb = PAGING_VERB.exec(text);
  if (verb) return splitPeople(text.slice(verb[0].length));
  return looksLikePerson(text) && !/\s(?:the|a)\s/i.test(text.replace(/^(?:the|a)\s+/i, '')) ? splitPeople(text) : [];
}

/** user / team / schedule: what a name most likely is ("on-call" is a rota, "team" a team). */
export function suggestedType(name: string): 'user' | 'team' | 'schedule' {
  if (/on-?call|rotation|rota|primary|secondary|duty/i.test(name)) return 'schedule';
  if (/team|\bops\b|operations|support|security|leadership|staff/i.test(name) && !/lead\b|head|manager/i.test(name)) return 'team';
  return 'user';
}
