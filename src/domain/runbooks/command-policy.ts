import { z } from 'zod';
import { fullMatchRe2, re2SyntaxError } from '../../core/re2.js';

/**
 * What a runner may execute. Commands never go through a shell: they are split into argv here
 * and spawned directly, so `;`, pipes, redirects, `$(…)` and globs are refused instead of
 * interpreted — what the responder saw is exactly what runs. The same check runs on the server
 * (against the runner's admin-set allow-list) and in the runner (against its own local list).
 */

export const AllowRule = z.union([
  z.object({ type: z.literal('prefix'), value: z.string().trim().min(1).max(500) }),
  z.object({
    type: z.literal('regex'),
    value: z.string().min(1).max(500).superRefine((v, ctx) => {
      const error = re2SyntaxError(v);
      if (error !== null) ctx.addIssue({ code: 'custom', message: `is not a valid regular expression (RE2): ${error}` });
    }),
  }),
]);
export type AllowRule = z.infer<typeof AllowRule>;

export const MAX_COMMAND_LENGTH = 4096;

export type ParsedCommand = { ok: true; argv: string[]; normalised: string } | { ok: false; reason: string };

const UNQUOTED_FORBIDDEN: Record<string, string> = {
  ';': 'command separators (;) are not run', '&': 'background and && chains are not run', '|': 'pipes are not run',
  '<': 'redirections are not run', '>': 'redirections are not run', '(': 'subshells are not run', ')': 'subshells are not run',
  '*': 'globs are not expanded', '?': 'globs are not expanded', '~': 'home expansion is not done', '{': 'brace expansion is not done', '}': 'brace expansion is not done',
};

/** Splits a command like a POSIX shell would for simple commands, refusing everything else. */
export function parseCommand(command: string): ParsedCommand {
  const text = command.replace(/\\\n\s*/g, ' ').trim();
  if (text === '') return { ok: false, reason: 'the command is empty' };
  if (text.length > MAX_COMMAND_LENGTH) return { ok: false, reason: `the command is longer than ${MAX_COMMAND_LENGTH} characters` };
  if (/[\n\r\0]/.test(text)) return { ok: false, reason: 'multi-line commands are not run; split them into steps' };
  const argv: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = '';
      else current += c;
      continue;
    }
    if (c === '$' || c === '`') return { ok: false, reason: 'variables and command substitution ($, `) are not expanded' };
    if (quote === '"') {
      if (c === '"') quote = '';
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) current += text[++i]!;
      else current += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inToken = true;
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) return { ok: false, reason: 'the command ends with a backslash' };
      current += next;
      inToken = true;
      i++;
    } else if (c === ' ' || c === '\t') {
      if (inToken) argv.push(current);
      current = '';
      inToken = false;
    } else if (UNQUOTED_FORBIDDEN[c] !== undefined || (c === '#' && !inToken)) {
      return { ok: false, reason: c === '#' ? 'comments are not run' : UNQUOTED_FORBIDDEN[c]! };
    } else {
      current += c;
      inToken = true;
    }
  }
  if (quote !== '') return { ok: false, reason: 'a quote is never closed' };
  if (inToken) argv.push(current);
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0] ?? '')) return { ok: false, reason: 'environment assignments are not run' };
  return { ok: true, argv, normalised: argv.map(quoteArg).join(' ') };
}

function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export type PolicyDecision = { allowed: true; argv: string[]; rule: AllowRule } | { allowed: false; reason: string };

/**
 * Allowed when a prefix rule's words are the command's first words (`kubectl get` allows
 * `kubectl get pods`, not `kubectl getx` nor `kubectl delete`), or a regex rule matches the
 * whole normalised command.
 */
export function checkCommand(command: string, rules: readonly AllowRule[]): PolicyDecision {
  const parsed = parseCommand(command);
  if (!parsed.ok) return { allowed: false, reason: parsed.reason };
  if (rules.length === 0) return { allowed: false, reason: 'the allow-list is empty: nothing may run' };
  for (const rule of rules) {
    if (rule.type === 'prefix') {
      const prefix = parseCommand(rule.value);
      if (!prefix.ok) continue;
      if (prefix.argv.length <= parsed.argv.length && prefix.argv.every((word, i) => parsed.argv[i] === word)) {
        return { allowed: true, argv: parsed.argv, rule };
      }
    } else if (fullMatchRe2(rule.value, parsed.normalised) === true) {
      return { allowed: true, argv: parsed.argv, rule };
    }
  }
  return { allowed: false, reason: `'${parsed.normalised}' is not on the allow-list` };
}

/** `prefix:kubectl get`, `regex:^ls( -l)?$`, or a bare prefix. */
export function parseAllowRule(text: string): AllowRule {
  if (text.startsWith('regex:')) return AllowRule.parse({ type: 'regex', value: text.slice(6) });
  return AllowRule.parse({ type: 'prefix', value: text.startsWith('prefix:') ? text.slice(7) : text });
}
