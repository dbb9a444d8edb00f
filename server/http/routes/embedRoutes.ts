import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Router } from 'express';
import { allowAnyOrigin } from '../crossOrigin.js';

/** Where the embed build records its hashed file name (scripts/embedBuild.ts writes it). */
const EMBED_MANIFEST = '.vite/embed-manifest.json';
/** The stable URL other sites include: re-asked every 5 minutes, so a new build reaches them soon. */
export const EMBED_CACHE = 'public, max-age=300, stale-while-revalidate=86400';

/**
 * `/embed.js` answers a redirect to the hashed, immutable `/assets/embed-<hash>.js` (serveClient
 * serves it, a year in caches): sites keep one address while browsers re-download only what
 * changed. Both may be loaded by any origin, `crossorigin="anonymous"` included.
 */
export function embedRoutes(deps: { clientDir: string }): Router {
  const router = Router();
  let cached: { file: string; at: number } | null = null;

  async function embedFile(): Promise<string | null> {
    if (cached && Date.now() - cached.at < 5000) return cached.file;
    try {
      const manifest = JSON.parse(await readFile(join(deps.clientDir, EMBED_MANIFEST), 'utf8')) as Record<string, { file: string; isEntry?: boolean }>;
      const entry = Object.values(manifest).find((m) => m.isEntry);
      cached = entry ? { file: entry.file, at: Date.now() } : null;
    } catch {
      cached = null;
    }
    return cached?.file ?? null;
  }

  router.get('/embed.js', async (_req, res) => {
    allowAnyOrigin(res);
    const file = await embedFile();
    if (!file) {
      res.status(503).type('text/plain').set('Cache-Control', 'no-store').send('The client is not built yet: run `npm run build`.');
      return;
    }
    res.set('Cache-Control', EMBED_CACHE).redirect(302, `/${file}`);
  });
  router.get(/^\/assets\/embed-[A-Za-z0-9_-]+\.js$/, (_req, res, next) => {
    allowAnyOrigin(res);
    next();
  });
  return router;
}
