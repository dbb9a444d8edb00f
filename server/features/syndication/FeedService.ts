import { createHash } from 'node:crypto';
import { notFound } from '../../errors.js';
import type { LiveFileRepo } from '../../store/ports/liveFiles.js';
import type { PublishingRepo } from '../../store/ports/publishing.js';
import { buildFeedModel, FEED_ITEMS_MAX } from './feedModel.js';
import { FEED_TYPES, RENDERERS, type FeedFormat } from './renderFeeds.js';

export interface RenderedFeed {
  body: string;
  contentType: string;
  /** Strong: a hash of the body. */
  etag: string;
  /** The newest change to the feed (HTTP date). */
  lastModified: string;
}

/**
 * RSS 2.0, Atom and JSON Feed 1.1 of one live file, from the reader records only (published
 * content, as the public API): the newest FEED_ITEMS_MAX by publish time; a correction keeps its
 * item (same id) with an "Updated" title and category, a retraction keeps it with the note.
 */
export function createFeedService(deps: { liveFiles: Pick<LiveFileRepo, 'findByPublicSlug'>; publishing: Pick<PublishingRepo, 'recentReaderEntries'>; author: string }) {
  async function render(slug: string, format: FeedFormat, origin: string): Promise<RenderedFeed> {
    const file = await deps.liveFiles.findByPublicSlug(slug);
    if (!file) throw notFound('Live file');
    const entries = await deps.publishing.recentReaderEntries(file.id, FEED_ITEMS_MAX);
    const model = buildFeedModel(file, entries, origin, deps.author);
    const body = RENDERERS[format](model);
    return {
      body,
      contentType: FEED_TYPES[format],
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      lastModified: new Date(model.updated).toUTCString(),
    };
  }
  return { render };
}
export type FeedService = ReturnType<typeof createFeedService>;
