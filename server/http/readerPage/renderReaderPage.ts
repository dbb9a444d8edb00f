/**
 * The public live page as one HTML document (readers, no sign-in): whole and navigable without
 * JavaScript; the reader script (client/reader/) takes it over in place. Every value is escaped by
 * the `html` template (shared/reader/html.ts); entry HTML was sanitized at publish time.
 */
import { html, toString, trusted, type SafeHtml } from '../../../shared/reader/html.js';
import { entryArticle, keyEventItem, keyEventsSection, timeEl, type KeyEventItem, type MarkupContext } from '../../../shared/reader/readerMarkup.js';
import { entryLabel, FILE_LANG, firstWords, livePath, timeText, zonedTime, zoneLabel, type ReaderEntry, type ReaderFile } from '../../../shared/reader/readerText.js';
import type { ReaderAssets } from './readerAssets.js';
import { liveBlogJsonLd } from './liveBlogJsonLd.js';

export type ReaderPageKind = 'top' | 'older' | 'permalink';

export interface ReaderPageInput {
  kind: ReaderPageKind;
  file: ReaderFile;
  entries: ReaderEntry[];
  nextCursor: string | null;
  /** Key events for the summary (from the newest entries, in reader order). */
  keyEvents: ReaderEntry[];
  /** The permalink's entry. */
  target?: ReaderEntry;
  /** The page starts at the top of the feed (newest entries): live updates insert there. */
  fromTop: boolean;
  /** The cursor this older page was asked with. */
  before?: string;
  /** Absolute origin for canonical and Open Graph URLs ("https://news.example"). */
  origin: string;
  assets: ReaderAssets | null;
  now: Date;
}

/** Feed URLs of a live file (server/http/routes/feedRoutes.ts serves them). */
export const feedPaths = (slug: string) => ({
  rss: `${livePath(slug)}/feed.rss`,
  atom: `${livePath(slug)}/feed.atom`,
  json: `${livePath(slug)}/feed.json`,
});

/** The newest time anything on the page changed: Last-Modified. */
export function lastModifiedOf(input: Pick<ReaderPageInput, 'file' | 'entries' | 'keyEvents'>): Date {
  const times: Array<string | undefined> = [input.file.createdAt, input.file.endedAt];
  for (const e of [...input.entries, ...input.keyEvents]) times.push(e.publishedAt, e.updatedAt, e.retracted?.at);
  const ms = Math.max(0, ...times.filter((t): t is string => Boolean(t)).map((t) => Date.parse(t)).filter(Number.isFinite));
  // Whole seconds: HTTP dates have no milliseconds, and If-Modified-Since compares against this.
  return new Date(Math.floor(ms / 1000) * 1000);
}

function canonicalPath(input: ReaderPageInput): string {
  const { slug } = input.file;
  if (input.kind === 'permalink' && input.target) return livePath(slug, input.target.id);
  if (input.kind === 'older' && input.before) return `${livePath(slug)}?before=${encodeURIComponent(input.before)}`;
  return livePath(slug);
}

/** The first photo of the entries shown (pinned and newest first): the share card's image. */
function firstImage(entries: readonly ReaderEntry[]): string | null {
  for (const e of entries) {
    const m = /<img[^>]*\ssrc="(\/media\/[A-Za-z0-9._~/-]+)"/.exec(e.html);
    if (m) return m[1]!;
  }
  return null;
}

function description(input: ReaderPageInput): string {
  const { file } = input;
  const tz = file.timezone;
  if (input.kind === 'permalink' && input.target) {
    return firstWords(input.target.retracted ? `Withdrawn update. ${input.target.retracted.reason}` : input.target.text || input.target.headline, 200) || file.title;
  }
  if (file.status === 'scheduled') {
    return file.coverageStartsAt
      ? `Live coverage of ${file.title} starts ${timeText(file.coverageStartsAt, tz, input.now)}, ${zoneLabel(tz)} time.`
      : `Live coverage of ${file.title} starts soon.`;
  }
  const latest = input.entries.find((e) => !e.pinned && !e.retracted) ?? input.entries.find((e) => !e.retracted);
  const lead = file.status === 'live' ? `Live updates: ${file.title}.` : `${file.title}: the coverage as it happened.`;
  return latest ? firstWords(`${lead} Latest: ${entryLabel(latest, 200)}`, 200) : lead;
}

