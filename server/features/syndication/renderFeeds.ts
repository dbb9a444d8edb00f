import type { FeedItem, FeedModel } from './feedModel.js';
import { element } from './xml.js';

/** Media types: RSS and Atom by their registrations, JSON Feed 1.1 by its spec. */
export const FEED_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const;
export type FeedFormat = keyof typeof FEED_TYPES;

const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>\n';
const GENERATOR = 'Livedesk';
/** RFC 822 dates, as RSS 2.0 wants them (`toUTCString` writes exactly that, in GMT). */
const rfc822 = (iso: string) => new Date(iso).toUTCString();

/** RSS 2.0: channel title/link/description; items with title, link, guid (not a permalink: the id), pubDate. */
export function renderRss(m: FeedModel): string {
  const items = m.items.map((i) => [
    '<item>',
    element('title', i.title),
    element('link', i.url),
    element('guid', i.id, { isPermaLink: 'false' }),
    element('pubDate', rfc822(i.publishedAt)),
    ...i.bylines.map((b) => element('dc:creator', b)),
    ...i.tags.map((t) => element('category', t)),
    element('description', i.html),
    '</item>',
  ].join('')).join('\n');
  return `${XML_DECL}<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
${element('title', m.title)}${element('link', m.homeUrl)}${element('description', m.description)}${element('atom:link', undefined, { href: m.feedUrls.rss, rel: 'self', type: 'application/rss+xml' })}
${element('lastBuildDate', rfc822(m.updated))}${element('generator', GENERATOR)}
${items}
</channel></rss>
`;
}

/** Atom (RFC 4287): feed id/title/updated/author/self link; entries with id, title, updated, published, link, content. */
export function renderAtom(m: FeedModel): string {
  const entries = m.items.map((i: FeedItem) => [
    '<entry>',
    element('id', i.id),
    element('title', i.title, { type: 'text' }),
    element('updated', i.updatedAt),
    element('published', i.publishedAt),
    element('link', undefined, { rel: 'alternate', type: 'text/html', href: i.url }),
    ...i.bylines.map((b) => `<author>${element('name', b)}</author>`),
    ...i.tags.map((t) => element('category', undefined, { term: t })),
    element('content', i.html, { type: 'html' }),
    '</entry>',
  ].join('')).join('\n');
  return `${XML_DECL}<feed xmlns="http://www.w3.org/2005/Atom">
${element('id', m.homeUrl)}${element('title', m.title, { type: 'text' })}${element('subtitle', m.description)}${element('updated', m.updated)}
${element('link', undefined, { rel: 'alternate', type: 'text/html', href: m.homeUrl })}${element('link', undefined, { rel: 'self', type: 'application/atom+xml', href: m.feedUrls.atom })}
<author>${element('name', m.author)}</author>${element('generator', GENERATOR)}
${entries}
</feed>
`;
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1); JSON.stringify escapes what JSON must. */
export function renderJsonFeed(m: FeedModel): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: m.title,
    home_page_url: m.homeUrl,
    feed_url: m.feedUrls.json,
    description: m.description,
    authors: [{ name: m.author }],
    items: m.items.map((i) => ({
      id: i.id,
      url: i.url,
      title: i.title,
      content_html: i.html,
      content_text: i.text,
      date_published: i.publishedAt,
      date_modified: i.updatedAt,
      ...(i.bylines.length > 0 ? { authors: i.bylines.map((name) => ({ name })) } : {}),
      ...(i.tags.length > 0 ? { tags: i.tags } : {}),
    })),
  };
  return `${JSON.stringify(feed)}\n`;
}

export const RENDERERS: Record<FeedFormat, (m: FeedModel) => string> = { rss: renderRss, atom: renderAtom, json: renderJsonFeed };
