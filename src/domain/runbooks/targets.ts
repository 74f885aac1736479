/**
 * Durations as runbook authors write them: "2 minutes", "5-10 minutes", "< 15 min",
 * "≤ 2 hours", "1 hour", "30s", "Immediate", "0-15 minutes", "30+ min", "up to 5 minutes".
 *
 * A range used as a *target* resolves to its upper bound. "Time to Mitigate: 5-10 minutes"
 * says mitigation normally takes up to ten minutes; alerting at five would flag every ordinary
 * incident as late, and a target is only useful if breaching it means something is wrong.
 */

export interface DurationRange {
  minSeconds?: number;
  maxSeconds?: number;
  /** "Immediate", "ASAP", "now": respond at once (maxSeconds is 0). */
  immediate?: boolean;
}

export interface RunbookTargets {
  acknowledgeSeconds?: number;
  mitigateSeconds?: number;
  resolveSeconds?: number;
}

const UNIT_SECONDS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86_400, day: 86_400, days: 86_400,
  w: 604_800, wk: 604_800, wks: 604_800, week: 604_800, weeks: 604_800,
  business: 0,
};

interface Token {
  kind: 'num' | 'word' | 'op';
  value: string;
}

// A single left-to-right scan; no regex over the whole input, so no backtracking at all.
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const s = input.toLowerCase().slice(0, 200);
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (c === '.' && s[i + 1] !== undefined && s[i + 1]! >= '0' && s[i + 1]! <= '9')) {
      let j = i;
      while (j < s.length && ((s[j]! >= '0' && s[j]! <= '9') || s[j] === '.')) j++;
      tokens.push({ kind: 'num', value: s.slice(i, j) });
      i = j;
    } else if (c >= 'a' && c <= 'z') {
      let j = i;
      while (j < s.length && s[j]! >= 'a' && s[j]! <= 'z') j++;
      tokens.push({ kind: 'word', value: s.slice(i, j) });
      i = j;
    } else if ('-–—<>≤≥+~'.includes(c)) {
      tokens.push({ kind: 'op', value: c === '–' || c === '—' ? '-' : c });
      i++;
    } else i++;
  }
  return tokens;
}

/** Parse a human duration; undefined when the text holds none. */
export function parseDuration(input: string): DurationRange | undefined {
  const tokens = tokenize(input);
  if (tokens.some((t) => t.kind === 'word' && ['immediate', 'immediately', 'asap', 'now'].includes(t.value))) {
    if (!tokens.some((t) => t.kind === 'num')) return { minSeconds: 0, maxSeconds: 0, immediate: true };
  }
  // Collect number(+unit) terms and the operators between them.
  const values: { seconds: number | undefined; raw: number }[] = [];
  let upTo = false;
  let atLeast = false;
  let rangeSeen = false;
  let unitFound: number | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'op') {
      if (t.value === '<' || t.value === '≤') upTo = true;
      else if (t.value === '>' || t.value === '≥') atLeast = true;
      else if (t.value === '+' && values.length > 0) atLeast = true;
      else if (t.value === '-' && values.length > 0) rangeSeen = true;
      continue;
    }
    if (t.kind === 'word') {
      if (['to', 'and'].includes(t.value) && values.length > 0) rangeSeen = true;
      if (['under', 'within', 'max', 'maximum', 'first'].includes(t.value)) upTo = true;
      if (t.value === 'up' && tokens[i + 1]?.value === 'to') upTo = true;
      if (['over', 'least', 'after'].includes(t.value)) atLeast = true;
      continue;
    }
    const raw = Number(t.value);
    if (!Number.isFinite(raw)) continue;
    // "30+ min": the plus sits between the number and its unit.
    if (tokens[i + 1]?.kind === 'op' && tokens[i + 1]!.value === '+') {
      atLeast = true;
      i++;
    }
    const next = tokens[i + 1];
    const unit = next?.kind === 'word' ? UNIT_SECONDS[next.value] : undefined;
    if (unit !== undefined && unit > 0) {
      unitFound = unit;
      values.push({ seconds: raw * unit, raw });
      i++;
      // Compound "1h 30m" / "1 hour 30 minutes": add directly following number+unit pairs.
      while (tokens[i + 1]?.kind === 'num' && tokens[i + 2]?.kind === 'word' && (UNIT_SECONDS[tokens[i + 2]!.value] ?? 0) > 0 && !rangeSeen) {
        const extra = Number(tokens[i + 1]!.value) * UNIT_SECONDS[tokens[i + 2]!.value]!;
        values[values.length - 1]!.seconds! += extra;
        i += 2;
      }
    } else {
      values.push({ seconds: undefined, raw });
    }
    if (values.length >= 2) break;
  }
  if (values.length === 0 || unitFound === undefined) return undefined;
  // "5-10 minutes": the unit written once applies to both ends.
  const seconds = values.map((v) => Math.round(v.seconds ?? v.raw * unitFound!));
  if (values.length >= 2 && rangeSeen) {
    const lo = Math.min(seconds[0]!, seconds[1]!);
    const hi = Math.max(seconds[0]!, seconds[1]!);
    return { minSeconds: lo, maxSeconds: hi };
  }
  const value = seconds[0]!;
  if (atLeast) return { minSeconds: value };
  if (upTo) return { minSeconds: 0, maxSeconds: value };
  return { minSeconds: value, maxSeconds: value };
}

