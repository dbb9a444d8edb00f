import type { MediaService } from '../media/MediaService.js';
import { presentMedia } from '../media/MediaService.js';
import { photoIdsOf } from '../entries/entryText.js';
import type { EntryDocJson, PhotoSources } from './renderEntry.js';

/** The reader renditions of every photo a document names, for renderEntry. */
export async function photoSourcesOf(media: Pick<MediaService, 'lookup'>, doc: EntryDocJson): Promise<Map<string, PhotoSources>> {
  const found = await media.lookup(photoIdsOf(doc));
  return new Map([...found].map(([id, record]) => [id, presentMedia(record)]));
}
