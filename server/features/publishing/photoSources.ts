import type { MediaService } from '../media/MediaService.js';
import { presentMedia } from '../media/MediaService.js';
import { photoIdsOf } from '../entries/entryText.js';
import { readEntry, type EntryDocJson, type PhotoSources, type RenderedEntry } from './renderEntry.js';

/** The reader renditions of every photo a document names, for renderEntry. */
export async function photoSourcesOf(media: Pick<MediaService, 'lookup'>, doc: EntryDocJson): Promise<Map<string, PhotoSources>> {
  const found = await media.lookup(photoIdsOf(doc));
  return new Map([...found].map(([id, record]) => [id, presentMedia(record)]));
}

/** An entry's stored state as readers get it, its photos' renditions looked up: decoded once. */
export async function renderStoredEntry(media: Pick<MediaService, 'lookup'>, state: Uint8Array): Promise<RenderedEntry> {
  const entry = readEntry(state);
  return entry.render({ photos: await photoSourcesOf(media, entry.doc) });
}
