/**
 * <livedesk-feed src="https://news.example/live/<slug>" limit="10">: the latest published entries
 * of one live file on any site, kept live. One script (/embed.js), no iframe, no cookie.
 *
 * @attr src - the live file's public page; its origin is the Livedesk server asked
 * @attr limit - entries shown (1–50, default 10)
 * @attr poll-seconds - how often to ask for changes while the live socket is not there (default 15)
 * @csspart header, title, status, list, entry, meta, time, badge, headline, body, retraction, footer, link
 * @cssprop --livedesk-font, --livedesk-font-size, --livedesk-text, --livedesk-muted, --livedesk-accent,
 *   --livedesk-bg, --livedesk-border, --livedesk-radius, --livedesk-padding, --livedesk-gap
 * @fires livedesk-update - after each render; detail `{ count, mode }`
 */
import { EMBED_CSS } from './embedStyles.js';
import { openLiveFeed, type EmbedEntry, type FeedState } from './liveFeed.js';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, part: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.setAttribute('part', part);
  node.className = part; // the shadow styles select by class, the host page by part
  if (text !== undefined) node.textContent = text;
  return node;
}

/** `/live/<slug>` of the src, or null when it is not one. */
function parseSrc(src: string | null): { origin: string; slug: string; page: string } | null {
  if (!src) return null;
  try {
    const url = new URL(src, document.baseURI);
    const m = /^\/live\/([^/]+)\/?$/.exec(url.pathname);
    if (!m || !/^https?:$/.test(url.protocol)) return null;
    return { origin: url.origin, slug: decodeURIComponent(m[1]!), page: `${url.origin}/live/${m[1]}` };
  } catch {
    return null;
  }
}

export class LivedeskFeed extends HTMLElement {
  static observedAttributes = ['src', 'limit', 'poll-seconds'];
  private readonly root: ShadowRoot;
  private stop?: () => void;
  private rows = new Map<string, { key: string; node: HTMLLIElement }>();
  private restartQueued = false;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
  }

  connectedCallback(): void {
    this.restart();
  }
  disconnectedCallback(): void {
    this.stop?.();
    this.stop = undefined;
  }
  attributeChangedCallback(): void {
    if (!this.isConnected || this.restartQueued) return;
    this.restartQueued = true;
    queueMicrotask(() => {
      this.restartQueued = false;
      this.restart();
    });
  }

  private restart(): void {
    this.stop?.();
    this.rows.clear();
    const target = parseSrc(this.getAttribute('src'));
    const style = document.createElement('style');
    style.textContent = EMBED_CSS;
    this.root.replaceChildren(style);
    if (!target) {
      this.root.append(el('p', 'error', 'livedesk-feed: src must be the address of a live file, https://…/live/<slug>.'));
      return;
    }
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number.parseInt(this.getAttribute('limit') ?? '', 10) || DEFAULT_LIMIT));
    const pollMs = Math.max(2, Number(this.getAttribute('poll-seconds')) || 15) * 1000;
    const header = el('header', 'header');
    const title = el('a', 'title');
    title.href = target.page;
    title.target = '_blank';
    title.rel = 'noopener';
    const status = el('span', 'status');
    header.append(title, status);
    const list = el('ol', 'list');
    list.setAttribute('aria-live', 'polite');
    const footer = el('footer', 'footer');
    const more = el('a', 'link', `More on ${new URL(target.origin).host}`);
    more.href = target.page;
    more.target = '_blank';
    more.rel = 'noopener';
    footer.append(more);
    this.root.append(header, list, footer);
    this.stop = openLiveFeed({
      origin: target.origin, slug: target.slug, limit, pollMs,
      onState: (s) => this.render(s, { title, status, list }, target.origin, target.page),
    });
  }

  private render(s: FeedState, parts: { title: HTMLAnchorElement; status: HTMLSpanElement; list: HTMLOListElement }, origin: string, page: string): void {
    parts.title.textContent = s.title || 'Live';
    parts.status.textContent = s.mode === 'error' ? '' : s.status === 'ended' || s.status === 'archived' || s.mode === 'ended' ? 'Ended' : s.mode === 'loading' ? '' : 'Live';
    parts.status.classList.toggle('ended', s.mode === 'ended');
    this.dataset.mode = s.mode;
    if (s.mode === 'error') {
      parts.list.replaceChildren(el('li', 'error', s.error ?? 'The live file could not be loaded.'));
      this.rows.clear();
    } else if (s.entries.length === 0) {
      parts.list.replaceChildren(el('li', 'empty', s.mode === 'loading' ? 'Loading…' : 'No updates yet.'));
      this.rows.clear();
    } else {
      const next = new Map<string, { key: string; node: HTMLLIElement }>();
      const nodes = s.entries.map((e) => {
        const key = `${e.seq}:${e.pinned}:${e.keyEvent}`;
        const known = this.rows.get(e.id);
        const row = known && known.key === key ? known : { key, node: this.entryNode(e, origin, page) };
        next.set(e.id, row);
        return row.node;
      });
      this.rows = next;
      parts.list.replaceChildren(...nodes);
    }
    this.dispatchEvent(new CustomEvent('livedesk-update', { detail: { count: s.entries.length, mode: s.mode } }));
  }

  private entryNode(e: EmbedEntry, origin: string, page: string): HTMLLIElement {
    const li = el('li', e.keyEvent ? 'entry key-event' : 'entry');
    li.dataset.entryId = e.id;
    if (e.keyEvent) li.classList.add('key');
    const meta = el('div', 'meta');
    const time = el('time', 'time', formatTime(e.publishedAt));
    time.dateTime = e.publishedAt;
    const link = el('a', 'permalink');
    link.href = `${page}/${encodeURIComponent(e.id)}`;
    link.target = '_blank';
    link.rel = 'noopener';
    link.append(time);
    meta.append(link);
    if (e.pinned) meta.append(badge('Pinned'));
    if (e.keyEvent) meta.append(badge('Key event'));
    if (e.corrected && !e.retracted) meta.append(badge('Updated'));
    if (e.place && !e.retracted) meta.append(el('span', 'place', e.place));
    li.append(meta);
    if (e.retracted) {
      li.append(el('p', 'retraction', e.retracted.reason ? `This update was retracted: ${e.retracted.reason}` : 'This update was retracted.'));
      return li;
    }
    if (e.headline) {
      const h = el('h3', 'headline', e.headline);
      h.dir = 'auto';
      li.append(h);
    }
    const body = el('div', 'body');
    // Sanitized by the server at publish time; its own paths (photos) are made absolute here.
    body.innerHTML = e.html;
    for (const n of body.querySelectorAll<HTMLElement>('[src], [href], [srcset]')) absolutize(n, origin);
    for (const a of body.querySelectorAll('a')) {
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
    }
    li.append(body);
    return li;
  }
}

function badge(text: string): HTMLSpanElement {
  const b = el('span', 'badge', text);
  return b;
}

function absolutize(n: HTMLElement, origin: string): void {
  for (const attr of ['src', 'href'] as const) {
    const v = n.getAttribute(attr);
    if (v?.startsWith('/') && !v.startsWith('//')) n.setAttribute(attr, origin + v);
  }
  const set = n.getAttribute('srcset');
  if (set) n.setAttribute('srcset', set.split(',').map((c) => c.trim().replace(/^\/(?!\/)/, `${origin}/`)).join(', '));
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  return new Intl.DateTimeFormat(undefined, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

if (!customElements.get('livedesk-feed')) customElements.define('livedesk-feed', LivedeskFeed);

declare global {
  interface HTMLElementTagNameMap {
    'livedesk-feed': LivedeskFeed;
  }
}
