/**
 * Placeholders are the blanks a responder fills in: `<pod-name>`, `$NODE_ID`, `${NODE_ID}`,
 * `{date}`, `[brief description]`. Commands are full of look-alikes that are *not* blanks, so
 * detection depends on where the text is:
 *
 * - in commands, `{…}` and `[…]` are jq, awk, JSONPath, PromQL and brace expansion far more
 *   often than blanks (`{print $1}`, `{.items[*]}`, `{1..30}`, `[5m]`), so only `<name>`,
 *   `${NAME}`, upper-case `$NAME` and worded `[brief description]` count there;
 * - `$NAME` counts only in UPPER_CASE (lower-case `$pod`, `$i` are loop variables), never
 *   `$(…)`, `$?`, `$1`, `$$`, `$@`, and not when the same text assigns it (`NAME=…`,
 *   `for NAME in`) or it is a standard shell variable (`$HOME`, `$PATH`).
 */

export type PlaceholderStyle = 'angle' | 'dollar' | 'dollar-brace' | 'brace' | 'bracket';
export type PlaceholderContext = 'command' | 'text';

export interface Placeholder {
  /** Exactly as written, e.g. `<pod-name>`. */
  raw: string;
  /** As written inside the delimiters, e.g. `pod-name`. */
  name: string;
  /** Lookup key: lower case, runs of `-`, space and `.` turned into `_`, e.g. `pod_name`. */
  key: string;
  style: PlaceholderStyle;
}

const HTML_TAGS = new Set([
  'a', 'abbr', 'b', 'body', 'br', 'code', 'details', 'div', 'em', 'head', 'hr', 'html', 'i', 'iframe',
  'img', 'input', 'kbd', 'li', 'link', 'meta', 'ol', 'p', 'pre', 'script', 'span', 'strong', 'style',
  'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'u', 'ul', 'svg', 'object', 'embed',
]);

const SHELL_VARIABLES = new Set([
  'HOME', 'PATH', 'USER', 'PWD', 'OLDPWD', 'SHELL', 'HOSTNAME', 'RANDOM', 'IFS', 'UID', 'EUID', 'PPID',
  'SECONDS', 'LINENO', 'TMPDIR', 'EDITOR', 'LANG', 'TERM', 'BASH_SOURCE', 'PIPESTATUS', 'REPLY', 'OPTARG',
]);

export function placeholderKey(name: string): string {
  return name.trim().toLowerCase().replace(/[-\s.]+/g, '_');
}

