/**
 * The reader page's pieces that both sides render: an entry's <article> and the key-events
 * summary. The server renders them into the page; the reader script renders a new or changed
 * entry with the same function, so a live update looks exactly like the first render.
 * Entry `html` was sanitized at publish time; every other value is escaped by `html`.
 */
import { html, trusted, type SafeHtml } from './html.js';
import { detectLang, entryLabel, livePath, timeText, zoneLabel, type ReaderEntry } from './readerText.js';

export interface MarkupContext {
  slug: string;
  timezone: string;
  now: Date;
}

/** `<time>` in the file's zone: "14:05" (or "30 Nov, 23:50"). */
export function timeEl(iso: string, ctx: MarkupContext): SafeHtml {
  return html`<time datetime="${iso}">${timeText(iso, ctx.timezone, ctx.now)}</time>`;
}

function bylineList(names: readonly string[]): SafeHtml {
  const parts = names.map((n) => html`<bdi>${n}</bdi>`);
  if (parts.length <= 1) return html`${parts}`;
  const joined: SafeHtml[] = [];
  parts.forEach((p, i) => joined.push(i === 0 ? p : i === parts.length - 1 ? html` and ${p}` : html`, ${p}`));
  return html`${joined}`;
}

/** A chain link, 20 px grid, currentColor (ux.md §6: inline SVG beside a label). */
const LINK_ICON = html`<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false"><path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" d="M8.5 11.5a3.5 3.5 0 0 0 5 0l2.5-2.5a3.5 3.5 0 0 0-5-5l-1 1M11.5 8.5a3.5 3.5 0 0 0-5 0L4 11a3.5 3.5 0 0 0 5 5l1-1"/></svg>`;

export const articleId = (entryId: string) => `e-${entryId}`;

/**
 * One entry. `pos` is its place in the feed (aria-posinset) and `size` the feed's size, -1 while
 * older pages exist (aria-setsize). The time is the entry's permalink.
 */
export function entryArticle(e: ReaderEntry, ctx: MarkupContext, pos: number, size: number, opts: { target?: boolean } = {}): SafeHtml {
  const id = articleId(e.id);
  const retracted = e.retracted;
  const lang = detectLang(`${e.headline} ${e.text}`);
  const classes = ['entry', e.pinned && 'is-pinned', e.keyEvent && 'is-key', e.corrected && 'is-corrected', retracted && 'is-retracted', opts.target && 'is-target'].filter(Boolean).join(' ');
  const headline = !retracted && e.headline.trim() ? html`<h3 class="entry-headline" id="${id}-h" dir="auto">${e.headline}</h3>` : null;
  const labelledBy = headline ? `${id}-t ${id}-h` : `${id}-t`;
  return html`<article class="${classes}" id="${id}" data-id="${e.id}" data-seq="${e.seq}" data-pinned="${String(e.pinned)}" data-position="${e.position}" data-key="${String(e.keyEvent)}" data-published="${e.publishedAt}" tabindex="0" aria-posinset="${pos}" aria-setsize="${size}" aria-labelledby="${labelledBy}"${opts.target ? html` aria-current="true"` : null}>
<div class="entry-meta"><a class="entry-time" id="${id}-t" href="${livePath(ctx.slug, e.id)}">${timeEl(e.publishedAt, ctx)} <span class="zone">${zoneLabel(ctx.timezone)}</span></a><span class="entry-rel" data-rel="${e.publishedAt}"></span>${e.pinned ? html`<span class="tag tag-pinned">Pinned</span>` : null}${e.keyEvent && !retracted ? html`<span class="tag tag-key">Key event</span>` : null}${!retracted && e.place ? html`<span class="entry-place" dir="auto">${e.place}</span>` : null}</div>
${retracted
    ? html`<p class="entry-withdrawn"><strong>Withdrawn</strong> at ${timeEl(retracted.at, ctx)}.${retracted.reason ? html` <span dir="auto" lang="${detectLang(retracted.reason)}">${retracted.reason}</span>` : null}</p>`
    : html`<div class="entry-content" lang="${lang}" dir="auto">${headline}<div class="entry-body">${trusted(e.html)}</div></div>${e.corrected ? html`<p class="entry-updated">Updated ${timeEl(e.updatedAt, ctx)}</p>` : null}`}
<div class="entry-foot">${e.bylines.length ? html`<p class="entry-by">By ${bylineList(e.bylines)}</p>` : html`<span></span>`}<button type="button" class="copy-link" data-url="${livePath(ctx.slug, e.id)}" data-title="${entryLabel(e)}">${LINK_ICON}<span>Copy link</span></button></div>
</article>`;
}

export interface KeyEventItem {
  id: string;
  position: string;
  at: string;
  label: string;
}

export function keyEventItem(e: ReaderEntry): KeyEventItem {
  return { id: e.id, position: e.position, at: e.publishedAt, label: entryLabel(e, 110) };
}

/** Key events shown before "more" (phones see three; ux.md §4). */
export const KEY_EVENTS_SHOWN = 3;

function keyLi(k: KeyEventItem, ctx: MarkupContext): SafeHtml {
  return html`<li data-id="${k.id}" data-position="${k.position}" data-at="${k.at}"><a href="${livePath(ctx.slug, k.id)}">${timeEl(k.at, ctx)} <span class="key-label" dir="auto" lang="${detectLang(k.label)}">${k.label}</span></a></li>`;
}

/** The key-events summary (newest first in desk order), or nothing when there are none. */
export function keyEventsSection(items: readonly KeyEventItem[], ctx: MarkupContext, opts: { open?: boolean } = {}): SafeHtml {
  if (items.length === 0) return html``;
  const shown = items.slice(0, KEY_EVENTS_SHOWN);
  const rest = items.slice(KEY_EVENTS_SHOWN);
  return html`<section class="key-events" aria-labelledby="key-events-h"><h2 id="key-events-h">Key events</h2><ol class="key-list">${shown.map((k) => keyLi(k, ctx))}</ol>${rest.length
    ? html`<details class="key-more"${opts.open ? html` open` : null}><summary>${rest.length} more key ${rest.length === 1 ? 'event' : 'events'}</summary><ol class="key-list" start="${KEY_EVENTS_SHOWN + 1}">${rest.map((k) => keyLi(k, ctx))}</ol></details>`
    : null}</section>`;
}
