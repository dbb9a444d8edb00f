/**
 * The reader script (/live/<slug>): takes over the server-rendered page in place, no second render.
 * No Yjs, no editor, no desk code: the shared reader templates and, for a live file only,
 * socket.io-client (its own chunk, fetched after first paint). An ended or archived file's page
 * opens no socket.
 */
import './reader.css';
import { relativeTime } from '../../shared/reader/readerText.js';
import { connectLive } from './liveConnection.js';
import { reducedMotion, ReaderFeed } from './readerFeed.js';

function relativeTimes(): void {
  const now = new Date();
  for (const el of document.querySelectorAll<HTMLElement>('.entry-rel[data-rel]')) {
    const rel = relativeTime(el.dataset.rel!, now);
    const text = rel ? `· ${rel}` : '';
    if (el.textContent !== text) el.textContent = text;
  }
}

/** Every minute on the minute, silently (nothing announced). */
function everyMinute(fn: () => void): void {
  fn();
  setTimeout(() => {
    fn();
    setInterval(fn, 60_000);
  }, 60_000 - (Date.now() % 60_000) + 50);
}

async function copyLink(button: HTMLButtonElement): Promise<void> {
  const url = new URL(button.dataset.url ?? location.pathname, location.origin).href;
  const title = button.dataset.title ?? document.title;
  const phone = matchMedia('(pointer: coarse)').matches;
  if (phone && typeof navigator.share === 'function') {
    try {
      await navigator.share({ title, url });
    } catch { /* the reader closed the share sheet */ }
    return;
  }
  const label = button.querySelector('span') ?? button;
  const was = label.textContent;
  try {
    await navigator.clipboard.writeText(url);
    label.textContent = 'Link copied';
  } catch {
    label.textContent = 'Copy failed: the time is the link';
  }
  setTimeout(() => { label.textContent = was; }, 2500);
}

function focusArticle(el: HTMLElement): void {
  el.scrollIntoView({ block: 'start', behavior: reducedMotion() ? 'instant' : 'smooth' });
  el.focus({ preventScroll: true });
}

function boot(): void {
  const feedEl = document.getElementById('feed');
  if (!feedEl) return;
  document.documentElement.classList.add('js');
  const view = new ReaderFeed(feedEl);

  everyMinute(relativeTimes);
  // A wide screen has room for every key event in its side column.
  if (matchMedia('(min-width: 1024px)').matches) document.querySelector<HTMLDetailsElement>('#key-events details')?.setAttribute('open', '');

  document.addEventListener('click', (ev) => {
    const target = ev.target as Element | null;
    const copy = target?.closest<HTMLButtonElement>('button.copy-link');
    if (copy) {
      void copyLink(copy);
      return;
    }
    const older = target?.closest<HTMLAnchorElement>('a#older');
    if (older && !ev.defaultPrevented && ev.button === 0 && !ev.metaKey && !ev.ctrlKey && !ev.shiftKey) {
      ev.preventDefault();
      void view.loadOlder(older);
      return;
    }
    // A key event shown on this page: go to it here instead of loading its permalink.
    const key = target?.closest<HTMLAnchorElement>('#key-events a[href]');
    if (key && ev.button === 0 && !ev.metaKey && !ev.ctrlKey && !ev.shiftKey) {
      const id = key.closest<HTMLElement>('li[data-id]')?.dataset.id;
      const article = id ? view.articleOf(id) : null;
      if (article) {
        ev.preventDefault();
        focusArticle(article);
      }
    }
  });

  // The feed pattern's keys: Page Down / Page Up (and j / k) move between entries.
  feedEl.addEventListener('keydown', (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const forward = ev.key === 'PageDown' || ev.key === 'j';
    const back = ev.key === 'PageUp' || ev.key === 'k';
    if (!forward && !back) return;
    if ((ev.key === 'j' || ev.key === 'k') && (ev.target as Element).closest('input, textarea, [contenteditable]')) return;
    const current = (ev.target as Element).closest<HTMLElement>('article');
    if (!current) return;
    const list = view.articles();
    const next = list[list.indexOf(current) + (forward ? 1 : -1)];
    if (!next) return;
    ev.preventDefault();
    focusArticle(next);
  });

  document.addEventListener('visibilitychange', () => view.updateTitle());

  // A permalink: there, highlighted and focused.
  const targetId = feedEl.dataset.target;
  const target = targetId ? view.articleOf(targetId) : null;
  if (target) {
    target.scrollIntoView({ block: 'start', behavior: 'instant' });
    target.focus({ preventScroll: true });
  }

  const status = feedEl.dataset.status;
  if (status === 'live' || status === 'scheduled') {
    connectLive(view, () => document.getElementById('connection')?.remove());
  }
}

boot();
