import { ZodError } from 'zod';
import { ErrorCode, type ErrorBody } from '../../shared/errors.js';
import { AppError } from '../errors.js';

/**
 * A thrown value as the `{ code, message, details? }` every edge answers with (an HTTP error body,
 * a Socket.IO ack error); null when it is not the client's mistake (the edge logs it and answers
 * `internal`). Never leaks a stack.
 */
export function toErrorBody(err: unknown): ErrorBody | null {
  if (err instanceof AppError) return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  if (err instanceof ZodError) {
    const details = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = details[0];
    return { code: ErrorCode.InvalidInput, message: first ? `${first.path || 'body'}: ${first.message}` : 'Invalid input', details };
  }
  return null;
}
