import { AppError, type ErrorCode } from '../core/errors.js';
import { ConfigError } from '../config/env-config.js';

/**
 * The one place an error becomes a process exit code. Scripts can tell "you asked for something
 * wrong" (2) from "it is not there" (3), "someone changed it first" (4), "not allowed" (5) and
 * "try again later" (6). 1 is anything unexpected.
 */
export const EXIT_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION: 2,
  PAYLOAD_TOO_LARGE: 2,
  PRECONDITION_FAILED: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  UNAUTHORIZED: 5,
  FORBIDDEN: 5,
  LIMIT_EXCEEDED: 6,
  UNAVAILABLE: 6,
  INTERNAL: 1,
};

export const EXIT_CONFIG_INVALID = 78; // sysexits EX_CONFIG

export function exitCodeFor(error: unknown): number {
  if (error instanceof AppError) return EXIT_BY_CODE[error.code];
  if (error instanceof ConfigError) return EXIT_CONFIG_INVALID;
  return 1;
}

export function printError(error: unknown): void {
  if (error instanceof AppError || error instanceof ConfigError) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  }
}
