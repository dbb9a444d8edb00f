import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** A Host header fit for a CSP source (`host` or `host:port`, IPv6 in brackets); else none. */
const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * Same-origin WebSockets for Socket.IO and /collab. CSP Level 3 lets 'self' match ws:/wss: on the
 * page's host, but not every browser in the field does (Safari before 15.4): name them outright.
 */
function sameHostSockets(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

/**
 * helmet with a Content-Security-Policy for the desk pages (and harmless on JSON answers):
 * - scripts from this origin only: no inline script (index.html has none: the theme is set by
 *   /theme-init.js), no eval;
 * - `style-src 'self'` for style sheets, and `style-src-attr 'unsafe-inline'` because Lit's
 *   `style=${…}` bindings (avatar rings) and y-prosemirror's carets set style attributes; Lit's
 *   component styles are constructed style sheets, which style-src does not govern;
 * - images from here, data:, blob: and https: (embed thumbnails);
 * - `frame-ancestors 'none'`: no page may frame the desk (clickjacking);
 * - HSTS and upgrade-insecure-requests only behind HTTPS (COOKIE_SECURE), else a plain-HTTP
 *   install on a LAN would be told to use an HTTPS it does not have.
 */
export function securityHeaders(opts: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", (req) => sameHostSockets(req)],
        manifestSrc: ["'self'"],
        workerSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: opts.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // The reader embed (next) will be framed by news sites: it gets its own headers then.
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
