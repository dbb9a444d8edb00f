import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures. The receiver recomputes HMAC-SHA256 over `<timestamp>.<raw body>` with the
 * hook's secret and compares it with `X-Livedesk-Signature: sha256=<hex>`; the timestamp
 * (`X-Livedesk-Timestamp`, Unix seconds) is signed too, so a receiver that refuses old ones (say
 * over 5 minutes) cannot be replayed to.
 */
export const SignatureHeader = {
  signature: 'x-livedesk-signature',
  timestamp: 'x-livedesk-timestamp',
  event: 'x-livedesk-event',
  delivery: 'x-livedesk-delivery',
} as const;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (README shows the same in a few lines). */
export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return /^\d+$/.test(timestamp) && expected.length === given.length && timingSafeEqual(expected, given);
}
