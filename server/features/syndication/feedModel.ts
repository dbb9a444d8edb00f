import type { LiveFileRecord } from '../../store/ports/liveFiles.js';
import type { ReaderEntryRecord } from '../../store/ports/publishing.js';
import { escapeHtml } from './xml.js';

/** One live file as every feed format sees it: built once, rendered three ways. */
export interface FeedModel {
  /** The live file's public page: the feeds' home and (Atom) id. */
  homeUrl: string;
  feedUrls: { rss: string; atom: string; json: string };
  title: string;
  description: string;
  /** The feed-level author (Atom requires one when an entry has no byline). */
  author: string;
  /** ISO time: the newest change to any item, or the file's own update when it has none. */
  updated: string;
  items: FeedItem[];
}

export interface FeedItem {
  /** Stable across corrections, slugs and hosts: `urn:livedesk:entry:<entryId>`. */
  id: string;
  /** The entry's permalink on the reader page, /live/<slug>/<entryId>. */
  url: string;
  title: string;
  /** Sanitized at publish time; for a retraction, the note in its place. URLs made absolute. */
  html: string;
  text: string;
  publishedAt: string;
  updatedAt: string;
  bylines: string[];
  /** "Updated", "Retracted", "Key event": RSS categories, Atom categories, JSON Feed tags. */
  tags: string[];
}

export const FEED_ITEMS_MAX = 50;
const TITLE_CHARS = 90;

export function buildFeedModel(file: Pick<LiveFileRecord, 'slug' | 'title' | 'updatedAt' | 'status'>, entries: ReaderEntryRecord[], origin: string, author: string): FeedModel {
  const homeUrl = `${origin}/live/${encodeURIComponent(file.slug)}`;
  const items = entries.map((e) => feedItem(e, homeUrl, origin));
  const newest = items.reduce((max, i) => (i.updatedAt > max ? i.updatedAt : max), file.updatedAt);
  return {
    homeUrl,
    feedUrls: { rss: `${homeUrl}/feed.rss`, atom: `${homeUrl}/feed.atom`, json: `${homeUrl}/feed.json` },
    title: file.title,
    description: `Live updates: ${file.title}`,
    author,
    updated: newest,
    items,
  };
}

function feedItem(e: ReaderEntryRecord, homeUrl: string, origin: string): FeedItem {
  const base = { id: `urn:livedesk:entry:${e.entryId}`, url: `${homeUrl}/${encodeURIComponent(e.entryId)}`, publishedAt: e.publishedAt, updatedAt: e.updatedAt, bylines: e.bylines };
  const key = e.keyEvent ? ['Key event'] : [];
  if (e.retracted) {
    // The words are withdrawn (the reader record no longer has them): the item stays, with the note.
    const note = e.retracted.reason ? `This update was retracted: ${e.retracted.reason}` : 'This update was retracted.';
    return { ...base, title: 'Retracted', html: `<p><strong>${escapeHtml(note)}</strong></p>`, text: note, updatedAt: e.retracted.at || e.updatedAt, tags: ['Retracted', ...key] };
  }
  const title = e.headline.trim() || excerpt(e.text) || 'Update';
  return {
    ...base,
    title: e.corrected ? `Updated: ${title}` : title,
    html: absoluteUrls(e.html, origin),
    text: e.text,
    tags: [...(e.corrected ? ['Updated'] : []), ...key],
  };
}

/** The first line of the text, cut on a grapheme boundary. */
function excerpt(text: string): string {
  const line = text.split('\n').find((l) => l.trim())?.trim().replace(/\s+/g, ' ') ?? '';
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(line)].map((s) => s.segment);
  return graphemes.length <= TITLE_CHARS ? line : `${graphemes.slice(0, TITLE_CHARS).join('').trimEnd()}…`;
}

/**
 * Published HTML names our own files by path (`/media/<key>` photos); a feed is read elsewhere,
 * so each root-relative src, href and srcset candidate gets the origin. The sanitizer writes
 * every attribute double-quoted.
 */
export function absoluteUrls(html: string, origin: string): string {
  return html
    .replace(/(\s(?:src|href)=")\/(?!\/)/g, `$1${origin}/`)
    .replace(/(\ssrcset=")([^"]*)"/g, (_m, lead: string, set: string) => `${lead}${set.split(',').map((c) => c.trim().replace(/^\/(?!\/)/, `${origin}/`)).join(', ')}"`);
}
