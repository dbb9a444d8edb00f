/**
 * The server-rendered feed, taken over in place: changes from the /live socket are applied by seq
 * (never one twice, never one skipped), new entries appear at the top only while the feed's top is
 * on screen and the tab visible, else wait behind the "N new updates" button; corrections,
 * retractions, pins and moves change the page where they are, keeping the reader's place.
 */
import { toString } from '../../shared/reader/html.js';
import { entryArticle, keyEventItem, keyEventsSection, type KeyEventItem, type MarkupContext } from '../../shared/reader/readerMarkup.js';
import type { ReaderChange } from '../../shared/realtime/liveEvents.js';
import { compareReaderOrder, livePath, newUpdatesText, relativeTime, timeText, type ReaderEntry, type ReaderPageJson } from '../../shared/reader/readerText.js';

export type { ReaderChange };

interface SortKey { pinned: boolean; position: string; id: string }

/** At most one status announcement per this long (ux.md §4: "at most every 30 s"). */
const ANNOUNCE_EVERY_MS = 30_000;
/** New entries arriving close together are announced together ("3 new updates"). */
const ANNOUNCE_GATHER_MS = 8_000;

export const reducedMotion = (): boolean => matchMedia('(prefers-reduced-motion: reduce)').matches;

function fromHtml(markup: string): HTMLElement {
  const t = document.createElement('template');
  t.innerHTML = markup;
  return t.content.firstElementChild as HTMLElement;
}

export class ReaderFeed {
  readonly feed: HTMLElement;
  readonly slug: string;
  readonly timezone: string;
  /** The page starts at the top of the feed (not an older page or a deep permalink). */
  readonly top: boolean;
  readonly baseTitle: string;
  lastSeq: number;
  /** New entries not shown yet (the reader is further down, or the tab hidden). */
  private readonly pending = new Map<string, ReaderEntry>();
  private readonly keyEvents = new Map<string, KeyEventItem>();
  private unannounced = 0;
  private announceTimer: ReturnType<typeof setTimeout> | null = null;
  private lastAnnouncedAt = -Infinity;
  private readonly button: HTMLButtonElement;
  private readonly status: HTMLElement;

  constructor(feed: HTMLElement) {
    this.feed = feed;
    this.slug = feed.dataset.slug ?? '';
    this.timezone = feed.dataset.timezone ?? 'UTC';
    this.top = feed.dataset.top === 'true';
    this.lastSeq = Number(feed.dataset.lastSeq ?? 0) || 0;
    this.baseTitle = document.title;
    this.button = document.getElementById('new-updates') as HTMLButtonElement;
    this.status = document.getElementById('live-status')!;
    for (const li of document.querySelectorAll<HTMLElement>('#key-events li[data-id]')) {
      this.keyEvents.set(li.dataset.id!, { id: li.dataset.id!, position: li.dataset.position ?? '', at: li.dataset.at ?? '', label: li.querySelector('.key-label')?.textContent ?? '' });
    }
    this.button.addEventListener('click', () => this.revealPending());
  }

  private ctx(): MarkupContext {
    return { slug: this.slug, timezone: this.timezone, now: new Date() };
  }

  articles(): HTMLElement[] {
    return [...this.feed.querySelectorAll<HTMLElement>(':scope > article')];
  }

  articleOf(id: string): HTMLElement | null {
    return this.feed.querySelector<HTMLElement>(`:scope > article[data-id="${CSS.escape(id)}"]`);
  }

  private keyOf(el: HTMLElement): SortKey {
    return { pinned: el.dataset.pinned === 'true', position: el.dataset.position ?? '', id: el.dataset.id ?? '' };
  }

  private olderLink(): HTMLAnchorElement | null {
    return document.getElementById('older') as HTMLAnchorElement | null;
  }

