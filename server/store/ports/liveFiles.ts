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
  /** Named members who may see the file; absent or null = the whole newsroom. */
  members?: string[] | null;
  /** Four-eyes: nobody publishes an entry they wrote or co-wrote. */
  fourEyes?: boolean;
  /** A scheduled file: when coverage starts. */
  coverageStartsAt?: string;
  /** Set when the file ended (kept if it is reopened, then replaced at the next end). */
  endedAt?: string;
}
export type NewLiveFile = Omit<LiveFileRecord, 'seq'>;
export type LiveFilePatch = Partial<Pick<LiveFileRecord, 'title' | 'status' | 'timezone' | 'updatedAt' | 'members' | 'fourEyes' | 'coverageStartsAt' | 'endedAt'>>;

export interface LiveFileRepo {
  /** Throws DuplicateKeyError when the slug is taken in that newsroom. */
  create(file: NewLiveFile): Promise<LiveFileRecord>;
  findById(id: string): Promise<LiveFileRecord | null>;
  findBySlug(newsroomId: string, slug: string): Promise<LiveFileRecord | null>;
  /** The public page's lookup: slugs are unique across newsrooms too (new ones are made so). */
  findByPublicSlug(slug: string): Promise<LiveFileRecord | null>;
  /** Newest first. */
  list(newsroomId: string): Promise<LiveFileRecord[]>;
  update(id: string, patch: LiveFilePatch): Promise<LiveFileRecord | null>;
  /** Atomically adds one to seq and returns the new value. */
  bumpSeq(id: string): Promise<number>;
}
