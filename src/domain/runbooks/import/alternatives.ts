/**
 * Alternative paths: sibling sections a responder chooses between ("Single node failure
 * (worker)" vs "(coordinator)", "Quorum loss with recoverable nodes" vs "… unrecoverable nodes",
 * "If on Kubernetes" vs "If on a VM"). Only one of them is followed in an incident, so run
 * progress counts one path and the others are not "undone".
 *
 * Recognised from structure, never from a document's own words:
 * 1. the parent heading names a choice ("… Workflows", "Options", "Scenarios", "Cases",
 *    "Approaches", "depending on …"): every actionable child is a path;
 * 2. children that state their own condition: a title starting "If/When/For/In case/Option/Path/
 *    Case/Plan", or a first paragraph starting "When:", "If:", "Use when", "Applies when";
 * 3. children that share a stem and differ in a qualifier: "X (A)" / "X (B)", or the same three
 *    or more first words with different endings ("Quorum loss with recoverable nodes" / "… unrecoverable …").
 * Numbered or "Step N" children are a sequence, never alternatives.
 */

export interface AlternativeCandidate {
  title: string;
  /** The section yields steps (background-only sections are never a path). */
  actionable: boolean;
  /** Plain text of the section's first paragraph, if any. */
  firstParagraph: string;
}

export interface AlternativeSet {
  title: string;
  /** Indexes into the candidates, in document order. */
  members: number[];
}

const CHOICE_PARENT = /\b(workflows?|options|scenarios|paths|cases|alternatives|approaches|strategies|variants|situations|playbooks|procedures by|depending on|choose|pick one|one of)\b/i;
const CONDITION_TITLE = /^(if|when|for|in case( of)?|option|path|case|plan|alternative|approach|variant|scenario)\b/i;
const CONDITION_LEAD = /^\W*(when|if|use (this )?(when|if)|applies( when| if)?|condition|only if|choose this)\b\W/i;
const SEQUENCE = /^(\d{1,3}[.):]|(step|stage|phase|part)\s*\d|[a-z][.)]\s)/i;

export function alternativeSets(parentTitle: string, candidates: readonly AlternativeCandidate[]): AlternativeSet[] {
  const actionable = candidates.map((c, i) => ({ ...c, i })).filter((c) => c.actionable && c.title.trim() !== '');
  if (actionable.length < 2) return [];
  if (actionable.some((c) => SEQUENCE.test(c.title.trim()))) return [];

  if (CHOICE_PARENT.test(parentTitle)) return [{ title: parentTitle.trim(), members: actionable.map((c) => c.i) }];

  const conditional = actionable.filter((c) => CONDITION_TITLE.test(c.title.trim()) || CONDITION_LEAD.test(c.firstParagraph.trim()));
  if (conditional.length >= 2) return [{ title: parentTitle.trim() || 'Choose one', members: conditional.map((c) => c.i) }];

  return stemSets(actionable);
}

/** Children sharing a stem: by title without its `(…)` qualifier, else by the first two or more words. */
function stemSets(items: readonly (AlternativeCandidate & { i: number })[]): AlternativeSet[] {
  const byStem = new Map<string, { title: string; members: number[] }>();
  for (const c of items) {
    const stem = qualifierStem(c.title);
    if (!stem) continue;
    const set = byStem.get(stem.key) ?? { title: stem.title, members: [] };
    set.members.push(c.i);
    byStem.set(stem.key, set);
  }
  const sets = [...byStem.values()].filter((s) => s.members.length >= 2);
  const taken = new Set(sets.flatMap((s) => s.members));
  const rest = items.filter((c) => !taken.has(c.i));
  for (let a = 0; a < rest.length; a++) {
    const group = [rest[a]!];
    const words = wordsOf(rest[a]!.title);
    for (let b = a + 1; b < rest.length; b++) {
      const other = wordsOf(rest[b]!.title);
      // Three shared first words: "Failover to region A" / "Failover to region B"; two ("Check disk
      // usage" / "Check disk latency") are as often a sequence as a choice.
      if (commonPrefix(words, other) >= 3 && words.join(' ') !== other.join(' ')) group.push(rest[b]!);
    }
    if (group.length >= 2) {
      const shared = group.map((g) => wordsOf(g.title)).reduce((p, w) => p.slice(0, commonPrefix(p, w))).length;
      sets.push({ title: rest[a]!.title.trim().split(/\s+/).slice(0, shared).join(' '), members: group.map((g) => g.i) });
      for (const g of group) rest.splice(rest.indexOf(g), 1);
      a = -1;
    }
  }
  return sets.sort((x, y) => x.members[0]! - y.members[0]!);
}

function qualifierStem(title: string): { key: string; title: string } | null {
  const m = /^(.{2,}?)\s*\(([^()]{1,60})\)\s*$/.exec(title.trim());
  return m ? { key: m[1]!.toLowerCase(), title: m[1]! } : null;
}

function wordsOf(title: string): string[] {
  return title.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
