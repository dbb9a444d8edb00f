import { z } from 'zod';
import { invalidInput, notFound } from '../../errors.js';
import type { LiveFileRecord, LiveFileRepo } from '../../store/ports/liveFiles.js';
import type { PublishingRepo, ReaderCursor, ReaderEntryRecord } from '../../store/ports/publishing.js';
import { presentPublicChange, presentPublicEntry, type PublicChange, type PublicEntry } from './presentPublic.js';

export const PUBLIC_PAGE_DEFAULT = 20;
export const PUBLIC_PAGE_MAX = 100;
export const CHANGES_PAGE_MAX = 1000;

const CursorJson = z.strictObject({ p: z.boolean(), o: z.string().max(200), i: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) });

export function encodeCursor(c: ReaderCursor): string {
  return Buffer.from(JSON.stringify({ p: c.pinned, o: c.position, i: c.entryId })).toString('base64url');
}

export function decodeCursor(raw: string): ReaderCursor {
  try {
    const parsed = CursorJson.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { pinned: parsed.p, position: parsed.o, entryId: parsed.i };
  } catch {
    throw invalidInput('before must be a cursor this API gave you (nextCursor).');
  }
}

export interface PublicLivePage {
  liveFile: { slug: string; title: string; status: string; lastSeq: number; timezone: string; coverageStartsAt?: string; endedAt?: string; createdAt: string };
  entries: PublicEntry[];
  nextCursor: string | null;
}

function presentFile(file: LiveFileRecord, lastSeq: number): PublicLivePage['liveFile'] {
  return {
    slug: file.slug, title: file.title, status: file.status, lastSeq, timezone: file.timezone, createdAt: file.createdAt,
    ...(file.coverageStartsAt ? { coverageStartsAt: file.coverageStartsAt } : {}),
    ...(file.endedAt ? { endedAt: file.endedAt } : {}),
  };
}

/** The reader side, no sign-in: published content only (the reader repo holds nothing else). */
export function createPublicLiveService(deps: { liveFiles: Pick<LiveFileRepo, 'findByPublicSlug'>; publishing: PublishingRepo }) {
  const { liveFiles, publishing } = deps;

  async function fileBySlug(slug: string) {
    const file = await liveFiles.findByPublicSlug(slug);
    if (!file) throw notFound('Live file');
    return file;
  }

  async function page(slug: string, opts: { before?: string; limit?: number }): Promise<PublicLivePage> {
    const file = await fileBySlug(slug);
    const limit = opts.limit ?? PUBLIC_PAGE_DEFAULT;
    // lastSeq first: a change stored after it is also after the page, so a reader that
    // subscribes from lastSeq misses nothing (it may see a change twice and skips it by seq).
    const lastSeq = await publishing.lastSeq(file.id);
    const rows = await publishing.listReaderEntries(file.id, { limit: limit + 1, ...(opts.before ? { after: decodeCursor(opts.before) } : {}) });
    const shown = rows.slice(0, limit);
    const last = shown.at(-1);
    return {
      liveFile: presentFile(file, lastSeq),
      entries: shown.map(presentPublicEntry),
      nextCursor: rows.length > limit && last ? encodeCursor({ pinned: last.pinned, position: last.position, entryId: last.entryId }) : null,
    };
  }

  /**
   * A cheap version stamp of everything a page of the file shows (two small reads, no entries):
   * its reader seq (every publish, correction, retraction, move, pin and key-event mark stores a
   * change) and the file's own fields (lifecycle status, coverage times, title), which change
   * without a reader change. Read it before the page: the reader record is written before its
   * change (PublishingService), so a page read after the stamp is at least as new as the stamp.
   */
  async function version(slug: string): Promise<string> {
    const file = await fileBySlug(slug);
    const lastSeq = await publishing.lastSeq(file.id);
    return JSON.stringify([file.id, lastSeq, file.status, file.updatedAt, file.title, file.timezone, file.createdAt, file.coverageStartsAt ?? null, file.endedAt ?? null]);
  }

  async function changes(slug: string, after: number): Promise<{ changes: PublicChange[]; lastSeq: number }> {
    const file = await fileBySlug(slug);
    const list = await publishing.changesAfter(file.id, after, CHANGES_PAGE_MAX);
    // A short list ends at the last seq stored (seqs have no gaps); only a full page or none asks.
    const lastSeq = list.length > 0 && list.length < CHANGES_PAGE_MAX ? list.at(-1)!.seq : await publishing.lastSeq(file.id);
    return { changes: list.map(presentPublicChange), lastSeq };
  }

  /**
   * A permalink's page: the entry with its neighbours. Near the top (within the first
   * PUBLIC_PAGE_MAX) it is the top page down to a few entries past the entry; deeper, the entry
   * and the ones after it (`fromTop` false: the page has no newer neighbours, it links to the top).
   */
  async function around(slug: string, entryId: string, opts: { limit?: number; after?: number } = {}): Promise<PublicLivePage & { fromTop: boolean }> {
    const file = await fileBySlug(slug);
    const limit = opts.limit ?? PUBLIC_PAGE_DEFAULT;
    const after = opts.after ?? 3;
    const lastSeq = await publishing.lastSeq(file.id);
    const target = await publishing.findReaderEntry(entryId);
    if (!target || target.liveFileId !== file.id) throw notFound('Entry');
    const top = await publishing.listReaderEntries(file.id, { limit: PUBLIC_PAGE_MAX + 1 });
    const at = top.findIndex((r) => r.entryId === entryId);
    let rows: ReaderEntryRecord[];
    let shownCount: number;
    if (at >= 0 && at < PUBLIC_PAGE_MAX) {
      shownCount = Math.min(Math.max(limit, at + 1 + after), PUBLIC_PAGE_MAX);
      rows = top;
    } else {
      // Just before the entry in reader order: '' sorts before every id at its (pinned, position).
      rows = await publishing.listReaderEntries(file.id, { limit: limit + 1, after: { pinned: target.pinned, position: target.position, entryId: '' } });
      shownCount = limit;
    }
    const shown = rows.slice(0, shownCount);
    const last = shown.at(-1);
    return {
      liveFile: presentFile(file, lastSeq),
      entries: shown.map(presentPublicEntry),
      nextCursor: rows.length > shownCount && last ? encodeCursor({ pinned: last.pinned, position: last.position, entryId: last.entryId }) : null,
      fromTop: at >= 0 && at < PUBLIC_PAGE_MAX,
    };
  }

  return { page, changes, around, version };
}
export type PublicLiveService = ReturnType<typeof createPublicLiveService>;
