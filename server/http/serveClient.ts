import { stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

/**
 * The built client (dist/, from Vite). Each text file has a brotli and a gzip copy written at build
 * time (scripts/vitePlugins.ts), chosen here by Accept-Encoding. Hashed files under /assets/ are
 * cached for a year; the page itself (index.html) and /sw.js are revalidated on every load. Paths
 * are resolved under `clientDir` with `send`'s `root` option, so an install under a dot-directory
 * (~/.cache/…, ~/.local/…) serves like any other, while dot-files inside the build are not served.
 */
export const CACHE = {
  immutable: 'public, max-age=31536000, immutable',
  revalidate: 'no-cache',
  /** Icons and the web manifest: unhashed names that seldom change. */
  day: 'public, max-age=86400',
} as const;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};
const COMPRESSIBLE = new Set(['.js', '.css', '.html', '.svg', '.webmanifest', '.json', '.txt']);
/** A path whose last segment has a dot names a file (client routes never do): when missing it is a 404, never the page. */
const FILE_LIKE = /\.[^/]*$/;
/** The correspondent's filing page (its own entry, file.html): /file and anything under it. */
const FILING_PAGE = /^\/file(\/|$)/;

function cacheControlOf(rel: string): string {
  if (rel.startsWith(`assets${sep}`)) return CACHE.immutable;
  if (rel === 'index.html' || rel === 'file.html' || rel === 'sw.js') return CACHE.revalidate;
  return CACHE.day;
}

/**
 * br and gzip in the order to try: by the client's q-values, brotli first on a tie (smaller).
 * (`req.acceptsEncodings` breaks ties by the header's order, and Chromium lists gzip first.)
 */
export function preferredEncodings(header: string | undefined): Array<'br' | 'gzip'> {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const of = (enc: string) => q.get(enc) ?? q.get('*') ?? 0;
  return (['br', 'gzip'] as const).filter((e) => of(e) > 0).sort((a, b) => of(b) - of(a));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Sends `rel` (relative to root), the smallest encoding the request accepts that exists on disk. */
async function sendBuilt(req: Request, res: Response, root: string, rel: string, next: NextFunction): Promise<void> {
  const ext = extname(rel);
  let file = rel;
  let encoding: string | null = null;
  if (COMPRESSIBLE.has(ext)) {
    res.vary('Accept-Encoding');
    const wanted = preferredEncodings(req.get('accept-encoding'));
    for (const enc of wanted) {
      const candidate = `${rel}.${enc === 'br' ? 'br' : 'gz'}`;
      if (await isFile(join(root, candidate))) {
        file = candidate;
        encoding = enc;
        break;
      }
    }
  }
  const headers: Record<string, string> = { 'Cache-Control': cacheControlOf(rel) };
  if (TYPES[ext]) headers['Content-Type'] = TYPES[ext];
  if (encoding) headers['Content-Encoding'] = encoding;
  res.sendFile(file, { root, headers, cacheControl: false, dotfiles: 'deny' }, (err) => {
    if (err && !res.headersSent) next(err);
  });
}

export function serveClient(clientDir: string): Router {
  const root = resolve(clientDir);
  const router = express.Router();

  router.use(async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = decodeURIComponent(req.path); // requestGuards has refused what does not decode
    const full = resolve(root, `.${path}`);
    const rel = relative(root, full);
    // Outside the build, a dot-file or dot-folder inside it, a source map or a compressed copy
    // asked for by name: not a file this server serves.
    if (!rel || rel.startsWith('..') || path.includes('\0') || rel.split(sep).some((p) => p.startsWith('.'))) return next();
    if (/\.(map|br|gz)$/.test(rel)) return next();
    if (!(await isFile(full))) return next();
    await sendBuilt(req, res, root, rel, next);
  });

  // Any other GET: a missing file is a 404; a page path gets the app shell, which routes on the client.
  router.get('/{*path}', async (req, res, next) => {
    if (req.path.startsWith('/assets/') || FILE_LIKE.test(req.path) || decodeURIComponent(req.path).split('/').some((p) => p.startsWith('.'))) {
      res.status(404).type('text/plain').set('Cache-Control', 'no-store').send('Not found');
      return;
    }
    const page = FILING_PAGE.test(req.path) ? 'file.html' : 'index.html';
    if (!(await isFile(join(root, page)))) {
      res.status(503).type('text/plain').send('The client is not built yet: run `npm run build`.');
      return;
    }
    await sendBuilt(req, res, root, page, next);
  });
  return router;
}
