import { Router, type Request } from 'express';
import { z } from 'zod';
import type { FeedService } from '../../features/syndication/FeedService.js';
import type { FeedFormat } from '../../features/syndication/renderFeeds.js';
import { allowAnyOrigin } from '../crossOrigin.js';

const SlugParams = z.object({ slug: z.string().min(1).max(200).regex(/^[\p{L}\p{N}-]+$/u, 'must be a live file slug') });
const FEED_FILES: Record<string, FeedFormat> = { 'feed.rss': 'rss', 'feed.atom': 'atom', 'feed.json': 'json' };
/** Feed readers poll: a CDN answers for half a minute, then serves stale while it asks again. */
export const FEED_CACHE = 'public, max-age=30, stale-while-revalidate=300';

/**
 * /live/<slug>/feed.rss, feed.atom, feed.json: public, no session looked at, no cookie set.
 * Any other /live/<slug>/<name> falls through (the reader page's permalinks).
 */
export function feedRoutes(deps: { feeds: FeedService; publicUrl?: string }): Router {
  const router = Router();
  router.get('/live/:slug/:feedFile', async (req, res, next) => {
    const format = FEED_FILES[req.params.feedFile];
    if (!format) return next();
    const { slug } = SlugParams.parse(req.params);
    const feed = await deps.feeds.render(slug, format, deps.publicUrl ?? originOf(req));
    allowAnyOrigin(res);
    res.set({ 'Content-Type': feed.contentType, 'Cache-Control': FEED_CACHE, ETag: feed.etag, 'Last-Modified': feed.lastModified });
    if (notModified(req, feed.etag, feed.lastModified)) return void res.status(304).end();
    res.send(feed.body);
  });
  return router;
}

/**
 * RFC 9110 §13.2.2: If-None-Match (weak comparison) decides when present, else If-Modified-Since.
 * Not Express's `req.fresh`: it answers 200 to any request with `Cache-Control: no-cache`, which
 * fetch() adds to every conditional request it is given, though that directive binds caches,
 * not the origin.
 */
export function notModified(req: Request, etag: string, lastModified: string): boolean {
  const noneMatch = req.get('if-none-match');
  if (noneMatch !== undefined) {
    const bare = (t: string) => t.trim().replace(/^W\//, '');
    return noneMatch.trim() === '*' || noneMatch.split(',').some((t) => bare(t) === bare(etag));
  }
  const since = Date.parse(req.get('if-modified-since') ?? '');
  return Number.isFinite(since) && Date.parse(lastModified) <= since;
}

/** Without PUBLIC_URL, links name the host the reader asked (no proxy is trusted for the scheme). */
function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
