/**
 * How the CLI prints. Humans get aligned tables, relative times and (on a terminal) colour;
 * `--json` prints the server's JSON untouched on stdout so scripts can pipe it to `jq`.
 * Errors never come through here: they go to stderr in `main.ts`.
 */

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

export const NO_STYLE: Style = { bold: plain, dim: plain, red: plain, yellow: plain, green: plain, cyan: plain };
export const ANSI_STYLE: Style = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), cyan: sgr(36, 39) };

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org) or TERM=dumb. */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export interface Output {
  json: boolean;
  style: Style;
  /** Reference time for "5m ago". */
  now: number;
  /** Prints `value` as JSON with `--json`, otherwise the human rendering. */
  emit(value: unknown, human: () => string): void;
}

export function createOutput(options: { json?: boolean }, stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Output {
  const json = options.json === true;
  return {
    json,
    style: colorEnabled(stream, env) ? ANSI_STYLE : NO_STYLE,
    now: Date.now(),
    emit(value, human) {
      const text = json ? JSON.stringify(value, null, 2) : human();
      stream.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
export const visibleLength = (text: string): number => [...text.replace(ANSI, '')].length;

/** Columns padded to their widest cell; the last column is not padded, so lines carry no trailing blanks. */
export function table(headers: string[], rows: string[][], style: Style = NO_STYLE): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, col) => Math.max(...all.map((row) => visibleLength(row[col] ?? ''))));
  const line = (row: string[], paint: (s: string) => string = plain) =>
    row
      .map((cell, col) => (col === row.length - 1 ? paint(cell) : paint(cell) + ' '.repeat((widths[col] ?? 0) - visibleLength(cell))))
      .join('  ')
      .trimEnd();
  return [line(headers, style.dim), ...rows.map((r) => line(r))].join('\n');
}

/** "just now", "5m ago", "3h ago", "2d ago", "in 10m"; older than 60 days becomes a date. */
export function relativeTime(iso: string | null | undefined, now: number): string {
  if (!iso) return '-';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const diff = now - at;
  const seconds = Math.round(Math.abs(diff) / 1000);
  if (seconds < 10) return 'just now';
  const amount =
    seconds < 60 ? `${seconds}s`
    : seconds < 3600 ? `${Math.floor(seconds / 60)}m`
    : seconds < 48 * 3600 ? `${Math.floor(seconds / 3600)}h`
    : seconds < 60 * 86400 ? `${Math.floor(seconds / 86400)}d`
    : null;
  if (amount === null) return iso.slice(0, 10);
  return diff >= 0 ? `${amount} ago` : `in ${amount}`;
}

/** Local wall-clock time, `YYYY-MM-DD HH:MM:SS`; TZ decides the zone, as for `date`. */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * Severity keys are configuration (SEV1, P0, …), so colour follows the number in the key: the
 * lower, the louder. A key without a number prints plain.
 */
export function severityWord(severity: string, style: Style): string {
  const n = Number(/(\d+)/.exec(severity)?.[1] ?? NaN);
  if (n <= 1) return style.bold(style.red(severity));
  if (n === 2) return style.red(severity);
  if (n === 3) return style.yellow(severity);
  return severity;
}

export function statusWord(status: string, style: Style): string {
  switch (status) {
    case 'triggered':
      return style.bold(style.red(status));
    case 'acknowledged':
    case 'investigating':
    case 'identified':
      return style.yellow(status);
    case 'monitoring':
      return style.cyan(status);
    case 'resolved':
      return style.green(status);
    default:
      return status;
  }
}

/** One line: whitespace (newlines included) collapsed, cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

/** Indents every line of a block, for Markdown bodies under a heading. */
export function indent(text: string, prefix = '  '): string {
  return text
    .split('\n')
    .map((l) => (l ? prefix + l : l))
    .join('\n');
}
