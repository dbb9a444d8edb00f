import { ErrorCode } from '../shared/errors.js';

/** A failure the client may see: a stable code and a plain message. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(ErrorCode.NotFound, `${what} not found`);
export const forbidden = (why: string) => new AppError(ErrorCode.Forbidden, why);
export const conflict = (why: string, details?: unknown) => new AppError(ErrorCode.Conflict, why, details);
export const invalidInput = (why: string, details?: unknown) => new AppError(ErrorCode.InvalidInput, why, details);
