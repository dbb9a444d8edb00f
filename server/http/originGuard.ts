import type { RequestHandler } from 'express';
import { ErrorCode } from '../../shared/errors.js';
import type { OriginPolicy } from '../originPolicy.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state-changing request (POST, PUT, PATCH, DELETE…) from a browser must come from an
 * allowed origin (ALLOWED_ORIGINS or this server's own host, `originPolicy.ts`, the rule the
 * websockets follow): a foreign page cannot sign someone in, create or change anything with
 * their cookie. No Origin header means a non-browser client, which still needs its cookie.
 */
export function originGuard(isOriginAllowed: OriginPolicy): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || isOriginAllowed(req)) return next();
    res.status(403).json({ error: { code: ErrorCode.Forbidden, message: 'This request comes from a page that is not allowed to change anything here.' } });
  };
}
