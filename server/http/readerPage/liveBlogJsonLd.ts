/**
 * schema.org LiveBlogPosting for the page (search engines' live badge): coverage times and one
 * liveBlogUpdate (BlogPosting) per entry shown that readers can read; a withdrawn entry has no
 * words left and gets none. Serialized for a <script type="application/ld+json"> data block.
 */
import { detectLang, entryLabel, FILE_LANG, livePath, type ReaderEntry, type ReaderFile } from '../../../shared/reader/readerText.js';

/** When a live file has not ended, its projected end: this long after its latest update (schema.org wants one). */
const PROJECTED_COVERAGE_MS = 24 * 3_600_000;

export interface LiveBlogInput {
  file: ReaderFile;
  entries: readonly ReaderEntry[];
  canonical: string;
  origin: string;
  description: string;
  image: string | null;
  now: Date;
  lastModified: Date;
}

export function liveBlogObject(input: LiveBlogInput): Record<string, unknown> {
  const { file, entries, origin } = input;
  const start = file.coverageStartsAt ?? file.createdAt;
  const ended = file.status === 'ended' || file.status === 'archived';
  const end = ended && file.endedAt
    ? file.endedAt
    : new Date(Math.max(Date.parse(start), input.lastModified.getTime()) + PROJECTED_COVERAGE_MS).toISOString();
  const updates = entries.filter((e) => !e.retracted).map((e) => ({
    '@type': 'BlogPosting',
    '@id': `${origin}${livePath(file.slug, e.id)}`,
    url: `${origin}${livePath(file.slug, e.id)}`,
    headline: entryLabel(e, 110),
    datePublished: e.publishedAt,
    dateModified: e.updatedAt,
    articleBody: e.text,
    inLanguage: detectLang(`${e.headline} ${e.text}`),
    ...(e.bylines.length ? { author: e.bylines.map((name) => ({ '@type': 'Person', name })) } : {}),
  }));
  return {
    '@context': 'https://schema.org',
    '@type': 'LiveBlogPosting',
    '@id': input.canonical,
    url: input.canonical,
    mainEntityOfPage: input.canonical,
    headline: file.title.slice(0, 110),
    description: input.description,
    inLanguage: FILE_LANG,
    datePublished: entries.map((e) => e.publishedAt).sort()[0] ?? file.createdAt,
    dateModified: input.lastModified.toISOString(),
    coverageStartTime: start,
    coverageEndTime: end,
    ...(input.image ? { image: [input.image] } : {}),
    liveBlogUpdate: updates,
  };
}

/** JSON safe inside <script>: no `<`, `>`, `&` or line separators as themselves. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function liveBlogJsonLd(input: LiveBlogInput): string {
  return jsonForScript(liveBlogObject(input));
}