  /** Whether `e` sorts among the entries this page shows (older ones come with "Load older updates"). */
  private inRange(e: SortKey): boolean {
    const list = this.articles();
    if (list.length === 0) return this.top;
    if (!this.top && compareReaderOrder(e, this.keyOf(list[0]!)) < 0) return false;
    return !this.olderLink() || compareReaderOrder(e, this.keyOf(list.at(-1)!)) < 0;
  }

  private render(e: ReaderEntry): HTMLElement {
    const el = fromHtml(toString(entryArticle(e, this.ctx(), 0, -1, { target: this.feed.dataset.target === e.id })));
    const rel = el.querySelector<HTMLElement>('.entry-rel[data-rel]');
    const text = rel ? relativeTime(rel.dataset.rel!, new Date()) : '';
    if (rel && text) rel.textContent = `· ${text}`;
    return el;
  }

  /** Puts `el` at its place in reader order. */
  private place(el: HTMLElement): void {
    const key = this.keyOf(el);
    const after = this.articles().find((a) => a !== el && compareReaderOrder(key, this.keyOf(a)) < 0);
    this.feed.insertBefore(el, after ?? null);
  }

  private renumber(): void {
    const list = this.articles();
    const size = this.olderLink() ? -1 : list.length;
    list.forEach((a, i) => {
      a.setAttribute('aria-posinset', String(i + 1));
      a.setAttribute('aria-setsize', String(size));
    });
    document.getElementById('empty')?.toggleAttribute('hidden', list.length > 0);
  }

  /**
   * Runs `change` without moving what the reader is looking at: the first entry on screen (or the
   * one after it, when that entry is the one moving) stays where it was.
   */
  keepPlace(change: () => void, moving?: string): void {
    const visible = this.articles().filter((a) => a.getBoundingClientRect().bottom > 0);
    const anchor = visible.find((a) => a.dataset.id !== moving) ?? null;
    const id = anchor?.dataset.id;
    const before = anchor?.getBoundingClientRect().top ?? 0;
    change();
    const now = id ? this.articleOf(id) : null;
    if (!now || before > innerHeight) return;
    const delta = now.getBoundingClientRect().top - before;
    if (Math.abs(delta) >= 1) window.scrollBy({ top: delta, behavior: 'instant' });
  }

  /** The feed's top is on screen (or below it) and the tab visible: new entries may appear. */
  private canRevealNow(): boolean {
    return document.visibilityState === 'visible' && this.feed.getBoundingClientRect().top >= 0;
  }

  /** Applies one change the socket gave, in seq order (the caller checked seq = lastSeq + 1). */
  apply(c: ReaderChange): void {
    if (c.seq <= this.lastSeq) return;
    this.lastSeq = c.seq;
    this.feed.dataset.lastSeq = String(c.seq);
    const e = c.entry;
    if (this.feed.dataset.status === 'scheduled' && c.kind === 'published') this.wentLive();
    if (this.pending.has(e.id)) {
      this.pending.set(e.id, e);
      return;
    }
    const el = this.articleOf(e.id);
    if (el) {
      if (Number(el.dataset.seq) >= e.seq) return; // the page was rendered after this change
      const next = this.render(e);
      const moves = compareReaderOrder(this.keyOf(el), e) !== 0;
      const focused = el.contains(document.activeElement);
      this.keepPlace(() => {
        if (!moves) el.replaceWith(next);
        else {
          el.remove();
          if (this.inRange(e)) this.place(next);
        }
        this.renumber();
        this.updateKeyEvent(e);
      }, moves ? e.id : undefined);
      if (focused && next.isConnected) next.focus({ preventScroll: true });
      this.touchUpdated(e);
      return;
    }
    if (c.kind === 'published') {
      if (this.top && !this.inRange(e)) return;
      this.noteNew(1);
      if (this.top && this.pending.size === 0 && this.canRevealNow()) {
        this.showNew([e]);
      } else {
        this.pending.set(e.id, e);
        this.updateButton();
      }
      this.touchUpdated(e);
      return;
    }
    // A pin, move or correction of an entry this page does not show: show it if it now sorts here.
    if (this.inRange(e)) {
      this.keepPlace(() => {
        this.place(this.render(e));
        this.renumber();
        this.updateKeyEvent(e);
      });
    } else {
      this.keepPlace(() => this.updateKeyEvent(e));
    }
  }

