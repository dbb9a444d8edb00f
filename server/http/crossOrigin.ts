import type { Response } from 'express';

/**
 * What readers' content carries so other sites may use it: the public API and the feeds are
 * read by pages on other origins (the <livedesk-feed> embed, feed readers in the browser), and the
 * embed script is loaded by them. `*` without credentials: no cookie is ever asked for or honoured
 * (these routes never read the session). helmet's `Cross-Origin-Resource-Policy: same-origin`
 * would stop another site's <script src> from loading the embed, so these answers say cross-origin.
 */
export function allowAnyOrigin(res: Response): void {
  res.set('Access-Control-Allow-Origin', '*');
  res.set('Cross-Origin-Resource-Policy', 'cross-origin');
}