function titleOf(input: ReaderPageInput): string {
  const { title } = input.file;
  if (input.kind === 'permalink' && input.target) return `${entryLabel(input.target, 70) || 'Update'} · ${title}`;
  if (input.kind === 'older') return `${title} (older updates)`;
  return title;
}

function statusBadge(file: ReaderFile): SafeHtml {
  switch (file.status) {
    case 'live': return html`<span class="badge badge-live"><span class="dot" aria-hidden="true"></span>Live</span>`;
    case 'scheduled': return html`<span class="badge badge-soon">Coming up</span>`;
    case 'ended': return html`<span class="badge badge-ended">Ended</span>`;
    default: return html`<span class="badge badge-ended">Archived</span>`;
  }
}

function lifecycleLine(input: ReaderPageInput, ctx: MarkupContext, latestAt: string | null): SafeHtml {
  const { file } = input;
  const zone = zoneLabel(file.timezone);
  if (file.status === 'scheduled') {
    if (!file.coverageStartsAt) return html`<p class="lifecycle" data-testid="lifecycle">Coverage starts soon.</p>`;
    const t = zonedTime(file.coverageStartsAt, file.timezone, input.now);
    return html`<p class="lifecycle" data-testid="lifecycle">Coverage starts <time datetime="${file.coverageStartsAt}">${t.date ? `on ${t.date} at ${t.time}` : `at ${t.time}`}</time>, ${zone} time.</p>`;
  }
  if (file.status === 'ended' || file.status === 'archived') {
    const ended = file.endedAt ? html` at ${timeEl(file.endedAt, ctx)}, ${zone} time` : null;
    return html`<p class="lifecycle" data-testid="lifecycle">This live coverage has ended${ended}.${file.status === 'archived' ? ' It is archived: the updates stay here as they were published.' : ' The updates stay here.'}</p>`;
  }
  return latestAt
    ? html`<p class="lifecycle" data-testid="lifecycle">Updated <span class="updated-at">${timeEl(latestAt, ctx)}</span>, ${zone} time</p>`
    : html`<p class="lifecycle" data-testid="lifecycle">Coverage has started: updates appear here as they are published.</p>`;
}

