import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type FieldIssue } from '../../core/errors.js';
import type { ImportOptions, ImportReport } from './import-runbooks.js';
import type { ImportRequest } from './import-worker.js';
import { prepareImport, type PreparedImport } from './prepare-import.js';

/**
 * Runbook import and lint off the event loop. Parsing is linear, but a 2 MB document still
 * takes hundreds of milliseconds, during which no request (ingest, paging, /health) would be
 * served; so documents above a few kilobytes go to one worker thread, one at a time. Small
 * ones, nearly all real runbooks, are prepared inline (a round trip costs more than them).
 */

/** Below this many characters a document is prepared on the calling thread (a few ms at most). */
export const INLINE_MAX_CHARS = 16 * 1024;
/** A document still being prepared after this long ends the worker (linear parsing makes it unreachable). */
const TIMEOUT_MS = 20_000;
/** Documents waiting for the worker; more are refused with 503 rather than queued without end. */
const MAX_WAITING = 16;

type Lint = ImportReport['lint'];

interface Job {
  request: ImportRequest;
  resolve: (value: PreparedImport | Lint) => void;
  reject: (error: unknown) => void;
}

interface Reply {
  id: number;
  result?: PreparedImport | Lint;
  appError?: { code: ErrorCode; message: string; issues: FieldIssue[] };
  message?: string;
}

let worker: Worker | undefined;
let running: Job | undefined;
let timer: NodeJS.Timeout | undefined;
const waiting: Job[] = [];
let nextId = 1;

/** Under tsx or vitest this module is TypeScript: the worker registers tsx before loading its entry. */
function workerFromTypeScript(): Worker {
  // tsx (a dev dependency) resolves from the working directory: the repository, in dev and tests.
  const entry = new URL('./import-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

function startWorker(): Worker {
  const created = import.meta.url.endsWith('.ts') ? workerFromTypeScript() : new Worker(new URL('./import-worker.js', import.meta.url));
  created.on('message', (reply: Reply) => finish(reply));
  created.on('error', (error) => fail(error));
  created.on('exit', () => {
    if (worker === created) worker = undefined;
    fail(new Error('the runbook parser thread stopped'));
  });
  return created;
}

function pump(): void {
  if (running || waiting.length === 0) return;
  running = waiting.shift()!;
  worker ??= startWorker();
  worker.ref();
  timer = setTimeout(() => {
    const stuck = worker;
    worker = undefined;
    fail(new AppError('VALIDATION', `markdown: the document took longer than ${TIMEOUT_MS / 1000} s to read; split it`, { issues: [{ field: 'markdown', message: 'took too long to read' }] }));
    void stuck?.terminate();
  }, TIMEOUT_MS);
  worker.postMessage(running.request);
}

function settle(): Job | undefined {
  const job = running;
  running = undefined;
  clearTimeout(timer);
  // An idle worker must not keep a CLI process alive.
  worker?.unref();
  return job;
}

function finish(reply: Reply): void {
  if (running?.request.id !== reply.id) return;
  const job = settle()!;
  if (reply.appError) job.reject(new AppError(reply.appError.code, reply.appError.message, { issues: reply.appError.issues }));
  else if (reply.result !== undefined) job.resolve(reply.result);
  else job.reject(new Error(reply.message ?? 'runbook parsing failed'));
  pump();
}

function fail(error: unknown): void {
  const job = settle();
  job?.reject(error);
  pump();
}

function offLoop(markdown: string, options: ImportOptions, lintOnly: boolean): Promise<PreparedImport | Lint> {
  if (waiting.length >= MAX_WAITING) {
    return Promise.reject(new AppError('UNAVAILABLE', 'too many runbook documents are being read; retry shortly', { retryAfterSeconds: 1 }));
  }
  return new Promise((resolve, reject) => {
    waiting.push({ request: { id: nextId++, markdown, options, lintOnly }, resolve, reject });
    pump();
  });
}

/** prepareImport, on the worker thread when the document is large. */
export async function prepareImportOffLoop(markdown: string, options: ImportOptions): Promise<PreparedImport> {
  if (markdown.length <= INLINE_MAX_CHARS) return prepareImport(markdown, options);
  return (await offLoop(markdown, options, false)) as PreparedImport;
}

/** The lint warnings of a document, on the worker thread when it is large. */
export async function lintDocumentOffLoop(markdown: string, options: ImportOptions): Promise<Lint> {
  if (markdown.length <= INLINE_MAX_CHARS) return prepareImport(markdown, options).report.lint;
  return (await offLoop(markdown, options, true)) as Lint;
}
