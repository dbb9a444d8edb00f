import { Router } from 'express';
import { z } from 'zod';
import { PUBLIC_PAGE_MAX, type PublicLiveService } from '../../features/publishing/PublicLiveService.js';
import { allowAnyOrigin } from '../crossOrigin.js';

const SlugParams = z.object({ slug: z.string().min(1).max(200).regex(/^[\p{L}\p{N}-]+$/u, 'must be a live file slug') });
const PageQuery = z.strictObject({
  before: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(PUBLIC_PAGE_MAX).optional(),
});
const ChangesQuery = z.strictObject({ after: z.coerce.number().int().nonnegative().default(0) });

/** Readers' API: no sign-in, published content only. Mounted before the session middleware. */
export function publicRoutes(deps: { publicLive: PublicLiveService }): Router {
  const router = Router();
  router.use('/public', (_req, res, next) => {
    // Short, so a CDN takes the page loads while changes stay under a few seconds old.
    res.set('Cache-Control', 'public, max-age=2, stale-while-revalidate=30');
    // Other sites read it (the <livedesk-feed> embed): any origin, never credentials.
    allowAnyOrigin(res);
    next();
  });
  router.get('/public/live/:slug', async (req, res) => {
    const { slug } = SlugParams.parse(req.params);
    const q = PageQuery.parse(req.query);
    res.json(await deps.publicLive.page(slug, { ...(q.before ? { before: q.before } : {}), ...(q.limit ? { limit: q.limit } : {}) }));
  });
  router.get('/public/live/:slug/changes', async (req, res) => {
    const { slug } = SlugParams.parse(req.params);
    const { after } = ChangesQuery.parse(req.query);
    res.json(await deps.publicLive.changes(slug, after));
  });
  return router;
}
