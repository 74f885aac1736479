import { parentPort } from 'node:worker_threads';
import { AppError } from '../../core/errors.js';
import type { ImportOptions } from './import-runbooks.js';
import { prepareImport } from './prepare-import.js';

/**
 * The worker-thread side of import-off-loop.ts: prepares one document per message and answers
 * with the result (only the lint warnings when that is all the caller wants), or with the
 * AppError's parts (an Error does not survive postMessage as an AppError).
 */

export interface ImportRequest {
  id: number;
  markdown: string;
  options: ImportOptions;
  lintOnly: boolean;
}

parentPort?.on('message', (request: ImportRequest) => {
  try {
    const prepared = prepareImport(request.markdown, request.options);
    parentPort!.postMessage({ id: request.id, result: request.lintOnly ? prepared.report.lint : prepared });
  } catch (error) {
    const appError = error instanceof AppError ? { code: error.code, message: error.message, issues: error.issues } : undefined;
    parentPort!.postMessage({ id: request.id, appError, message: error instanceof Error ? error.message : String(error) });
  }
});
