import sharp from 'sharp';

/** Strings planted in a test photo's metadata: none may survive into anything stored. */
export const PLANTED = ['SecretCam', 'Field-9', 'GPS-SECRET-COMMENT', 'XMP-SECRET-PLACE', 'IPTC-SECRET-CITY', 'MAKERNOTE-SECRET-SERIAL'] as const;

/**
 * A JPEG as a phone writes it: EXIF with the camera, a maker note and GPS coordinates, XMP with a
 * place, an IPTC block (Photoshop APP13) with a city, and an EXIF orientation.
 */
export async function photoWithSecrets(opts: { width: number; height: number; orientation?: number; quality?: number; noise?: boolean }): Promise<Buffer> {
  const { width, height } = opts;
  // A gradient, so encoders have real work (a flat colour compresses to nothing).
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = (y * width + x) * 3;
    // Sensor-like noise, so a 12 MP photo weighs what a phone's does (a few MB), not a few hundred KB.
    const n = opts.noise ? ((x * 7919 + y * 104729) % 61) - 30 : 0;
    pixels[i] = clamp((x * 255) / width + n); pixels[i + 1] = clamp((y * 255) / height - n); pixels[i + 2] = clamp(((x ^ y) & 0xff) + n);
  }
  const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: opts.quality ?? 90 })
    .withMetadata({ orientation: opts.orientation ?? 1 })
    .withExifMerge({
      IFD0: { Make: 'SecretCam', Model: 'Field-9' },
      IFD2: { MakerNote: 'MAKERNOTE-SECRET', UserComment: 'GPS-SECRET-COMMENT' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 15/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '76/1 54/1 0/1' },
    })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="XMP-SECRET-PLACE"/></rdf:RDF></x:xmpmeta>')
    .toBuffer();
  return withMakerNote(withIptc(jpeg, 'IPTC-SECRET-CITY'), 'MAKERNOTE-SECRET-SERIAL', opts.orientation ?? 1);
}

/**
 * Inserts, first after SOI, an EXIF APP1 segment of our own making: IFD0 → Exif IFD with a maker
 * note (0x927C, UNDEFINED) and a GPS IFD with a latitude. sharp cannot write maker notes.
 */
function withMakerNote(jpeg: Buffer, note: string, orientation: number): Buffer {
  const value = Buffer.from(note, 'latin1');
  const entry = (tag: number, type: number, count: number, valueOrOffset: number) => {
    const b = Buffer.alloc(12);
    b.writeUInt16LE(tag, 0); b.writeUInt16LE(type, 2); b.writeUInt32LE(count, 4); b.writeUInt32LE(valueOrOffset, 8);
    return b;
  };
  const ifd = (entries: Buffer[]) => Buffer.concat([Buffer.from([entries.length, 0]), ...entries, Buffer.alloc(4)]);
  // Layout (offsets from the TIFF header): header 8, IFD0 (3 entries), Exif IFD (1), GPS IFD (1), note.
  const ifd0At = 8, exifAt = ifd0At + 2 + 3 * 12 + 4, gpsAt = exifAt + 2 + 12 + 4, noteAt = gpsAt + 2 + 12 + 4;
  const tiff = Buffer.concat([
    Buffer.from([0x49, 0x49, 0x2a, 0x00, ifd0At, 0, 0, 0]),
    ifd([entry(0x0112, 3, 1, orientation), entry(0x8769, 4, 1, exifAt), entry(0x8825, 4, 1, gpsAt)]),
    ifd([entry(0x927c, 7, value.length, noteAt)]),
    ifd([entry(0x0001, 2, 2, 0x4e)]), // GPSLatitudeRef 'N'
    value,
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const segment = Buffer.concat([Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

/** Inserts a Photoshop 3.0 APP13 segment holding one IPTC City (2:90) record after SOI. */
function withIptc(jpeg: Buffer, city: string): Buffer {
  const value = Buffer.from(city, 'utf8');
  const iptc = Buffer.concat([Buffer.from([0x1c, 0x02, 0x5a, value.length >> 8, value.length & 0xff]), value]);
  const resource = Buffer.concat([
    Buffer.from('8BIM'), Buffer.from([0x04, 0x04]), Buffer.from([0, 0]),
    Buffer.from([(iptc.length >>> 24) & 0xff, (iptc.length >>> 16) & 0xff, (iptc.length >>> 8) & 0xff, iptc.length & 0xff]),
    iptc, ...(iptc.length % 2 ? [Buffer.from([0])] : []),
  ]);
  const payload = Buffer.concat([Buffer.from('Photoshop 3.0\0'), resource]);
  const segment = Buffer.concat([Buffer.from([0xff, 0xed, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** A valid PNG header claiming `width` × `height` with almost no data: a decompression bomb's shape. */
export function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
