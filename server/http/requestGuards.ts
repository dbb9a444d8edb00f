import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { ErrorCode } from '../../shared/errors.js';
import { Limits } from '../../shared/limits.js';

/** body-parser `type`s of the refusals raised here; errorHandler maps them to 400. */
export const BodyRefusal = {
  InvalidUtf8: 'entity.utf8.invalid',
  CharsetUnsupported: 'charset.unsupported',
} as const;

/**
 * The whole path must be valid percent-encoded UTF-8 (`/%ZZ`, `/api/entries/%E0%A4%A`). Checked
 * once, up front, so every route and the static files answer the same 400; otherwise the router
 * throws a URIError only on routes with a parameter, and static serving skips the file silently.
 */
export const rejectMalformedPath: RequestHandler = (req, res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    res.status(400).json({ error: { code: ErrorCode.InvalidInput, message: 'The request path is not valid percent-encoded UTF-8.' } });
    return;
  }
  next();
};

/** A UTF-8 decoder replaces bad bytes with U+FFFD: what we would store is not what was sent. Refuse instead. */
function verifyUtf8(_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8' && encoding.toLowerCase() !== 'utf8') {
    throw Object.assign(new Error('The request body must be UTF-8 JSON.'), { type: BodyRefusal.CharsetUnsupported, status: 400 });
  }
  if (!isUtf8(body)) {
    throw Object.assign(new Error('The request body is not valid UTF-8.'), { type: BodyRefusal.InvalidUtf8, status: 400 });
  }
}

/** JSON bodies: size-capped, objects or arrays only, UTF-8 only (checked on the decompressed bytes). */
export function jsonBody(): RequestHandler {
  return express.json({ limit: Limits.maxJsonBodyBytes, strict: true, verify: verifyUtf8 });
}
