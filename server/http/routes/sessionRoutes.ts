import { Router, type CookieOptions } from 'express';
import { SignInRequest } from '../../../shared/schemas/account.js';
import type { AccountService } from '../../features/accounts/AccountService.js';
import { presentAccount } from '../../features/accounts/presentAccount.js';
import { SESSION_COOKIE } from '../../features/accounts/sessionTokens.js';
import { requireAuth } from '../authenticate.js';
import { sessionTokenOf } from '../../edgeSupport/sessionCookie.js';

export function sessionRoutes(deps: { accounts: AccountService; cookieSecure: boolean }): Router {
  const router = Router();
  const cookie: CookieOptions = { httpOnly: true, sameSite: 'lax', secure: deps.cookieSecure, path: '/' };

  router.post('/session', async (req, res) => {
    const { username, password } = SignInRequest.parse(req.body);
    const { token, account, session } = await deps.accounts.signIn(username, password);
    res.cookie(SESSION_COOKIE, token, { ...cookie, expires: new Date(session.expiresAt) });
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
  return router;
}
