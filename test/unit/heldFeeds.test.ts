import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeldFeeds } from '../../server/realtime/readers/HeldFeeds.js';

class Feed {
  closed = 0;
  constructor(readonly id: string) {}
  close() {
    this.closed++;
  }
}

describe('HeldFeeds', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('[RD10] a feed stays while held and lingers after its last reader: held again within the linger it is the same feed, after it closed and gone', () => {
    const feeds = new HeldFeeds((id) => new Feed(id), 1000);
    const feed = feeds.hold('a');
    expect(feeds.hold('a')).toBe(feed);
    feeds.release('a');
    vi.advanceTimersByTime(5000);
    expect(feed.closed).toBe(0); // one holder left

    feeds.release('a');
    vi.advanceTimersByTime(999);
    expect(feeds.get('a')).toBe(feed);
    expect(feeds.hold('a')).toBe(feed); // back within the linger: the same feed, what it kept
    vi.advanceTimersByTime(5000);
    expect(feed.closed).toBe(0);

    feeds.release('a');
    vi.advanceTimersByTime(1000);
    expect(feed.closed).toBe(1);
    expect(feeds.get('a')).toBeUndefined();
    expect(feeds.size).toBe(0);
    const next = feeds.hold('a');
    expect(next).not.toBe(feed);
  });

  it('[RD10] no linger closes at the last release; clear closes every feed, held or lingering, and no timer fires after', () => {
    const now = new HeldFeeds((id) => new Feed(id), 0);
    const a = now.hold('a');
    now.release('a');
    expect(a.closed).toBe(1);
    expect(now.size).toBe(0);

    const feeds = new HeldFeeds((id) => new Feed(id), 1000);
    const held = feeds.hold('held');
    const lingering = feeds.hold('lingering');
    feeds.release('lingering');
    feeds.clear();
    expect([held.closed, lingering.closed]).toEqual([1, 1]);
    vi.advanceTimersByTime(5000);
    expect(lingering.closed).toBe(1);
    expect(feeds.size).toBe(0);
  });
});
