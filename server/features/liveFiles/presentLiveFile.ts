import type { LiveFileView } from '../../../shared/schemas/liveFile.js';
import type { LiveFileRecord } from '../../store/Store.js';

export function presentLiveFile(f: LiveFileRecord, entryCount: number): LiveFileView {
  return {
    id: f.id,
    slug: f.slug,
    title: f.title,
    status: f.status,
    timezone: f.timezone,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    entryCount,
  };
}
