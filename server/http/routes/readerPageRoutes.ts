import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors.js';
import { ErrorCode } from '../../../shared/errors.js';
import { decodeCursor, encodeCursor, PUBLIC_PAGE_DEFAULT, PUBLIC_PAGE_MAX, type PublicLiveService } from '../../features/publishing/PublicLiveService.js';
import { escapeHtml } from '../../../shared/reader/html.js';
import { readerAssets, type ReaderAssets } from '../readerPage/readerAssets.js';
import { createReaderPageCache, type RenderedPage } from '../readerPage/readerPageCache.js';
import { lastModifiedOf, renderReaderPage, type ReaderPageInput, type ReaderPageKind } from '../readerPage/renderReaderPage.js';
import { preferredEncodings } from '../serveClient.js';

const SLUG = /^[\p{L}\p{N}-]{1,200}$/u;
const ENTRY_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Short, so a CDN takes the page loads while the socket carries the updates. */
export const READER_PAGE_CACHE = {
  live: 'public, max-age=5, stale-while-revalidate=30',
  /** Ended or archived: nothing new comes, though a correction still may. */
  ended: 'public, max-age=60, stale-while-revalidate=600',
} as const;

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** A CSP source for the same host's websockets (Socket.IO); see securityHeaders.ts. */
const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * The page's own Content-Security-Policy, replacing the desk's: the same rules (scripts from this
 * origin only, no inline script, no eval, no framing), plus its one inline style sheet by hash.
 * The JSON-LD block is data (`application/ld+json`), which script-src does not govern.
 */
