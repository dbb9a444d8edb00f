import type { ErrorRequestHandler, Request } from 'express';
import { ErrorCode, type ErrorBody } from '../../shared/errors.js';
import { toErrorBody } from '../edgeSupport/errorBody.js';
import type { Logger } from '../logger.js';
import { BodyRefusal } from './requestGuards.js';

export const STATUS_OF: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  // Oversize bodies are bad input like any other: 400 with their own id.
  payload_too_large: 400,
  rate_limited: 429,
  media_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
};

/** body-parser errors carry a `type`; verifyUtf8 (requestGuards.ts) adds its own. */
function bodyParserError(err: unknown): ErrorBody | null {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return { code: ErrorCode.InvalidInput, message: 'The request body is not valid JSON.' };
  if (type === 'entity.too.large') return { code: ErrorCode.PayloadTooLarge, message: 'The request body is too large.' };
  if (type === BodyRefusal.InvalidUtf8) return { code: ErrorCode.InvalidInput, message: 'The request body is not valid UTF-8.' };
  if (type === 'encoding.unsupported')
    return { code: ErrorCode.InvalidInput, message: 'The request body\'s Content-Encoding is not supported (use gzip, deflate, br or none).' };
  if (type === BodyRefusal.CharsetUnsupported) return { code: ErrorCode.InvalidInput, message: 'The request body must be UTF-8 JSON.' };
  return null;
}

/**
 * Other client errors from the HTTP stack (http-errors with a 4xx `status` and `expose`): a body
 * whose Content-Encoding does not decode (a zlib error), a path parameter the router cannot
 * decode (URIError), a body cut short. Their messages are internal (zlib's), so ours are fixed.
 */
function clientError(err: unknown, req: Request): ErrorBody | null {
  const e = err as { status?: unknown; expose?: unknown } | null;
  if (err instanceof URIError) return { code: ErrorCode.InvalidInput, message: 'The request path is not valid percent-encoded UTF-8.' };
  if (typeof e?.status !== 'number' || e.status < 400 || e.status > 499 || e.expose !== true) return null;
  if (e.status === 413) return { code: ErrorCode.PayloadTooLarge, message: 'The request body is too large.' };
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity')
    return { code: ErrorCode.InvalidInput, message: `The request body does not decode as its Content-Encoding (${encoding.slice(0, 20)}) says.` };
  return { code: ErrorCode.InvalidInput, message: 'The request could not be read.' };
}

export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const body = toErrorBody(err) ?? bodyParserError(err) ?? clientError(err, req);
    if (body) {
      // The client's mistake, not ours: no stack, nothing at error level.
      logger.debug({ code: body.code, method: req.method, url: req.originalUrl }, body.message);
      const retryAfter = (body.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (body.code === ErrorCode.RateLimited && typeof retryAfter === 'number') res.set('Retry-After', String(retryAfter));
      res.status(STATUS_OF[body.code]).json({ error: body });
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ error: { code: ErrorCode.Internal, message: 'Something went wrong on our side. Nothing you sent was lost; try again.' } });
  };
}
