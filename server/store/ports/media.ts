/**
 * Photos, apart from the record store: blobs in GridFS (MongoDB) or files on disk (embedded),
 * with one small record per upload. Only re-encoded bytes are ever stored (no original upload,
 * no metadata): see features/media.
 */
export const MEDIA_TYPES = ['image/jpeg', 'image/webp'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export interface MediaBlobRef {
  /** Unguessable, url-safe, with its extension: the public URL of a rendition is /media/<key>. */
  key: string;
  type: MediaType;
  width: number;
  height: number;
  bytes: number;
}

export interface MediaRecord {
  id: string;
  newsroomId: string;
  ownerId: string;
  /** The uploader's key: one record per (ownerId, idempotencyKey). */
  idempotencyKey: string;
  /** sha256 of the uploaded bytes: the same key with other bytes is a conflict. */
  requestHash: string;
  width: number;
  height: number;
  /** Served to anyone who has the URL (readers, once published). */
  renditions: MediaBlobRef[];
  /** The full-size re-encode, for the newsroom only (never served to readers). */
  master: MediaBlobRef;
  createdAt: string;
}

export interface MediaBlob {
  key: string;
  bytes: Uint8Array;
}

export interface MediaRepo {
  /**
   * Stores the blobs, then the record. With a record already under (ownerId, idempotencyKey) the
   * first one stays: `created: false` with it, and this call's blobs are deleted again.
   */
  create(record: MediaRecord, blobs: MediaBlob[]): Promise<{ record: MediaRecord; created: boolean }>;
  findById(id: string): Promise<MediaRecord | null>;
  findByIdempotencyKey(ownerId: string, idempotencyKey: string): Promise<MediaRecord | null>;
  /** The stored bytes of one blob, or null. */
  readBlob(key: string): Promise<Uint8Array | null>;
  close(): Promise<void>;
}
