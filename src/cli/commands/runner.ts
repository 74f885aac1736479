import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { VERSION } from '../../app/version.js';
import { AppError } from '../../core/errors.js';
import { jsonLogger } from '../../core/logger.js';
import { parseAllowRule, type AllowRule, type RunnerView } from '../../domain/runbooks/index.js';
import { runRunner } from '../../runner/run-runner.js';
import { addCommonOptions, connect, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface RunnerFile {
  url?: string;
  token?: string;
  allow?: string[];
  allowRegex?: string[];
  maxTimeoutSeconds?: number;
}

function readRunnerFile(path: string): RunnerFile {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('VALIDATION', `config: cannot read ${path} (${(error as Error).message.split('\n')[0]})`, { issues: [{ field: 'config', message: 'unreadable' }] });
  }
  if (!data || typeof data !== 'object') throw new AppError('VALIDATION', `config: ${path} must be a YAML mapping`, { issues: [{ field: 'config', message: 'must be a mapping' }] });
  return data as RunnerFile;
}

function rules(prefixes: readonly unknown[], regexes: readonly unknown[]): AllowRule[] {
  const out: AllowRule[] = [];
  const add = (text: unknown, field: string) => {
    try {
      out.push(parseAllowRule(String(text)));
    } catch {
      throw new AppError('VALIDATION', `${field}: '${String(text)}' is not a valid rule`, { issues: [{ field, message: 'invalid rule' }] });
    }
  };
  for (const p of prefixes) add(p, 'allow');
  for (const r of regexes) add(`regex:${String(r)}`, 'allowRegex');
  return out;
}

export function registerRunnerCommands(program: Command): void {
  withExamples(
    program
      .command('runner')
      .description('Run a runner: executes approved runbook command steps that its own allow-list permits, and streams output back. Nothing runs without one.'),
    [
      'firebreak runner --url https://firebreak.example.com --token fbr_… --allow "kubectl get" --allow "kubectl describe" --allow-regex "systemctl status [a-z-]+"',
      'firebreak runner --config /etc/firebreak/runner.yaml',
    ],
  )
    .option('--url <url>', 'Firebreak server URL (env FIREBREAK_URL)')
    .option('--token <token>', 'runner token fbr_… (env FIREBREAK_RUNNER_TOKEN)')
    .option('--config <file>', 'YAML with url, token, allow (prefixes), allowRegex, maxTimeoutSeconds')
    .option('--allow <prefix>', 'allow commands starting with these words (repeatable)', collect)
    .option('--allow-regex <regex>', 'allow commands matching this whole-command regex (repeatable)', collect)
    .option('--max-timeout <seconds>', 'cap on any job’s timeout', '900')
    .action(async (opts: { url?: string; token?: string; config?: string; allow?: string[]; allowRegex?: string[]; maxTimeout: string }) => {
      const file = opts.config ? readRunnerFile(opts.config) : {};
      const url = opts.url ?? file.url ?? process.env.FIREBREAK_URL;
      const token = opts.token ?? file.token ?? process.env.FIREBREAK_RUNNER_TOKEN;
      if (!url) throw new AppError('VALIDATION', 'url: give --url or FIREBREAK_URL', { issues: [{ field: 'url', message: 'is required' }] });
      if (!token) throw new AppError('VALIDATION', 'token: give --token or FIREBREAK_RUNNER_TOKEN', { issues: [{ field: 'token', message: 'is required' }] });
      const allow = rules([...(file.allow ?? []), ...(opts.allow ?? [])], [...(file.allowRegex ?? []), ...(opts.allowRegex ?? [])]);
      if (allow.length === 0) throw new AppError('VALIDATION', 'allow: the allow-list is empty, so this runner would refuse everything; add --allow or --allow-regex', { issues: [{ field: 'allow', message: 'is empty' }] });
      const log = jsonLogger((line) => process.stderr.write(`${line}\n`));
      const abort = new AbortController();
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => abort.abort());
      await runRunner({ url, token, allow, log, signal: abort.signal, version: VERSION, maxTimeoutSeconds: Number(file.maxTimeoutSeconds ?? opts.maxTimeout) });
    });

  const runners = program.command('runners').description('Register and list runners (admin).');
  withExamples(runners.command('create <name>').description('Register a runner with its server-side allow-list; prints its token once.'), [
    'firebreak runners create ops-box --allow "kubectl get" --allow "kubectl rollout status"',
  ])
    .option('--allow <prefix>', 'allowed command prefix (repeatable)', collect)
    .option('--allow-regex <regex>', 'allowed whole-command regex (repeatable)', collect)
    .action(async (name: string, opts: CommonOptions & { allow?: string[]; allowRegex?: string[] }) => {
      const { client, out } = connect(opts);
      const allow = rules(opts.allow ?? [], opts.allowRegex ?? []);
      const res = await client.post<{ runner: RunnerView; token: string }>('/api/v1/runners', { name, allow });
      out.emit(res, () => `Runner ${res.runner.name} registered (${res.runner.id}).\nToken (shown once): ${res.token}\nStart it with: firebreak runner --url ${client.baseUrl} --token ${res.token} ${allow.map((r) => (r.type === 'prefix' ? `--allow "${r.value}"` : `--allow-regex "${r.value}"`)).join(' ')}`);
    });
  withExamples(runners.command('list').description('List runners, their allow-lists and when they were last seen.'), ['firebreak runners list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const { items } = await client.get<{ items: RunnerView[] }>('/api/v1/runners');
    out.emit({ items }, () => (items.length === 0 ? 'No runners: executing runbook steps is off.' : table(['NAME', 'ALLOW', 'LAST SEEN', 'STATE'], items.map((r) => [r.name, r.allowList.map((a) => (a.type === 'regex' ? `/${a.value}/` : a.value)).join(', '), r.lastSeenAt ?? 'never', r.disabled ? 'disabled' : 'enabled']), out.style)));
  });
  addCommonOptions(runners);
}
