import { Router, type Request } from 'express';
import {
  AcceptInviteRequest, AccountParams, CreateAccountRequest, InviteParams, UpdateAccountRequest,
  type CreatedAccount, type InviteView,
} from '../../../shared/schemas/account.js';
import type { AccountAdmin } from '../../features/accounts/AccountAdmin.js';
import { presentAccount, presentAdminAccount } from '../../features/accounts/presentAccount.js';
import { requireAuth } from '../authenticate.js';
import { setSessionCookie, signInContext } from './sessionRoutes.js';

/**
 * Where the invite link points: the page the admin is on (its Origin, already checked by
 * originGuard), else this server as the request reached it. A hash route: the token never
 * reaches a server log or a Referer.
 */
function inviteUrl(req: Request, token: string): string {
  const base = req.get('origin') ?? `${req.protocol}://${req.get('host')}`;
  return `${base}/#/invite/${token}`;
}

export function accountRoutes(deps: { accountAdmin: AccountAdmin; cookieSecure: boolean }): Router {
  const router = Router();
  const admin = deps.accountAdmin;

  router.get('/accounts', async (req, res) => {
    const accounts = await admin.list(requireAuth(req).account);
    res.json({ accounts: accounts.map(presentAdminAccount) });
  });

  router.post('/accounts', async (req, res) => {
    const { account: actor } = requireAuth(req);
    const created = await admin.create(actor, CreateAccountRequest.parse(req.body));
    const body: CreatedAccount = { account: presentAdminAccount(created.account) };
    if (created.initialPassword) body.initialPassword = created.initialPassword;
    if (created.invite) Object.assign(body, { inviteUrl: inviteUrl(req, created.invite.token), inviteExpiresAt: created.invite.expiresAt });
    res.status(201).json(body);
  });

  router.patch('/accounts/:accountId', async (req, res) => {
    const { account: actor } = requireAuth(req);
    const { accountId } = AccountParams.parse(req.params);
    const updated = await admin.change(actor, accountId, UpdateAccountRequest.parse(req.body));
    res.json({ account: presentAdminAccount(updated) });
  });

  router.post('/accounts/:accountId/invite', async (req, res) => {
    const { account: actor } = requireAuth(req);
    const { accountId } = AccountParams.parse(req.params);
    const { account, invite } = await admin.reinvite(actor, accountId);
    const body: CreatedAccount = { account: presentAdminAccount(account), inviteUrl: inviteUrl(req, invite.token), inviteExpiresAt: invite.expiresAt };
    res.status(201).json(body);
  });

  // A lost phone: the admin ends every session of the person; the account stays active.
  router.delete('/accounts/:accountId/sessions', async (req, res) => {
    const { account: actor } = requireAuth(req);
    const { accountId } = AccountParams.parse(req.params);
    const { ended } = await admin.revokeSessions(actor, accountId);
    res.json({ ended });
  });

  // Invite links: anyone holding one (no session needed).
  router.get('/invites/:token', async (req, res) => {
    const { token } = InviteParams.parse(req.params);
    const { account, expiresAt } = await admin.readInvite(token);
    const body: InviteView = { username: account.username, displayName: account.displayName, expiresAt };
    res.json(body);
  });

  router.post('/invites/:token', async (req, res) => {
    const { token } = InviteParams.parse(req.params);
    const { password } = AcceptInviteRequest.parse(req.body);
    const { userAgent, previousToken } = signInContext(req);
    const { token: sessionToken, account, session } = await admin.acceptInvite(token, password, { userAgent, previousToken });
    setSessionCookie(res, deps.cookieSecure, sessionToken, session.expiresAt);
    res.json({ account: presentAccount(account) });
  });
  return router;
}
