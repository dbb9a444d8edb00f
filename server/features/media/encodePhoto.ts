import { randomBytes } from 'node:crypto';
import sharp, { type OutputInfo } from 'sharp';
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
    .jpeg({ quality: 88 })
    .toBuffer({ resolveWithObject: true });
  const blobs: MediaBlob[] = [];
  const ref = (bytes: Buffer, width: number, height: number, type: MediaType, master = false): MediaBlobRef => {
    const key = newKey(width, type, master);
    blobs.push({ key, bytes: new Uint8Array(bytes) });
    return { key, type, width, height, bytes: bytes.byteLength };
  };
  const master = ref(masterBytes, info.width, info.height, 'image/jpeg', true);
  const widths = MediaLimits.renditionWidths.filter((w) => w < info.width);
  // Largest first, each width from the one before (already oriented and stripped): a small
  // decode each time, and one raw copy per width feeds both encoders. Memory stays near one photo.
  const all = [...widths, ...(widths.length === MediaLimits.renditionWidths.length ? [] : [Math.min(info.width, MediaLimits.renditionWidths.at(-1)!)])].sort((a, b) => b - a);
  const made: Array<{ width: number; height: number; webp: Buffer; jpeg: Buffer }> = [];
  let from: { data: Buffer; info: OutputInfo } = await sharp(masterBytes).raw().toBuffer({ resolveWithObject: true });
  for (const width of all) {
    const raw = { width: from.info.width, height: from.info.height, channels: from.info.channels };
    from = await sharp(from.data, { raw }).resize({ width, withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
    const pixels = () => sharp(from.data, { raw: { width: from.info.width, height: from.info.height, channels: from.info.channels } });
    const [webp, jpeg] = await Promise.all([pixels().webp({ quality: 78 }).toBuffer(), pixels().jpeg({ quality: 80, progressive: true }).toBuffer()]);
    made.push({ width: from.info.width, height: from.info.height, webp, jpeg });
  }
  made.sort((a, b) => a.width - b.width);
  const renditions: MediaBlobRef[] = made.flatMap(({ width, height, webp, jpeg }) => [ref(webp, width, height, 'image/webp'), ref(jpeg, width, height, 'image/jpeg')]);
  return { width: info.width, height: info.height, renditions, master, blobs };
}
