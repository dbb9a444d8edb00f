import type { IncomingMessage } from 'node:http';
import { parse as parseCookie } from 'cookie';
import { SESSION_COOKIE } from '../features/accounts/sessionTokens.js';

/**
 * The session token a request carries in its cookie. Read the same way by the HTTP API, the
 * Socket.IO handshake and the collab upgrade (where no Express middleware runs).
 */
export function sessionTokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}
