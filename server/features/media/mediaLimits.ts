/** What an upload may be. The browser already resizes to a 2048 px long side; these bound the rest. */
export const MediaLimits = {
  /** Bytes of one upload (a phone's full-size photo is 3–12 MB). */
  maxUploadBytes: 25 * 1024 * 1024,
  /** Pixels of one image, read from its header before anything is decoded (decompression bombs). */
  maxPixels: 50_000_000,
  /** Reader renditions, as wide as the photo allows. */
  renditionWidths: [480, 960, 1600] as const,
  /** The newsroom's full-size copy: long side at most this. */
  masterLongSide: 2560,
  /** Photos re-encoded at once: bounds memory when many arrive together. */
  concurrentEncodes: 2,
} as const;

/** Types we take, decided by the bytes (magic numbers), never the name or the claimed type. */
export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/heic', 'image/tiff', 'image/gif'] as const;
