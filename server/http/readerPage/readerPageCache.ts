/**
 * Rendered reader pages, kept in memory (rule RP18): the final bytes as sent (br, gzip or plain)
 * with their ETag, Last-Modified and Cache-Control, under a key naming everything the bytes depend
 * on. An entry serves only while the live file's version stamp is the one it was rendered at
 * (PublicLiveService.version: reader seq, lifecycle) and for at most `maxAgeMs` (the page names
 * "today" by the clock); concurrent misses for one key and stamp share one render. Bounded in
 * entries and bytes, least recently used out first.
 */

export interface RenderedPage {
  /** The bytes sent, already encoded as `key` says. */
  body: Buffer;
  etag: string;
  lastModified: string;
  cacheControl: string;
}

export interface ReaderPageCacheOptions {
  maxEntries?: number;
  maxBytes?: number;
  maxAgeMs?: number;
  now?: () => number;
}

interface Entry {
  page: RenderedPage;
  stamp: string;
  renderedAt: number;
}

export const READER_PAGE_CACHE_LIMITS = { maxEntries: 500, maxBytes: 32 * 1024 * 1024, maxAgeMs: 30_000 } as const;

export function createReaderPageCache(opts: ReaderPageCacheOptions = {}) {
  const maxEntries = opts.maxEntries ?? READER_PAGE_CACHE_LIMITS.maxEntries;
  const maxBytes = opts.maxBytes ?? READER_PAGE_CACHE_LIMITS.maxBytes;
  const maxAgeMs = opts.maxAgeMs ?? READER_PAGE_CACHE_LIMITS.maxAgeMs;
  const now = opts.now ?? Date.now;
  /** Map order is use order: the first key is the least recently used. */
  const entries = new Map<string, Entry>();
  const rendering = new Map<string, Promise<RenderedPage>>();
  let bytes = 0;

  function drop(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.page.body.length;
  }

  function store(key: string, stamp: string, page: RenderedPage, renderedAt: number): void {
    // A render that started later (another stamp) is at least as new: it stays.
    if ((entries.get(key)?.renderedAt ?? -Infinity) > renderedAt) return;
    drop(key);
    // A page bigger than a quarter of the budget would push out most others: served, not kept.
    if (page.body.length > maxBytes / 4) return;
    entries.set(key, { page, stamp, renderedAt });
    bytes += page.body.length;
    while (entries.size > maxEntries || bytes > maxBytes) drop(entries.keys().next().value!);
  }

  /** The page kept for `key` if it was rendered at `stamp` and is young enough, else null. */
  function peek(key: string, stamp: string): RenderedPage | null {
    const entry = entries.get(key);
    if (!entry) return null;
    if (now() - entry.renderedAt >= maxAgeMs) {
      drop(key);
      return null;
    }
    // Another stamp: the file changed since (or this request read it before a change that a
    // kept render already shows); not served, left for the next render to replace.
    if (entry.stamp !== stamp) return null;
    entries.delete(key); // re-inserted: most recently used
    entries.set(key, entry);
    return entry.page;
  }

  /**
   * The page for `key` at `stamp`: kept, being rendered by another request (shared), or rendered
   * now by `render`, which must read the live file after `stamp` was read. A failed render is not
   * kept; every request waiting on it gets its error.
   */
  function get(key: string, stamp: string, render: () => Promise<RenderedPage>): Promise<RenderedPage> {
    const kept = peek(key, stamp);
    if (kept) return Promise.resolve(kept);
    const job = `${key}\n${stamp}`;
    const running = rendering.get(job);
    if (running) return running;
    const startedAt = now();
    const promise = (async () => {
      try {
        const page = await render();
        store(key, stamp, page, startedAt);
        return page;
      } finally {
        rendering.delete(job);
      }
    })();
    rendering.set(job, promise);
    return promise;
  }

  return {
    get,
    peek,
    clear(): void {
      entries.clear();
      bytes = 0;
    },
    stats: () => ({ entries: entries.size, bytes, rendering: rendering.size }),
  };
}
export type ReaderPageCache = ReturnType<typeof createReaderPageCache>;
