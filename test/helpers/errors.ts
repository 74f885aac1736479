import { expect } from 'vitest';
import { AppError } from '../../src/core/errors.js';

/** Runs `fn`, expects it to throw a VALIDATION AppError, and returns it for field checks. */
export function validationOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION');
    return error as AppError;
  }
  throw new Error('expected a VALIDATION error');
}