/**
 * The target a duration text commits to: the upper bound of a range, 0 for "Immediate",
 * undefined for open-ended text such as "30+ min" (it says when a phase starts, not a limit).
 */
export function targetSeconds(input: string): number | undefined {
  return parseDuration(input)?.maxSeconds;
}

type TargetKey = keyof RunbookTargets;

/** Which target a label names. MTTR is read as time to *resolve* (recover service). */
export function targetKeyOfLabel(label: string): TargetKey | undefined {
  const l = label.toLowerCase().replace(/[*_`]/g, '').trim();
  if (/\b(mttr|time to (resolve|resolution|recover|recovery|restore)|resolution (time|target)|recovery time|rto|resolve target)\b/.test(l)) {
    return 'resolveSeconds';
  }
  if (/\b(time to mitigate|time to mitigation|mitigation (time|target)|ttm|mttm)\b/.test(l)) return 'mitigateSeconds';
  if (/\b(time to (acknowledge|ack|respond|response)|response time|response target|ack(nowledge)? (time|target)|mtta|tta)\b/.test(l)) {
    return 'acknowledgeSeconds';
  }
  return undefined;
}

/**
 * Labelled targets in free text, one per line: "**Time to Mitigate**: 5-10 minutes",
 * "MTTR Target: 2 minutes", "Response Time: 15 minutes". Later lines of the same kind keep the
 * larger value so a runbook's target holds on every documented path.
 */
export function extractTargets(text: string): RunbookTargets {
  const targets: RunbookTargets = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0 || colon > 80) continue;
    const key = targetKeyOfLabel(line.slice(0, colon));
    if (!key) continue;
    const seconds = targetSeconds(line.slice(colon + 1).replace(/[*_`]/g, ''));
    if (seconds === undefined) continue;
    const current = targets[key];
    targets[key] = current === undefined ? seconds : Math.max(current, seconds);
  }
  return targets;
}

/** Render seconds back for reports and lint messages: 90 → "1m 30s", 7200 → "2h". */
export function formatSeconds(seconds: number): string {
  if (seconds === 0) return 'immediate';
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}

/** Review intervals: "Quarterly", "monthly", "90 days", "every 6 months", or a number of days. */
export function parseReviewIntervalDays(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input > 0 ? Math.round(input) : undefined;
  if (typeof input !== 'string') return undefined;
  const l = input.toLowerCase();
  const named: [RegExp, number][] = [
    [/\bweekly\b/, 7], [/\bfortnightly|bi-?weekly\b/, 14], [/\bmonthly\b/, 30], [/\bquarterly\b/, 91],
    [/\bsemi-?annual(ly)?|half-?yearly|biannual(ly)?\b/, 182], [/\b(annual(ly)?|yearly)\b/, 365],
  ];
  for (const [re, days] of named) if (re.test(l)) return days;
  const m = /(\d{1,4})\s*(day|days|d|week|weeks|w|month|months|mo|year|years|y)\b/.exec(l);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!;
  const days = unit.startsWith('d') ? n : unit.startsWith('w') ? n * 7 : unit.startsWith('mo') || unit === 'month' || unit === 'months' ? n * 30 : n * 365;
  return days > 0 ? days : undefined;
}
