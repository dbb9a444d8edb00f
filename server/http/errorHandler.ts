import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { ErrorCode, type ErrorBody } from '../../shared/errors.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

export const STATUS_OF: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  // Oversize bodies are bad input like any other: 400 with their own id.
  payload_too_large: 400,
  unavailable: 503,
  internal: 500,
};

/** Maps any thrown value to `{ error: { code, message, details? } }`; never leaks a stack. */
export function toErrorBody(err: unknown): ErrorBody | null {
  if (err instanceof AppError) return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  if (err instanceof ZodError) {
    const details = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = details[0];
    return { code: ErrorCode.InvalidInput, message: first ? `${first.path || 'body'}: ${first.message}` : 'Invalid input', details };
  }
  return null;
}

/** body-parser errors carry a `type`. */
function bodyParserError(err: unknown): ErrorBody | null {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return { code: ErrorCode.InvalidInput, message: 'The request body is not valid JSON.' };
  if (type === 'entity.too.large') return { code: ErrorCode.PayloadTooLarge, message: 'The request body is too large.' };
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return { code: ErrorCode.InvalidInput, message: 'The request body must be UTF-8 JSON.' };
  return null;
}

export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const body = toErrorBody(err) ?? bodyParserError(err);
    if (body) {
      res.status(STATUS_OF[body.code]).json({ error: body });
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ error: { code: ErrorCode.Internal, message: 'Something went wrong on our side. Nothing you sent was lost; try again.' } });
  };
}
