/** Stable error ids: clients and tests match on these, never on wording. */
export const ErrorCode = {
  InvalidInput: 'invalid_input',
  Unauthenticated: 'unauthenticated',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  PayloadTooLarge: 'payload_too_large',
  /** An upload over the media limits (bytes or pixels): 413. */
  MediaTooLarge: 'media_too_large',
  /** An upload whose bytes are not an image type we take: 415. */
  UnsupportedMediaType: 'unsupported_media_type',
  /** Too many attempts (sign-in): 429 with Retry-After; `details.retryAfterSeconds`. */
  RateLimited: 'rate_limited',
  Unavailable: 'unavailable',
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}
