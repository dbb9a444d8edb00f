import { Router, type CookieOptions, type Request, type Response } from 'express';
import { z } from 'zod';
import { SignInRequest } from '../../../shared/schemas/account.js';
import type { AccountService, SignInContext } from '../../features/accounts/AccountService.js';
import { presentAccount, presentSession } from '../../features/accounts/presentAccount.js';
import { SESSION_COOKIE } from '../../features/accounts/sessionTokens.js';
import { requireAuth } from '../authenticate.js';
import { sessionTokenOf } from '../../edgeSupport/sessionCookie.js';
import { addressKey } from '../../connectionLimiter.js';

const SessionParams = z.strictObject({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/, 'must be a session id') });

/** The session cookie's options, shared by every route that sets or clears it. */
export function sessionCookie(cookieSecure: boolean): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: cookieSecure, path: '/' };
}

/** Who signs in, from where: the address key sign-in attempts are counted under, the browser, the old cookie. */
export function signInContext(req: Request): SignInContext {
  return { address: addressKey(req.socket.remoteAddress), userAgent: req.get('user-agent'), previousToken: sessionTokenOf(req) };
}

export function setSessionCookie(res: Response, cookieSecure: boolean, token: string, expiresAt: string): void {
  res.cookie(SESSION_COOKIE, token, { ...sessionCookie(cookieSecure), expires: new Date(expiresAt) });
}

export function sessionRoutes(deps: { accounts: AccountService; cookieSecure: boolean }): Router {
  const router = Router();
  const cookie = sessionCookie(deps.cookieSecure);

  router.post('/session', async (req, res) => {
    const { username, password } = SignInRequest.parse(req.body);
    const { token, account, session } = await deps.accounts.signIn(username, password, signInContext(req));
    setSessionCookie(res, deps.cookieSecure, token, session.expiresAt);
    res.json({ account: presentAccount(account) });
  });

  router.get('/session', (req, res) => {
    res.json({ account: presentAccount(requireAuth(req).account) });
  });

  router.delete('/session', async (req, res) => {
    await deps.accounts.signOut(sessionTokenOf(req));
    res.clearCookie(SESSION_COOKIE, cookie);
    res.status(204).end();
  });

  // The signed-in person's own sessions: list them, end one, end them all (this one too).
  router.get('/sessions', async (req, res) => {
    const { account, session } = requireAuth(req);
    const sessions = await deps.accounts.listSessions(account.id);
    res.json({ sessions: sessions.map((s) => presentSession(s, session.id)) });
  });

  router.delete('/sessions', async (req, res) => {
    const { account } = requireAuth(req);
    await deps.accounts.endAllSessions(account.id);
    res.clearCookie(SESSION_COOKIE, cookie);
    res.status(204).end();
  });

  router.delete('/sessions/:sessionId', async (req, res) => {
    const { account, session } = requireAuth(req);
    const { sessionId } = SessionParams.parse(req.params);
    const ended = await deps.accounts.endSessionByViewId(account.id, sessionId);
    if (ended.id === session.id) res.clearCookie(SESSION_COOKIE, cookie);
    res.status(204).end();
  });
  return router;
}
