import type { IncomingMessage } from 'node:http';

/**
 * Exact-match Origin check for browser connections (Socket.IO's cors does not guard WebSockets).
 * No Origin header means a non-browser client, which still needs a session.
 */
export function createOriginPolicy(allowed: readonly string[]) {
  const allowList = new Set(allowed.map((o) => new URL(o).origin));
  return function isOriginAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    const host = req.headers.host;
    if (host && (origin === `http://${host}` || origin === `https://${host}`)) return true;
    return allowList.has(origin);
  };
}
export type OriginPolicy = ReturnType<typeof createOriginPolicy>;
