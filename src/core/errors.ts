/**
 * The one error type of Firebreak. Every layer throws AppError (or lets an unknown error
 * escape); HTTP maps codes to statuses in `http/errors.ts`, the CLI maps them to exit codes in
 * `cli/exit-codes.ts`. Nothing else decides what a failure looks like to a user.
 */
export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'LIMIT_EXCEEDED'
  | 'PAYLOAD_TOO_LARGE'
  | 'PRECONDITION_FAILED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `severity` or `items.2.title`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  /** Seconds a client should wait before retrying (LIMIT_EXCEEDED, UNAVAILABLE). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { issues?: FieldIssue[]; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const notFound = (what: string, id: string): AppError =>
  new AppError('NOT_FOUND', `${what} ${id} was not found`);

export const conflict = (message: string): AppError => new AppError('CONFLICT', message);

export const forbidden = (message = 'you are not allowed to do this'): AppError =>
  new AppError('FORBIDDEN', message);

export const validation = (field: string, message: string): AppError =>
  new AppError('VALIDATION', `${field}: ${message}`, { issues: [{ field, message }] });

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
