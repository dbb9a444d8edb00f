// A photo from the camera or the gallery, made ready to send on the device: decoded with its EXIF
// orientation applied, scaled to a 2048 px long side at most and re-encoded as JPEG. Re-encoding
// drops every EXIF, GPS and XMP tag, so the location never leaves the phone (the server strips
// again anyway). A format this browser cannot decode (HEIC on Chrome) goes as it is: the server
// decodes it and keeps no metadata either.

export const LONG_SIDE = 2048;
const QUALITY = 0.85;

export interface PreparedPhoto {
  blob: Blob;
  type: string;
  width: number;
  height: number;
  /** Re-encoded here (false: sent as taken, for the server to re-encode). */
  reencoded: boolean;
}

export function scaledSize(width: number, height: number, longSide = LONG_SIDE): { width: number; height: number } {
  const scale = Math.min(1, longSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export async function preparePhoto(file: Blob): Promise<PreparedPhoto> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return { blob: file, type: file.type || 'application/octet-stream', width: 0, height: 0, reencoded: false };
  }
  try {
    const { width, height } = scaledSize(bitmap.width, bitmap.height);
    const blob = await encode(bitmap, width, height);
    return { blob, type: 'image/jpeg', width, height, reencoded: true };
  } finally {
    bitmap.close();
  }
}

async function encode(bitmap: ImageBitmap, width: number, height: number): Promise<Blob> {
  if (typeof OffscreenCanvas === 'function') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (ctx) {
      draw(ctx, bitmap, width, height);
      return canvas.convertToBlob({ type: 'image/jpeg', quality: QUALITY });
    }
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas on this device');
  draw(ctx, bitmap, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the photo could not be encoded'))), 'image/jpeg', QUALITY));
}

function draw(ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D, bitmap: ImageBitmap, width: number, height: number) {
  // JPEG has no transparency: a PNG's clear pixels become white, not black.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
}
