import type { LiveFileRepo } from '../../store/ports/liveFiles.js';
import type { PublishingRepo } from '../../store/ports/publishing.js';
import { presentPublicChange, type PublicChange } from './presentPublic.js';

/**
 * What the reader socket (`/live`, realtime/readers) reads: published content only, like
 * PublicLiveService, but by live file id (the socket resolves a slug once and keeps it: slugs
 * never change) and bounded, so a reader far behind costs one read, not a page of changes.
 */
export function createReaderCatchUp(deps: { liveFiles: Pick<LiveFileRepo, 'findByPublicSlug'>; publishing: Pick<PublishingRepo, 'lastSeq' | 'changesAfter'> }) {
  const { liveFiles, publishing } = deps;

  /** The file behind a public slug, or null. */
  async function fileOf(slug: string): Promise<{ liveFileId: string; slug: string; status: string } | null> {
    const file = await liveFiles.findByPublicSlug(slug);
    return file ? { liveFileId: file.id, slug: file.slug, status: file.status } : null;
  }

  /**
   * lastSeq, then the changes after `after` (at most `max`, gap-free, in seq order); `changes:
   * null`, without reading them, when more than `max` were missed. The list may run past lastSeq
   * (changes stored between the two reads).
   */
  async function catchUp(liveFileId: string, after: number, max: number): Promise<{ lastSeq: number; changes: PublicChange[] | null }> {
    const lastSeq = await publishing.lastSeq(liveFileId);
    if (lastSeq - after > max) return { lastSeq, changes: null };
    const list = after >= lastSeq ? [] : await publishing.changesAfter(liveFileId, after, max);
    return { lastSeq, changes: list.map(presentPublicChange) };
  }

  /** The newest stored seq of a live file (0: none). */
  const lastSeq = (liveFileId: string): Promise<number> => publishing.lastSeq(liveFileId);

  /** Changes after `after`, at most `limit`, for the fan-out to fill a gap in what it was told. */
  async function changesAfter(liveFileId: string, after: number, limit: number): Promise<PublicChange[]> {
    return (await publishing.changesAfter(liveFileId, after, limit)).map(presentPublicChange);
  }

  return { fileOf, catchUp, lastSeq, changesAfter };
}
export type ReaderCatchUp = ReturnType<typeof createReaderCatchUp>;
