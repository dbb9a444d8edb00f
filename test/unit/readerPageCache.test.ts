import { describe, expect, it } from 'vitest';
import { createReaderPageCache, type RenderedPage } from '../../server/http/readerPage/readerPageCache.js';

const pageOf = (text: string): RenderedPage => ({ body: Buffer.from(text), etag: `W/"${text}"`, lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT', cacheControl: 'public, max-age=5' });

/** A render that counts its calls and gives `text` followed by the call's number. */
function renderer(text = 'page') {
  let calls = 0;
  const render = () => {
    calls++;
    return Promise.resolve(pageOf(`${text}${calls}`));
  };
  return { render, get calls() { return calls; } };
}

describe('reader page cache (unit)', () => {
  it('[RP18] a kept page serves its stamp only, and for 30 s at most: then it is rendered again', async () => {
    let clock = 1_000_000;
    const cache = createReaderPageCache({ now: () => clock });
    const r = renderer();
    expect((await cache.get('k', 's1', r.render)).etag).toBe('W/"page1"');
    clock += 29_999;
    expect((await cache.get('k', 's1', r.render)).etag).toBe('W/"page1"');
    expect(r.calls).toBe(1);
    clock += 1;
    expect((await cache.get('k', 's1', r.render)).etag).toBe('W/"page2"');
    expect(r.calls).toBe(2);
    // Another stamp (the file changed): rendered again at once, and the old one is gone.
    expect((await cache.get('k', 's2', r.render)).etag).toBe('W/"page3"');
    expect(cache.peek('k', 's1')).toBeNull();
    expect(cache.peek('k', 's2')?.etag).toBe('W/"page3"');
    expect(cache.stats().entries).toBe(1);
  });

  it('[RP18] at most maxEntries pages and maxBytes bytes are kept, the least recently used dropped first; a page over a quarter of the bytes is served, not kept', async () => {
    const cache = createReaderPageCache({ maxEntries: 3, maxBytes: 1000 });
    const r = renderer('0123456789'); // 11 bytes a page
    for (const k of ['a', 'b', 'c']) await cache.get(k, 's', r.render);
    expect(cache.peek('a', 's')).not.toBeNull(); // a is now the most recently used
    await cache.get('d', 's', r.render);
    expect(cache.stats().entries).toBe(3);
    expect(cache.peek('b', 's')).toBeNull();
    expect(['a', 'c', 'd'].map((k) => cache.peek(k, 's') !== null)).toEqual([true, true, true]);

    const small = createReaderPageCache({ maxEntries: 100, maxBytes: 40 });
    for (const k of ['a', 'b', 'c', 'd']) await small.get(k, 's', () => Promise.resolve(pageOf('x'.repeat(10))));
    expect(small.stats()).toMatchObject({ entries: 4, bytes: 40 });
    await small.get('e', 's', () => Promise.resolve(pageOf('y'.repeat(10))));
    expect(small.stats()).toMatchObject({ entries: 4, bytes: 40 });
    expect(small.peek('a', 's')).toBeNull();
    const big = await small.get('big', 's', () => Promise.resolve(pageOf('z'.repeat(11))));
    expect(big.body.length).toBe(11);
    expect(small.peek('big', 's')).toBeNull();
    expect(small.stats().entries).toBe(4);
  });

  it('[RP19] concurrent misses of one key and stamp share one render, another stamp renders its own; a failed render fails its waiters and is not kept', async () => {
    const cache = createReaderPageCache();
    let release!: () => void;
    let calls = 0;
    const slow = () => {
      calls++;
      return new Promise<RenderedPage>((resolve) => { release = () => resolve(pageOf(`slow${calls}`)); });
    };
    const waiting = Array.from({ length: 10 }, () => cache.get('k', 's1', slow));
    expect(calls).toBe(1);
    expect(cache.stats().rendering).toBe(1);
    release();
    const pages = await Promise.all(waiting);
    expect(new Set(pages.map((p) => p.etag))).toEqual(new Set(['W/"slow1"']));
    expect(cache.stats().rendering).toBe(0);

    const failing = () => Promise.reject(new Error('store down'));
    const both = [cache.get('f', 's', failing), cache.get('f', 's', failing)];
    for (const p of both) await expect(p).rejects.toThrow('store down');
    expect(cache.peek('f', 's')).toBeNull();
    expect((await cache.get('f', 's', () => Promise.resolve(pageOf('ok')))).etag).toBe('W/"ok"');
  });

  it('[RP19] a render that started earlier never replaces the page of one that started later', async () => {
    let clock = 0;
    const cache = createReaderPageCache({ now: () => clock });
    let releaseOld!: () => void;
    const old = cache.get('k', 'old', () => new Promise<RenderedPage>((resolve) => { releaseOld = () => resolve(pageOf('old')); }));
    clock = 10;
    await cache.get('k', 'new', () => Promise.resolve(pageOf('new')));
    releaseOld();
    expect((await old).etag).toBe('W/"old"');
    expect(cache.peek('k', 'new')?.etag).toBe('W/"new"');
  });
});