function readerCsp(req: Request, assets: ReaderAssets | null, https: boolean): string {
  const host = req.headers.host ?? '';
  const sockets = HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "script-src-attr 'none'",
    `style-src 'self'${assets ? ` ${assets.cssHash}` : ''}`,
    "style-src-attr 'none'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** The origin of absolute links: PUBLIC_URL, else this request's (a Host fit for a URL only). */
function originOf(req: Request, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const host = req.headers.host ?? '';
  return `${req.protocol}://${HOST.test(host) ? host : 'localhost'}`;
}

function errorPage(res: Response, status: number, message: string): void {
  res.status(status).type('html').set('Cache-Control', status === 404 ? 'public, max-age=10' : 'no-store')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(message)}</title></head><body><main><h1>${escapeHtml(message)}</h1><p><a href="/">Livedesk</a></p></main></body></html>`);
}

/** What a page's bytes depend on besides the live file's content: the CSP hash and script names. */
const assetsVersion = (assets: ReaderAssets | null) => (assets ? `${assets.script} ${assets.cssHash} ${assets.preload.join(' ')}` : '');

type PageData = Omit<ReaderPageInput, 'origin' | 'assets' | 'now'>;

/**
 * The public live page (issue 12): /live/:slug (?before=<cursor> for older pages) and the
 * permalink /live/:slug/:entryId. No session is looked at; the answer is the same for every reader,
 * so it is cacheable: ETag and Last-Modified (a conditional request gets 304), a short max-age
 * with stale-while-revalidate, compressed per Accept-Encoding. Rendered pages are kept encoded
 * (readerPageCache.ts, RP18): a request reads the file's version stamp, then is answered from the
 * page kept at that stamp, or waits on the one render of it under way, or renders it.
 */
export function readerPageRoutes(deps: { publicLive: PublicLiveService; clientDir: string; cookieSecure: boolean; publicUrl?: string }): Router {
  const router = Router();
  const assetsOf = readerAssets(deps.clientDir);
  const cache = createReaderPageCache();

  async function renderPage(data: PageData, origin: string, assets: ReaderAssets | null, encoding: 'br' | 'gzip' | null): Promise<RenderedPage> {
    const body = renderReaderPage({ ...data, origin, assets, now: new Date() });
    const ended = data.file.status === 'ended' || data.file.status === 'archived';
    const raw = Buffer.from(body, 'utf8');
    const packed = encoding === 'br'
      ? await brotli(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } })
      : encoding === 'gzip' ? await gz(raw, { level: 6 }) : raw;
    return {
      body: packed,
      etag: `W/"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}${encoding ? `-${encoding}` : ''}"`,
      lastModified: lastModifiedOf(data).toUTCString(),
      cacheControl: ended ? READER_PAGE_CACHE.ended : READER_PAGE_CACHE.live,
    };
  }

  /**
   * Answers with the page `route` names: the version stamp first (an unknown slug is 404 here),
   * then `check` (a forged cursor is 400), then the kept page or a render from `read`.
   */
  async function send(req: Request, res: Response, route: { kind: ReaderPageKind; slug: string; param: string }, read: () => Promise<PageData>, check?: () => void): Promise<void> {
    const assets = assetsOf();
    const origin = originOf(req, deps.publicUrl);
    const encoding = preferredEncodings(req.get('accept-encoding'))[0] ?? null;
    const stamp = await deps.publicLive.version(route.slug);
    check?.();
    const key = JSON.stringify([route.kind, route.slug, route.param, origin, assetsVersion(assets), encoding]);
    const page = await cache.get(key, stamp, async () => renderPage(await read(), origin, assets, encoding));
    res.set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': page.cacheControl,
      'Last-Modified': page.lastModified,
      'Content-Security-Policy': readerCsp(req, assets, deps.cookieSecure),
      ETag: page.etag,
    });
    res.vary('Accept-Encoding');
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    if (encoding) res.set('Content-Encoding', encoding);
    res.send(page.body);
  }

  /** The newest entries, for the key-events summary (in reader order). */
  const keyEventsOf = async (slug: string) => (await deps.publicLive.page(slug, { limit: PUBLIC_PAGE_MAX })).entries.filter((e) => e.keyEvent);

  async function handle(res: Response, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.NotFound) return errorPage(res, 404, 'No such live coverage');
      if (err instanceof AppError && err.code === ErrorCode.InvalidInput) return errorPage(res, 400, 'That link to older updates is not valid');
      throw err;
    }
  }

  router.get('/live/:slug', async (req, res, next) => {
    const slug = String(req.params.slug);
    if (!SLUG.test(slug)) return next();
    const before = typeof req.query.before === 'string' ? req.query.before : undefined;
    if (before !== undefined && (before.length === 0 || before.length > 400)) return errorPage(res, 400, 'That link to older updates is not valid');
    await handle(res, async () => {
      if (before) {
        await send(req, res, { kind: 'older', slug, param: before }, async () => {
          const [page, keyEvents] = await Promise.all([deps.publicLive.page(slug, { before, limit: PUBLIC_PAGE_DEFAULT }), keyEventsOf(slug)]);
          return { kind: 'older', file: page.liveFile, entries: page.entries, nextCursor: page.nextCursor, keyEvents, fromTop: false, before };
        }, () => decodeCursor(before));
        return;
      }
      await send(req, res, { kind: 'top', slug, param: '' }, async () => {
        // One read: the first PUBLIC_PAGE_DEFAULT are shown, the rest feed the key-events summary.
        const wide = await deps.publicLive.page(slug, { limit: PUBLIC_PAGE_MAX });
        const entries = wide.entries.slice(0, PUBLIC_PAGE_DEFAULT);
        const last = entries.at(-1);
        const more = wide.entries.length > PUBLIC_PAGE_DEFAULT || wide.nextCursor !== null;
        const nextCursor = more && last ? encodeCursor({ pinned: last.pinned, position: last.position, entryId: last.id }) : null;
        return { kind: 'top', file: wide.liveFile, entries, nextCursor, keyEvents: wide.entries.filter((e) => e.keyEvent), fromTop: true };
      });
    });
  });

  router.get('/live/:slug/:entryId', async (req, res, next) => {
    const slug = String(req.params.slug);
    const entryId = String(req.params.entryId);
    if (!SLUG.test(slug) || !ENTRY_ID.test(entryId)) return next();
    await handle(res, () => send(req, res, { kind: 'permalink', slug, param: entryId }, async () => {
      const [page, keyEvents] = await Promise.all([deps.publicLive.around(slug, entryId), keyEventsOf(slug)]);
      const target = page.entries.find((e) => e.id === entryId);
      return { kind: 'permalink', file: page.liveFile, entries: page.entries, nextCursor: page.nextCursor, keyEvents, target, fromTop: page.fromTop };
    }));
  });

  return router;
}
