import { Option, type Command } from 'commander';
import { AppError } from '../core/errors.js';
import { clientFrom, type ConnectionOptions, type FirebreakClient } from './client.js';
import { createOutput, type Output } from './output.js';

/** What every server-talking command accepts besides its own options. */
export interface CommonOptions extends ConnectionOptions {
  json?: boolean;
}

/**
 * Adds --url, --api-key, --timeout and --json to every leaf command under `parent`. Called after
 * the leaves are defined, so `--help` lists each command's own options first.
 */
export function addCommonOptions(parent: Command): void {
  for (const command of parent.commands) {
    if (command.commands.length > 0) addCommonOptions(command);
    else withConnection(command);
  }
}

/** The common options on one leaf command (a top-level command without sub-commands). */
export function withConnection(command: Command): Command {
  const group = (option: Option) => option.helpGroup('Common options:');
  return command
    .addOption(group(new Option('--url <url>', 'server URL (env FIREBREAK_URL, default http://127.0.0.1:8080)')))
    .addOption(group(new Option('--api-key <key>', 'API key fbk_… (env FIREBREAK_API_KEY)')))
    .addOption(group(new Option('--timeout <seconds>', 'give up after this long (env FIREBREAK_TIMEOUT, default 30)')))
    .addOption(group(new Option('--json', 'print the raw JSON response on stdout, for scripts')));
}

/** Appends an "Examples:" block to `--help`. */
export function withExamples(command: Command, examples: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

export function connect(options: CommonOptions): { client: FirebreakClient; out: Output } {
  return { client: clientFrom(options), out: createOutput(options) };
}

/** `-` means "read it from stdin", so notes can come from a file or another program. */
export async function textArgument(value: string, field: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  if (value !== '-') return value;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw new AppError('VALIDATION', `${field}: nothing was read from stdin`, { issues: [{ field, message: 'stdin was empty' }] });
  return text;
}

/** `read,write` or `read write` → ['read', 'write']. */
export function listOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/** Path segment for `42`, `#42` or `inc_…`; the server decides which it is. */
export const incidentPath = (ref: string): string => `/api/v1/incidents/${encodeURIComponent(ref.trim())}`;
