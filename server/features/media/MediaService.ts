import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { z } from 'zod';
import { ErrorCode } from '../../../shared/errors.js';
import { AppError, conflict, invalidInput, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { AccountRecord } from '../../store/ports/accounts.js';
import type { MediaRecord, MediaRepo } from '../../store/ports/media.js';
import { encodePhoto, MASTER_MARK } from './encodePhoto.js';
import { ACCEPTED_IMAGE_TYPES, MediaLimits } from './mediaLimits.js';

/** `POST /api/media`'s answer: what the filing page and partners use. */
export interface MediaView {
  id: string;
  width: number;
  height: number;
  renditions: Array<{ width: number; type: string; url: string }>;
}

const Key = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'Idempotency-Key must be 8–128 letters, digits or _ . : -');

export const renditionUrl = (key: string) => `/media/${key}`;

export function presentMedia(m: MediaRecord): MediaView {
  return { id: m.id, width: m.width, height: m.height, renditions: m.renditions.map((r) => ({ width: r.width, type: r.type, url: renditionUrl(r.key) })) };
}

/** A counting gate: at most `n` encodes run at once, the rest wait their turn. */
function gate(n: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export function createMediaService(deps: { media: MediaRepo }) {
  const { media } = deps;
  const encodeGate = gate(MediaLimits.concurrentEncodes);

  /**
   * Takes one photo under the uploader's Idempotency-Key: a repeat answers the first result and
   * stores nothing twice; the same key with other bytes is a conflict. The type comes from the
   * bytes; the pixel count from the header, before anything is decoded.
   */
  async function upload(account: AccountRecord, bytes: Uint8Array, rawKey: string | undefined): Promise<{ media: MediaView; created: boolean }> {
    if (rawKey === undefined) throw invalidInput('Send an Idempotency-Key header with every upload (a new UUID per photo, the same one on retry).');
    const key = Key.parse(rawKey);
    const requestHash = createHash('sha256').update(bytes).digest('base64url');
    const earlier = await media.findByIdempotencyKey(account.id, key);
    if (earlier) return { media: presentMedia(sameUpload(earlier, requestHash)), created: false };
    if (bytes.byteLength === 0) throw invalidInput('The upload is empty: send the image bytes as the request body.');
    if (bytes.byteLength > MediaLimits.maxUploadBytes) throw new AppError(ErrorCode.MediaTooLarge, `A photo may be at most ${MediaLimits.maxUploadBytes / 1024 / 1024} MB.`);
    const type = (await fileTypeFromBuffer(bytes))?.mime;
    if (!type || !(ACCEPTED_IMAGE_TYPES as readonly string[]).includes(type)) {
      throw new AppError(ErrorCode.UnsupportedMediaType, 'This is not a photo we can take: send a JPEG, PNG, WebP, AVIF, HEIC, TIFF or GIF.', { detected: type ?? null });
    }
    await checkPixels(bytes);
    const encoded = await encodeGate(() => encodePhoto(bytes)).catch((error: unknown) => {
      if (error instanceof AppError) throw error;
      throw invalidInput('This image could not be read: it may be damaged. Try another copy.');
    });
    const record: MediaRecord = {
      id: newId(),
      newsroomId: account.newsroomId,
      ownerId: account.id,
      idempotencyKey: key,
      requestHash,
      width: encoded.width,
      height: encoded.height,
      renditions: encoded.renditions,
      master: encoded.master,
      createdAt: new Date().toISOString(),
    };
    const stored = await media.create(record, encoded.blobs);
    return { media: presentMedia(sameUpload(stored.record, requestHash)), created: stored.created };
  }

  /** A rendition for anyone with its URL (readers need no sign-in); originals are never stored. */
  async function rendition(key: string): Promise<{ bytes: Uint8Array; type: string } | null> {
    if (isMasterKey(key)) return null;
    const bytes = await media.readBlob(key);
    if (!bytes) return null;
    return { bytes, type: key.endsWith('.webp') ? 'image/webp' : 'image/jpeg' };
  }

  /** The full-size copy, for people of the uploader's newsroom (the desk's photo cards). */
  async function master(account: AccountRecord, id: string): Promise<{ bytes: Uint8Array; type: string }> {
    const record = await media.findById(id);
    if (!record || record.newsroomId !== account.newsroomId) throw notFound('Photo');
    const bytes = await media.readBlob(record.master.key);
    if (!bytes) throw notFound('Photo');
    return { bytes, type: record.master.type };
  }

  /** Media records by id, for publishing (srcset, width, height). */
  async function lookup(ids: Iterable<string>): Promise<Map<string, MediaRecord>> {
    const out = new Map<string, MediaRecord>();
    for (const id of new Set(ids)) {
      const record = await media.findById(id);
      if (record) out.set(id, record);
    }
    return out;
  }

  return { upload, rendition, master, lookup };
}
export type MediaService = ReturnType<typeof createMediaService>;

const isMasterKey = (key: string) => new RegExp(`${MASTER_MARK}\\d+\\.[a-z]+$`).test(key);

function sameUpload(record: MediaRecord, requestHash: string): MediaRecord {
  if (record.requestHash !== requestHash) throw conflict('This Idempotency-Key was used for a different photo.');
  return record;
}

/** Reads only the header: a 100,000 × 100,000 PNG of a few KB is refused here, never decoded. */
async function checkPixels(bytes: Uint8Array): Promise<void> {
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes, { limitInputPixels: false }).metadata());
  } catch {
    throw invalidInput('This image could not be read: it may be damaged. Try another copy.');
  }
  if (!width || !height) throw invalidInput('This image has no size we can read.');
  if (width * height > MediaLimits.maxPixels) {
    throw new AppError(ErrorCode.MediaTooLarge, `This image is ${width} × ${height} pixels; at most ${MediaLimits.maxPixels / 1e6} megapixels are taken.`);
  }
}
