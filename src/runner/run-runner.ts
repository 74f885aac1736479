import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { errorFromResponse } from '../cli/client.js';
import { checkCommand, type AllowRule } from '../domain/runbooks/command-policy.js';
import { executeCommand } from './execute-command.js';

export interface RunnerOptions {
  url: string;
  token: string;
  /** The runner's own allow-list, checked again here whatever the server says. */
  allow: readonly AllowRule[];
  log: Logger;
  /** Upper bound on any job's timeout, whatever the job asks for. */
  maxTimeoutSeconds?: number;
  /** Seconds each long poll may wait on the server. */
  pollWaitSeconds?: number;
  signal?: AbortSignal;
  version?: string;
}

interface Job {
  id: string;
  command: string;
  /** Secret values masked; older servers do not send it, and then nothing of the command is logged. */
  shownCommand?: string;
  argv: string[];
  timeoutSeconds: number;
  outputLimitBytes: number;
}

/** The runner's side of the protocol over `fetch`, authenticated by X-Runner-Token. */
class RunnerClient {
  readonly #url: string;
  readonly #token: string;
  constructor(url: string, token: string) {
    this.#url = url.replace(/\/+$/, '');
    this.#token = token;
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 30_000, signal?: AbortSignal): Promise<T> {
    const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
    let response: Response;
    try {
      response = await fetch(this.#url + path, {
        method,
        headers: { 'x-runner-token': this.#token, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      throw new AppError('UNAVAILABLE', `cannot reach Firebreak at ${this.#url} (${(error as Error).message})`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw errorFromResponse(response.status, text, response.headers.get('retry-after'));
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/**
 * Output is sent in pieces as it arrives, at most every `intervalMs`, so the timeline shows
 * progress without one request per line.
 */
function outputStreamer(client: RunnerClient, jobId: string, log: Logger, intervalMs = 300) {
  let buffer = '';
  let timer: NodeJS.Timeout | null = null;
  let sending: Promise<void> = Promise.resolve();
  const flush = () => {
    timer = null;
    const text = buffer;
    buffer = '';
    if (!text) return;
    sending = sending.then(async () => {
      for (let i = 0; i < text.length; i += 16_000) {
        await client.call('POST', `/api/v1/runner/jobs/${jobId}/output`, { chunk: text.slice(i, i + 16_000) }).catch((error: unknown) => {
          log.warn('runner', 'could not send output', { job: jobId, error: (error as Error).message });
        });
      }
    });
  };
  return {
    push(chunk: string) {
      buffer += chunk;
      timer ??= setTimeout(flush, intervalMs);
    },
    async close() {
      if (timer) clearTimeout(timer);
      flush();
      await sending;
    },
  };
}

/** Executes one claimed job: refuses it unless the local allow-list permits it, else runs and reports. */
export async function handleJob(client: RunnerClient, job: Job, options: RunnerOptions): Promise<void> {
  const decision = checkCommand(job.command, options.allow);
  if (!decision.allowed) {
    options.log.warn('runner', 'refused a job outside the local allow-list', { job: job.id, command: job.shownCommand ?? '(not shown)', reason: decision.reason });
    await client.call('POST', `/api/v1/runner/jobs/${job.id}/finish`, { refused: true, reason: decision.reason });
    return;
  }
  // Run what this runner parsed from the command, never an argv the server sent.
  const timeoutSeconds = Math.min(job.timeoutSeconds, options.maxTimeoutSeconds ?? 900);
  // Logs get the masked command: a secret value filled into it must not reach a log file.
  options.log.info('runner', 'running', { job: job.id, command: job.shownCommand ?? '(not shown)', timeoutSeconds });
  const stream = outputStreamer(client, job.id, options.log);
  const result = await executeCommand(decision.argv, { timeoutSeconds, outputLimitBytes: job.outputLimitBytes }, (chunk) => stream.push(chunk));
  if (result.error) stream.push(`${result.error}\n`);
  await stream.close();
  await client.call('POST', `/api/v1/runner/jobs/${job.id}/finish`, {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    truncated: result.truncated,
    ...(result.error ? { reason: result.error } : {}),
  });
  options.log.info('runner', 'finished', { job: job.id, exitCode: result.exitCode, timedOut: result.timedOut, truncated: result.truncated });
}

/**
 * The runner loop: register, then long-poll for approved jobs and execute them one at a time
 * until `signal` aborts. Network errors back off and retry; an invalid token stops the runner.
 */
export async function runRunner(options: RunnerOptions): Promise<void> {
  const client = new RunnerClient(options.url, options.token);
  const me = await client.call<{ id: string; name: string }>('POST', '/api/v1/runner/register', { allow: options.allow, version: options.version });
  options.log.info('runner', 'registered', { id: me.id, name: me.name, allow: options.allow.length });
  const wait = options.pollWaitSeconds ?? 25;
  let backoff = 1000;
  while (!options.signal?.aborted) {
    try {
      const { job } = await client.call<{ job: Job | null }>('GET', `/api/v1/runner/jobs?wait=${wait}`, undefined, (wait + 10) * 1000, options.signal);
      backoff = 1000;
      if (job) await handleJob(client, job, options);
    } catch (error) {
      if (options.signal?.aborted) break;
      if (error instanceof AppError && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN')) throw error;
      options.log.warn('runner', 'poll failed; retrying', { error: (error as Error).message, inMs: backoff });
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, 30_000);
    }
  }
}