  /** Inserts new entries at their place (above the reader, who is at the top). */
  private showNew(list: ReaderEntry[]): HTMLElement[] {
    const shown = list.map((e) => {
      const el = this.render(e);
      if (!reducedMotion()) el.classList.add('is-new');
      this.place(el);
      this.updateKeyEvent(e);
      return el;
    });
    this.renumber();
    return shown;
  }

  /** The button: shows the waiting entries, scrolls below the pinned post to them and focuses the newest. */
  revealPending(): void {
    if (!this.top) {
      location.assign(livePath(this.slug));
      return;
    }
    const list = [...this.pending.values()].sort(compareReaderOrder);
    this.pending.clear();
    this.updateButton();
    const shown = this.showNew(list);
    const first = shown.filter((el) => el.isConnected).sort((a, b) => compareReaderOrder(this.keyOf(a), this.keyOf(b)))[0];
    if (first) {
      first.scrollIntoView({ block: 'start', behavior: reducedMotion() ? 'instant' : 'smooth' });
      first.focus({ preventScroll: true });
    }
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private updateButton(): void {
    const n = this.pending.size;
    this.button.hidden = n === 0;
    this.button.textContent = n ? `↑ ${newUpdatesText(n)}` : '';
    this.button.setAttribute('aria-label', n ? `Show ${newUpdatesText(n)}` : '');
    this.updateTitle();
  }

  updateTitle(): void {
    const n = this.pending.size;
    const title = n > 0 ? `(${n}) ${this.baseTitle}` : this.baseTitle;
    if (document.title !== title) document.title = title;
  }

  /** The polite status: "3 new updates", gathered, at most every 30 s, never the entries' words. */
  private noteNew(n: number): void {
    this.unannounced += n;
    if (this.announceTimer) return;
    const wait = Math.max(ANNOUNCE_GATHER_MS, this.lastAnnouncedAt + ANNOUNCE_EVERY_MS - Date.now());
    this.announceTimer = setTimeout(() => {
      this.announceTimer = null;
      if (this.unannounced === 0) return;
      const text = newUpdatesText(this.unannounced);
      this.unannounced = 0;
      this.lastAnnouncedAt = Date.now();
      // Emptied first, so the same words ("1 new update" twice) are announced again.
      this.status.textContent = '';
      setTimeout(() => { this.status.textContent = text; }, 100);
    }, wait);
  }

  private updateKeyEvent(e: ReaderEntry): void {
    const had = this.keyEvents.get(e.id);
    const item = e.keyEvent && !e.retracted ? keyEventItem(e) : null;
    if (!item && !had) return;
    if (item && had && item.label === had.label && item.position === had.position && item.at === had.at) return;
    if (item) this.keyEvents.set(e.id, item);
    else this.keyEvents.delete(e.id);
    this.renderKeyEvents();
  }

  private renderKeyEvents(): void {
    const slot = document.getElementById('key-events');
    if (!slot) return;
    const open = slot.querySelector('details')?.open ?? false;
    const items = [...this.keyEvents.values()].sort((a, b) => compareReaderOrder({ pinned: false, position: a.position, id: a.id }, { pinned: false, position: b.position, id: b.id }));
    slot.innerHTML = toString(keyEventsSection(items, this.ctx(), { open }));
  }

  /** The masthead's "Updated 14:12". */
  private touchUpdated(e: ReaderEntry): void {
    const at = e.retracted?.at ?? (e.updatedAt > e.publishedAt ? e.updatedAt : e.publishedAt);
    const time = document.querySelector<HTMLTimeElement>('.updated-at time');
    if (!time || (time.dateTime && time.dateTime >= at)) return;
    time.dateTime = at;
    time.textContent = timeText(at, this.timezone, new Date());
  }

  /** A scheduled file's first published entry: coverage has started. */
  private wentLive(): void {
    this.feed.dataset.status = 'live';
    const badge = document.querySelector('.status-line');
    if (badge) badge.innerHTML = '<span class="badge badge-live"><span class="dot" aria-hidden="true"></span>Live</span>';
    const line = document.querySelector('.lifecycle');
    if (line) line.textContent = 'Coverage has started: updates appear here as they are published.';
  }

  /** The coverage ended while the page was open. */
  ended(): void {
    this.feed.dataset.status = 'ended';
    const badge = document.querySelector('.status-line');
    if (badge) badge.innerHTML = '<span class="badge badge-ended">Ended</span>';
    const line = document.querySelector('.lifecycle');
    if (line) line.textContent = 'This live coverage has ended. The updates stay here.';
  }

  /** "Load older updates": the next page by cursor, appended in order. */
  async loadOlder(link: HTMLAnchorElement): Promise<void> {
    const cursor = link.dataset.cursor;
    if (!cursor || this.feed.getAttribute('aria-busy') === 'true') return;
    this.feed.setAttribute('aria-busy', 'true');
    link.textContent = 'Loading older updates…';
    try {
      const res = await fetch(`/api/public/live/${encodeURIComponent(this.slug)}?before=${encodeURIComponent(cursor)}`);
      if (!res.ok) throw new Error(String(res.status));
      const page = (await res.json()) as ReaderPageJson;
      for (const e of page.entries) {
        if (this.articleOf(e.id) || this.pending.has(e.id)) continue;
        this.feed.append(this.render(e));
      }
      if (page.nextCursor) {
        link.dataset.cursor = page.nextCursor;
        link.href = `${livePath(this.slug)}?before=${encodeURIComponent(page.nextCursor)}`;
        link.textContent = 'Load older updates';
      } else {
        const end = document.createElement('span');
        end.className = 'feed-end';
        end.textContent = 'That is every update.';
        link.replaceWith(end);
      }
      this.renumber();
    } catch {
      link.textContent = 'Couldn’t load older updates. Try again';
    } finally {
      this.feed.setAttribute('aria-busy', 'false');
    }
  }

  /** The server could not catch this page up (too far behind): the first page again, from the API. */
  async reload(): Promise<void> {
    const res = await fetch(`/api/public/live/${encodeURIComponent(this.slug)}`, { cache: 'no-store' });
    if (!res.ok) throw new Error(String(res.status));
    const page = (await res.json()) as ReaderPageJson;
    if (!this.top) {
      this.lastSeq = page.liveFile.lastSeq;
      return;
    }
    this.pending.clear();
    this.updateButton();
    const ctx = this.ctx();
    this.feed.innerHTML = page.entries.map((e, i) => toString(entryArticle(e, ctx, i + 1, -1))).join('');
    this.lastSeq = page.liveFile.lastSeq;
    this.feed.dataset.lastSeq = String(this.lastSeq);
    const wrap = document.querySelector('.older-wrap');
    if (wrap) {
      wrap.innerHTML = page.nextCursor
        ? `<a class="older" id="older" rel="next">Load older updates</a>`
        : '';
      const link = this.olderLink();
      if (link && page.nextCursor) {
        link.dataset.cursor = page.nextCursor;
        link.href = `${livePath(this.slug)}?before=${encodeURIComponent(page.nextCursor)}`;
      }
    }
    this.keyEvents.clear();
    for (const e of page.entries) if (e.keyEvent && !e.retracted) this.keyEvents.set(e.id, keyEventItem(e));
    this.renderKeyEvents();
    this.renumber();
    if (page.liveFile.status === 'ended' || page.liveFile.status === 'archived') this.ended();
  }
}
