import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'ld_session';

/** The cookie carries the token; the store keeps only its hash, so a leaked database opens nothing. */
export function newSessionToken(): { token: string; id: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: sessionIdOf(token) };
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The id a session is shown under in its owner's list (GET /api/sessions) and ended by
 * (DELETE /api/sessions/:id): derived from the stored id, so the store's key never leaves the server.
 */
export function sessionViewId(sessionId: string): string {
  return createHash('sha256').update(`session-view:${sessionId}`).digest('base64url').slice(0, 22);
}