/** The whole document. */
export function renderReaderPage(input: ReaderPageInput): string {
  const { file, entries, now } = input;
  const ctx: MarkupContext = { slug: file.slug, timezone: file.timezone, now };
  const canonical = `${input.origin}${canonicalPath(input)}`;
  const title = titleOf(input);
  const desc = description(input);
  const image = firstImage(input.target ? [input.target, ...entries] : entries);
  const feeds = feedPaths(file.slug);
  const assets = input.assets;
  const live = file.status === 'live' || file.status === 'scheduled';
  const setSize = input.nextCursor ? -1 : entries.length;
  const latestAt = [...entries, ...input.keyEvents].map((e) => (e.updatedAt > e.publishedAt ? e.updatedAt : e.publishedAt)).sort().at(-1) ?? null;
  const keyItems: KeyEventItem[] = input.keyEvents.filter((e) => e.keyEvent && !e.retracted).map(keyEventItem);
  const jsonLd = liveBlogJsonLd({ file, entries, canonical, origin: input.origin, description: desc, image: image ? `${input.origin}${image}` : null, now, lastModified: lastModifiedOf(input) });
  const published = entries.map((e) => e.publishedAt).sort()[0] ?? file.createdAt;

  const doc = html`<!doctype html>
<html lang="${FILE_LANG}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="#ffffff" media="(prefers-color-scheme: light)">
<meta name="theme-color" content="#0f1115" media="(prefers-color-scheme: dark)">
<title>${title}</title>
<meta name="description" content="${desc}">
<link rel="canonical" href="${canonical}">
${input.kind === 'older' ? html`<meta name="robots" content="noindex, follow">` : null}
<meta property="og:type" content="article">
<meta property="og:title" content="${input.kind === 'permalink' ? title : file.title}">
<meta property="og:description" content="${desc}">
<meta property="og:url" content="${canonical}">
${image ? html`<meta property="og:image" content="${input.origin}${image}">` : null}
<meta property="article:published_time" content="${published}">
<meta property="article:modified_time" content="${lastModifiedOf(input).toISOString()}">
<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<link rel="alternate" type="application/rss+xml" title="${file.title} (RSS)" href="${feeds.rss}">
<link rel="alternate" type="application/atom+xml" title="${file.title} (Atom)" href="${feeds.atom}">
<link rel="alternate" type="application/feed+json" title="${file.title} (JSON Feed)" href="${feeds.json}">
<link rel="icon" href="/favicon.ico" sizes="32x32">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
${assets ? html`<style>${trusted(assets.css)}</style>` : null}
${assets ? html`<script type="module" src="${assets.script}"></script>${assets.preload.map((p) => html`<link rel="modulepreload" href="${p}">`)}` : null}
<script type="application/ld+json">${trusted(jsonLd)}</script>
</head>
<body>
<a class="skip" href="${input.target ? `#e-${input.target.id}` : '#latest'}">${input.target ? 'Skip to this update' : 'Skip to the latest update'}</a>
<header class="masthead">
<div class="wrap">
<p class="status-line" data-testid="status-line">${statusBadge(file)}</p>
<h1 dir="auto">${file.title}</h1>
${lifecycleLine(input, ctx, latestAt)}
</div>
</header>
<main class="wrap layout" id="main">
<div class="key-slot" id="key-events">${keyEventsSection(keyItems, ctx)}</div>
<section class="updates" aria-labelledby="latest">
<h2 class="updates-h" id="latest" tabindex="-1">${input.kind === 'older' ? 'Older updates' : 'Latest updates'}</h2>
${input.fromTop ? null : html`<p class="back-top"><a href="${livePath(file.slug)}">Back to the latest updates</a></p>`}
<button type="button" class="new-updates" id="new-updates" hidden></button>
<div role="feed" id="feed" aria-busy="false" aria-labelledby="latest" data-slug="${file.slug}" data-timezone="${file.timezone}" data-status="${file.status}" data-last-seq="${file.lastSeq}" data-top="${String(input.fromTop)}" data-title="${title}"${input.target ? html` data-target="${input.target.id}"` : null}>
${entries.map((e, i) => entryArticle(e, ctx, i + 1, setSize, { target: input.target?.id === e.id }))}
</div>
${entries.length === 0 ? html`<p class="empty" id="empty">${file.status === 'scheduled' ? 'No updates yet: they appear here once coverage starts.' : 'No updates yet.'}</p>` : null}
<p class="older-wrap">${input.nextCursor ? html`<a class="older" id="older" href="${livePath(file.slug)}?before=${encodeURIComponent(input.nextCursor)}" data-cursor="${input.nextCursor}" rel="next">Load older updates</a>` : entries.length ? html`<span class="feed-end">That is every update.</span>` : null}</p>
</section>
</main>
<footer class="page-foot wrap">
<p>Follow this story: <a href="${feeds.rss}">RSS</a> · <a href="${feeds.atom}">Atom</a> · <a href="${feeds.json}">JSON Feed</a></p>
<p>Times are ${zoneLabel(file.timezone)} time.</p>
</footer>
<div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" id="live-status"></div>
${live ? html`<p class="connection" id="connection" role="status" hidden></p>` : null}
</body>
</html>
`;
  return toString(doc);
}
