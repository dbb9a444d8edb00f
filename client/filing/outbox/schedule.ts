// What the outbox sends next, and when: pure functions over the records (unit-tested in Node).
//
// Two lanes run side by side: the text lane (create, content, submit: small JSON requests, one at a
// time, in the order filed) and the photo lane (uploads, one at a time, in the order filed). A
// filing with photos waits for its own photos only: the text lane passes it by, so a 10 MB photo on
// a slow link never holds a text update behind it. A filing waiting out its backoff is not passed
// (the server or the network is the trouble, and order is kept).
import type { ContentBody, CreateBody, FilingContent, OutboxItem, PhotoRecord } from './model.js';

/** Retry delays: 1 s, 2 s, 4 s … doubling up to 30 s, each ±20 % so phones do not retry in step. */
export const BACKOFF = { firstMs: 1000, factor: 2, maxMs: 30_000, jitter: 0.2 } as const;

/** The wait before attempt `failures + 1`, after `failures` failures in a row (1 = the first failure). */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(failures));
  const base = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * BACKOFF.factor ** (n - 1));
  const spread = 1 - BACKOFF.jitter + 2 * BACKOFF.jitter * Math.min(1, Math.max(0, random()));
  return Math.round(Math.min(BACKOFF.maxMs * (1 + BACKOFF.jitter), base * spread));
}

/**
 * What a failed request means for the outbox: `retry` later with the same key (no answer, the
 * server busy or rate-limiting), `auth` (signed out: keep everything, send after sign-in) or
 * `refused` (the server said no for a reason a retry will not change: waits for the person).
 */
export type Verdict = 'retry' | 'auth' | 'refused';

export function verdictOf(status: number): Verdict {
  if (status === 0 || status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  if (status === 401) return 'auth';
  return 'refused';
}

/** Where a filing is: the first thing it still needs. */
export type Stage = 'held' | 'failed' | 'done' | 'photos' | 'create' | 'content' | 'submit' | 'finish';

/** Its photo records in the order the filing lists them (a missing one is `undefined`). */
export function photosOf(item: OutboxItem, photos: ReadonlyMap<string, PhotoRecord>): Array<PhotoRecord | undefined> {
  return item.content.photos.map((ref) => photos.get(ref.photoId));
}

export function stageOf(item: OutboxItem, photos: ReadonlyMap<string, PhotoRecord>): Stage {
  if (item.done) return 'done';
  if (item.held) return 'held';
  if (item.failed) return 'failed';
  const own = photosOf(item, photos);
  if (own.some((p) => !p || p.failed)) return 'failed';
  // Photos go before the create or content request that names them (by their server ids).
  if ((!item.entryId || item.contentDirty) && own.some((p) => !p!.media)) return 'photos';
  if (!item.entryId) return 'create';
  if (item.contentDirty) return 'content';
  if (item.intent === 'submit' && !item.submitted) return 'submit';
  return 'finish';
}

/** A record may be tried now: its backoff is over, or a request to the server succeeded since it failed. */
export function eligible(rec: { nextAttemptAt: number; lastError?: { at: string } }, now: number, reachedAt: number): boolean {
  if (rec.nextAttemptAt <= now) return true;
  return !!rec.lastError && Date.parse(rec.lastError.at) <= reachedAt;
}

export type TextStep =
  | { kind: 'create'; item: OutboxItem; body: CreateBody }
  | { kind: 'content'; item: OutboxItem; body: ContentBody }
  | { kind: 'submit'; item: OutboxItem }
  | { kind: 'finish'; item: OutboxItem };

/** The text lane's next request, or when to look again (`wait`, ms since epoch), or nothing to do. */
export type Pick<T> = { step: T } | { wait: number } | null;

export function bySeq(a: OutboxItem, b: OutboxItem): number {
  return a.seq - b.seq || (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0);
}

export function pickText(items: readonly OutboxItem[], photos: ReadonlyMap<string, PhotoRecord>, now: number, reachedAt = 0): Pick<TextStep> {
  for (const item of [...items].sort(bySeq)) {
    const stage = stageOf(item, photos);
    if (stage === 'done' || stage === 'held' || stage === 'failed' || stage === 'photos') continue;
    if (stage === 'finish') return { step: { kind: 'finish', item } };
    if (!eligible(item, now, reachedAt)) return { wait: item.nextAttemptAt };
    if (stage === 'create') return { step: { kind: 'create', item, body: item.createSent ?? createBody(item, photos) } };
    if (stage === 'content') return { step: { kind: 'content', item, body: contentBody(item.content, photos) } };
    return { step: { kind: 'submit', item } };
  }
  return null;
}

/** The photo lane's next upload: the first photo still to send, of the oldest filing that needs it. */
export function pickPhoto(items: readonly OutboxItem[], photos: ReadonlyMap<string, PhotoRecord>, now: number, reachedAt = 0): Pick<PhotoRecord> {
  for (const item of [...items].sort(bySeq)) {
    if (stageOf(item, photos) !== 'photos') continue;
    for (const p of photosOf(item, photos)) {
      if (!p || p.media || p.failed) continue;
      if (!eligible(p, now, reachedAt)) {
        // One upload at a time and in order: the next photo waits for this one's backoff.
        return { wait: p.nextAttemptAt };
      }
      return { step: p };
    }
  }
  return null;
}

/** Paragraphs as the server takes them: one per non-empty line, blank lines between. */
export function paragraphs(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n\n');
}

/** Links kept: trimmed, non-empty, http or https, each once. */
export function cleanLinks(links: readonly string[]): string[] {
  return [...new Set(links.map((l) => l.trim()).filter((l) => l && isHttpUrl(l)))];
}

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}

function photoBodies(content: FilingContent, photos: ReadonlyMap<string, PhotoRecord>) {
  return content.photos.map((ref) => ({ mediaId: photos.get(ref.photoId)!.media!.id, caption: ref.caption.trim(), credit: ref.credit.trim() }));
}

/** The create request of a filing (its photos uploaded). Empty fields are left out. */
export function createBody(item: OutboxItem, photos: ReadonlyMap<string, PhotoRecord>): CreateBody {
  const c = item.content;
  const text = paragraphs(c.text);
  const links = cleanLinks(c.links);
  const body: CreateBody = { idempotencyKey: item.createKey };
  if (text) body.text = text;
  if (c.headline.trim()) body.headline = c.headline.trim();
  if (c.place.trim()) body.place = c.place.trim();
  if (links.length) body.links = links;
  if (c.photos.length) body.photos = photoBodies(c, photos);
  if (c.bylineAsDesk) body.bylineAsDesk = true;
  return body;
}

/** An existing entry written again (PUT /api/entries/:entryId/content): the whole filing, headline included. */
export function contentBody(c: FilingContent, photos: ReadonlyMap<string, PhotoRecord>): ContentBody {
  return { headline: c.headline.trim(), text: paragraphs(c.text), place: c.place.trim(), links: cleanLinks(c.links), photos: photoBodies(c, photos) };
}
