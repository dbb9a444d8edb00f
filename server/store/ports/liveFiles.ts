import type { LiveFileStatus } from '../../../shared/schemas/liveFile.js';

/** Live files: one running story; slugs are unique per newsroom. */
export interface LiveFileRecord {
  id: string;
  newsroomId: string;
  slug: string;
  title: string;
  status: LiveFileStatus;
  timezone: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Bumped atomically on every change readers see. */
  seq: number;
}
export type NewLiveFile = Omit<LiveFileRecord, 'seq'>;
export type LiveFilePatch = Partial<Pick<LiveFileRecord, 'title' | 'status' | 'timezone' | 'updatedAt'>>;

export interface LiveFileRepo {
  /** Throws DuplicateKeyError when the slug is taken in that newsroom. */
  create(file: NewLiveFile): Promise<LiveFileRecord>;
  findById(id: string): Promise<LiveFileRecord | null>;
  findBySlug(newsroomId: string, slug: string): Promise<LiveFileRecord | null>;
  /** Newest first. */
  list(newsroomId: string): Promise<LiveFileRecord[]>;
  update(id: string, patch: LiveFilePatch): Promise<LiveFileRecord | null>;
  /** Atomically adds one to seq and returns the new value. */
  bumpSeq(id: string): Promise<number>;
}
