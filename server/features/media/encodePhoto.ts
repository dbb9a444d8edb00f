import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { MediaBlob, MediaBlobRef, MediaType } from '../../store/ports/media.js';
import { MediaLimits } from './mediaLimits.js';

// libvips keeps decoded images in a cache by default: off, so memory follows the work in hand.
sharp.cache(false);

export interface EncodedPhoto {
  width: number;
  height: number;
  renditions: MediaBlobRef[];
  master: MediaBlobRef;
  blobs: MediaBlob[];
}

const EXT: Record<MediaType, string> = { 'image/jpeg': 'jpg', 'image/webp': 'webp' };
/** `-m` marks the newsroom's full-size copy: the public route never serves it. */
export const MASTER_MARK = '-m';
const newKey = (width: number, type: MediaType, master = false) => `${randomBytes(18).toString('base64url')}${master ? MASTER_MARK : '-'}${width}.${EXT[type]}`;

/**
 * Re-encodes a photo for storage: orientation applied, every metadata block (EXIF with GPS and
 * maker notes, XMP, IPTC, ICC) left behind, because sharp writes none unless asked. Readers get
 * renditions in WebP and JPEG; the newsroom a full-size JPEG. Nothing of the upload is kept.
 */
export async function encodePhoto(input: Uint8Array): Promise<EncodedPhoto> {
  const source = () => sharp(input, { limitInputPixels: MediaLimits.maxPixels, failOn: 'error' }).rotate();
  const { data: masterBytes, info } = await source()
    .resize({ width: MediaLimits.masterLongSide, height: MediaLimits.masterLongSide, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 88, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  const blobs: MediaBlob[] = [];
  const ref = (bytes: Buffer, width: number, height: number, type: MediaType, master = false): MediaBlobRef => {
    const key = newKey(width, type, master);
    blobs.push({ key, bytes: new Uint8Array(bytes) });
    return { key, type, width, height, bytes: bytes.byteLength };
  };
  const master = ref(masterBytes, info.width, info.height, 'image/jpeg', true);
  const widths = MediaLimits.renditionWidths.filter((w) => w < info.width);
  const renditions: MediaBlobRef[] = [];
  // Every rendition is made from the master: already oriented, stripped and smaller than the upload.
  for (const width of [...widths, ...(widths.length === MediaLimits.renditionWidths.length ? [] : [Math.min(info.width, MediaLimits.renditionWidths.at(-1)!)])]) {
    const height = Math.round((info.height * width) / info.width);
    const resized = () => sharp(masterBytes).resize({ width, withoutEnlargement: true });
    renditions.push(ref(await resized().webp({ quality: 78 }).toBuffer(), width, height, 'image/webp'));
    renditions.push(ref(await resized().jpeg({ quality: 80, mozjpeg: true }).toBuffer(), width, height, 'image/jpeg'));
  }
  return { width: info.width, height: info.height, renditions, master, blobs };
}
