// Phone photos for the filing e2e tests, made on the Node side with sharp and written to temp files
// (the page gets them through setInputFiles, as if picked from the gallery). Each carries EXIF with
// GPS tags, the way a phone camera writes them, so a test can prove none of it reaches the server.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

export const GPS_EXIF = {
  IFD0: { Make: 'LivedeskTestPhone', Model: 'E2E' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 14/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '76/1 53/1 10/1' },
};

/** A small photo (a few KB): a coloured disc on a plain ground, `label` drawn in. */
export async function smallPhoto(dir: string, name: string, colour = '#2a7', label = name): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900"><rect width="1200" height="900" fill="${colour}"/>
    <circle cx="600" cy="450" r="300" fill="#fc3"/><text x="600" y="470" font-size="90" text-anchor="middle" fill="#123">${label}</text></svg>`;
  const bytes = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).withExif(GPS_EXIF).toBuffer();
  const path = join(dir, `${name}.jpg`);
  await writeFile(path, bytes);
  return path;
}

/** A phone-camera-sized photo: 4000×3000 of noise at quality 95, about 11 MB (it does not compress). */
export async function largePhoto(dir: string, name: string): Promise<{ path: string; bytes: number }> {
  const bytes = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .jpeg({ quality: 95 }).withExif(GPS_EXIF).toBuffer();
  const path = join(dir, `${name}.jpg`);
  await writeFile(path, bytes);
  return { path, bytes: bytes.length };
}

/** What sharp reads of an image: its size and whether any EXIF (GPS included) is left. */
export async function photoFacts(bytes: Uint8Array): Promise<{ width: number; height: number; exif: boolean; format: string }> {
  const m = await sharp(bytes).metadata();
  return { width: m.width ?? 0, height: m.height ?? 0, exif: !!m.exif, format: m.format ?? '' };
}
