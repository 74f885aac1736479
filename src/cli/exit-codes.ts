import { CommanderError } from 'commander';
import { AppError, type ErrorCode } from '../core/errors.js';
import type { ConfigError } from '../config/env-config.js';

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

/**
 * Recognised by shape, not `instanceof`: importing the class would load the config schema (and
 * zod, ~130 ms) into every CLI command, which most of them never need.
 */
function isConfigError(error: unknown): error is ConfigError {
  return error instanceof Error && Array.isArray((error as Partial<ConfigError>).problems);
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof AppError) return EXIT_BY_CODE[error.code];
  // Commander's own exits: --help and --version are successes, anything else is a usage error.
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_BY_CODE.VALIDATION;
  if (isConfigError(error)) return EXIT_CONFIG_INVALID;
  return 1;
}

export function printError(error: unknown): void {
  // Commander has already printed its message (and the help hint) to stderr.
  if (error instanceof CommanderError) return;
  if (error instanceof AppError || isConfigError(error)) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  }
}