// Each pattern is a single character class run between fixed delimiters: linear time.
const ANGLE = /<([A-Za-z][A-Za-z0-9_.\- ]{0,60})>/g;
const DOLLAR_BRACE = /\$\{([A-Za-z_][A-Za-z0-9_]{0,60})\}/g;
const DOLLAR = /\$([A-Z][A-Z0-9_]{1,60})(?![A-Za-z0-9_])/g;
const BRACE = /\{([A-Za-z][A-Za-z0-9_.\-' ]{0,60})\}/g;
const BRACKET = /\[([A-Za-z][A-Za-z0-9_.\-'/ ]{0,60})\](?!\()/g;

function assignedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]{0,60})=/gm)) names.add(m[1]!);
  for (const m of text.matchAll(/\b(?:for|read|select)\s+([A-Za-z_][A-Za-z0-9_]{0,60})\b/g)) names.add(m[1]!);
  return names;
}

function accept(name: string, style: PlaceholderStyle): boolean {
  const trimmed = name.trim();
  if (trimmed !== name || trimmed === '') return false;
  if (style === 'angle') return !HTML_TAGS.has(trimmed.toLowerCase());
  if (style === 'bracket') {
    // `[x]` is a checkbox and `[RESOLVED]` a literal tag in a subject line, not a blank.
    if (trimmed === 'x' || trimmed === 'X') return false;
    if (/^[A-Z0-9_-]+$/.test(trimmed)) return false;
  }
  return true;
}

/** Every placeholder in `text`, in order of first appearance, each once. */
export function findPlaceholders(text: string, context: PlaceholderContext = 'text'): Placeholder[] {
  const found = new Map<string, { index: number; placeholder: Placeholder }>();
  const add = (index: number, raw: string, name: string, style: PlaceholderStyle): void => {
    if (!accept(name, style) || found.has(raw)) return;
    found.set(raw, { index, placeholder: { raw, name, key: placeholderKey(name), style } });
  };
  const assigned = assignedNames(text);
  for (const m of text.matchAll(ANGLE)) add(m.index, m[0], m[1]!, 'angle');
  for (const m of text.matchAll(DOLLAR_BRACE)) {
    if (!assigned.has(m[1]!) && !SHELL_VARIABLES.has(m[1]!)) add(m.index, m[0], m[1]!, 'dollar-brace');
  }
  for (const m of text.matchAll(DOLLAR)) {
    if (!assigned.has(m[1]!) && !SHELL_VARIABLES.has(m[1]!)) add(m.index, m[0], m[1]!, 'dollar');
  }
  if (context === 'text') {
    for (const m of text.matchAll(BRACE)) add(m.index, m[0], m[1]!, 'brace');
  }
  for (const m of text.matchAll(BRACKET)) {
    // In commands only worded blanks (`[incident title]`), never `[0]`, `[*]` or `[[ … ]]`.
    if (context === 'command' && !m[1]!.includes(' ')) continue;
    if (m.index > 0 && text[m.index - 1] === '[') continue;
    add(m.index, m[0], m[1]!, 'bracket');
  }
  return [...found.values()].sort((a, b) => a.index - b.index).map((f) => f.placeholder);
}

/** What a secret value is shown as, wherever people or logs see it. */
export const SECRET_MASK = '********';

const SECRET_WORDS = new Set(['token', 'key', 'apikey', 'password', 'passwd', 'pass', 'pwd', 'secret', 'credential', 'credentials', 'passphrase']);

/**
 * Whether a placeholder's name says it holds a secret: `$STATUS_PAGE_TOKEN`, `<api-key>`,
 * `${DB_PASSWORD}`, `SECRET`, `SMTP_PASS`, `CREDENTIALS`. Judged word by word on the lookup key,
 * so `TOKENIZER` or `monkey` are not.
 */
export function isSecretName(name: string): boolean {
  return placeholderKey(name).split('_').some((word) => SECRET_WORDS.has(word));
}

export interface FillResult {
  /** With the real values: what a runner executes. */
  text: string;
  /** With secret values masked: what people, the timeline, the audit log and logs see. */
  shown: string;
  /** Raw placeholders that were replaced. */
  filled: string[];
  /** Raw placeholders with no value: left in the text for the responder. */
  missing: string[];
  /** Raw placeholders whose value was refused in a command (see below). */
  rejected: string[];
}

/** Characters a value may hold to be pasted into a command without quoting. */
const SAFE_COMMAND_VALUE = /^[A-Za-z0-9_.:/@%+=,-]{1,256}$/;

function lookup(values: ReadonlyMap<string, string>, key: string): { key: string; value: string } | undefined {
  const direct = values.get(key);
  if (direct !== undefined) return { key, value: direct };
  // `<pod-name>` is usually the `pod` label and `$NODE_ID` the `node` label.
  for (const suffix of ['_name', '_id']) {
    if (key.endsWith(suffix) && key.length > suffix.length) {
      const base = key.slice(0, -suffix.length);
      const value = values.get(base);
      if (value !== undefined) return { key: base, value };
    }
  }
  return undefined;
}

/**
 * Fill placeholders from `values` (alert labels, incident fields; keys are matched after
 * {@link placeholderKey}). Missing values stay as written. In command context a value with shell
 * metacharacters is refused: an alert label is attacker-influenced input, and a responder
 * pasting `kubectl delete pod x; rm -rf /` must never be one fill away.
 */
export function fillPlaceholders(
  text: string,
  values: Readonly<Record<string, string>>,
  context: PlaceholderContext = 'text',
  /** Keys (after placeholderKey) a responder marked secret; names that look secret always are. */
  markedSecret: ReadonlySet<string> = new Set(),
): FillResult {
  const table = new Map<string, string>();
  for (const [k, v] of Object.entries(values)) table.set(placeholderKey(k), v);
  const placeholders = findPlaceholders(text, context);
  const filled: string[] = [];
  const missing: string[] = [];
  const rejected: string[] = [];
  const replacements = new Map<string, { value: string; secret: boolean }>();
  for (const p of placeholders) {
    const found = lookup(table, p.key);
    if (found === undefined) missing.push(p.raw);
    else if (context === 'command' && !SAFE_COMMAND_VALUE.test(found.value)) rejected.push(p.raw);
    else {
      const secret = isSecretName(p.key) || isSecretName(found.key) || markedSecret.has(p.key) || markedSecret.has(found.key);
      replacements.set(p.raw, { value: found.value, secret });
      filled.push(p.raw);
    }
  }
  let out = text;
  let shown = text;
  // Longest first so `$NODE_ID` is replaced before a hypothetical `$NODE`.
  for (const raw of [...replacements.keys()].sort((a, b) => b.length - a.length)) {
    const { value, secret } = replacements.get(raw)!;
    out = out.split(raw).join(value);
    shown = shown.split(raw).join(secret ? SECRET_MASK : value);
  }
  return { text: out, shown, filled, missing, rejected };
}

/**
 * The values to hide in free text (runner output): every filled value whose name looks or is
 * marked secret. Short values are left alone, as they would mask ordinary words.
 */
export function secretValuesIn(values: Readonly<Record<string, string>>, markedSecret: ReadonlySet<string>): string[] {
  return Object.entries(values)
    .filter(([k, v]) => v.length >= 4 && (isSecretName(k) || markedSecret.has(placeholderKey(k))))
    .map(([, v]) => v)
    .sort((a, b) => b.length - a.length);
}

/** Replaces each secret value in `text` with the mask. */
export function maskSecretValues(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(SECRET_MASK);
  return out;
}
