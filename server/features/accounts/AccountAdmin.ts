import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../../shared/errors.js';
import { Limits } from '../../../shared/limits.js';
import { decide, Permission } from '../../../shared/permissions.js';
import { Role } from '../../../shared/roles.js';
import type { CreateAccountRequest, UpdateAccountRequest } from '../../../shared/schemas/account.js';
import { AppError, conflict, forbidden } from '../../errors.js';
import { DuplicateKeyError, type AccountRecord, type AccountRepo, type InviteRecord, type InviteRepo } from '../../store/Store.js';
import type { AccountService, SignInContext } from './AccountService.js';
import { generatePassword, newInviteToken } from './secrets.js';
import { sessionIdOf } from './sessionTokens.js';

export interface CreatedAccountRecord {
  account: AccountRecord;
  initialPassword?: string;
  invite?: { token: string; expiresAt: string };
}

const NO_FILE = { members: null, fourEyes: false } as const;

/**
 * Account management for admins (ux.md §5): list, create by first password or invite link, change
 * role, name and activity. Every call asks the one permission table (`accounts.manage`). Changes of
 * one newsroom run one after another, each re-reading the admin, so two admins demoting each other
 * at once cannot leave the newsroom without one (within this process, as the write queues: one app process per store).
 */
export function createAccountAdmin(deps: { accounts: AccountRepo; invites: InviteRepo; service: AccountService }) {
  const { accounts, invites, service } = deps;
  const tails = new Map<string, Promise<unknown>>();
  function inNewsroom<T>(newsroomId: string, fn: () => Promise<T>): Promise<T> {
    const result = (tails.get(newsroomId) ?? Promise.resolve()).then(fn, fn);
    const tail = result.catch(() => undefined);
    tails.set(newsroomId, tail);
    void tail.then(() => tails.get(newsroomId) === tail && tails.delete(newsroomId));
    return result;
  }

  function authorize(actor: AccountRecord | null): AccountRecord {
    if (!actor) throw forbidden('Only admins manage accounts.');
    const decision = decide(Permission.AccountsManage, actor, NO_FILE);
    if (!decision.allowed) throw forbidden(decision.message);
    return actor;
  }

  async function target(actor: AccountRecord, accountId: string): Promise<AccountRecord> {
    const found = await accounts.findById(accountId);
    if (!found || found.newsroomId !== actor.newsroomId) throw new AppError(ErrorCode.NotFound, 'There is no such account in this newsroom.');
    return found;
  }

  async function issueInvite(by: AccountRecord, account: AccountRecord): Promise<{ token: string; expiresAt: string }> {
    await invites.deleteByAccount(account.id);
    const { token, id } = newInviteToken();
    const now = Date.now();
    const expiresAt = new Date(now + Limits.inviteTtlHours * 3600_000).toISOString();
    await invites.create({ id, accountId: account.id, createdBy: by.id, createdAt: new Date(now).toISOString(), expiresAt });
    return { token, expiresAt };
  }

  async function list(actor: AccountRecord): Promise<AccountRecord[]> {
    authorize(actor);
    return accounts.list(actor.newsroomId);
  }

  async function create(actor: AccountRecord, req: CreateAccountRequest): Promise<CreatedAccountRecord> {
    authorize(actor);
    const byInvite = req.mode === 'invite';
    // An invited account's password is a secret nobody holds until the link sets one.
    const password = byInvite ? randomBytes(32).toString('base64url') : generatePassword();
    let account: AccountRecord;
    try {
      account = await service.createAccount({ newsroomId: actor.newsroomId, username: req.username, displayName: req.displayName, role: req.role, password, invitePending: byInvite });
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw conflict(`The username “${req.username}” is taken. Pick another one.`, { field: 'username' });
      throw err;
    }
    return byInvite ? { account, invite: await issueInvite(actor, account) } : { account, initialPassword: password };
  }

  /** A fresh invite link for someone who has not used hers (the old one stops working). */
  async function reinvite(actor: AccountRecord, accountId: string): Promise<{ account: AccountRecord; invite: { token: string; expiresAt: string } }> {
    authorize(actor);
    const account = await target(actor, accountId);
    if (!account.invitePending) throw conflict(`${account.displayName} has already set a password; an invite link is only for someone who has not.`);
    if (!account.active) throw conflict(`${account.displayName} is deactivated. Reactivate the account first.`);
    return { account, invite: await issueInvite(actor, account) };
  }

  function change(actor: AccountRecord, accountId: string, req: UpdateAccountRequest): Promise<AccountRecord> {
    return inNewsroom(actor.newsroomId, async () => {
      const admin = authorize(await accounts.findById(actor.id));
      const account = await target(admin, accountId);
      const demotes = req.role !== undefined && req.role !== Role.Admin;
      if (account.id === admin.id && (req.active === false || demotes)) {
        throw conflict(req.active === false
          ? 'You cannot deactivate your own account. Another admin can; the newsroom always keeps an admin.'
          : 'You cannot remove your own admin role. Make someone else admin and ask them to change yours.');
      }
      if (account.role === Role.Admin && account.active && (req.active === false || demotes)) {
        const others = (await accounts.list(admin.newsroomId)).filter((a) => a.role === Role.Admin && a.active && a.id !== account.id);
        if (others.length === 0) throw conflict(`${account.displayName} is the last admin. Make someone else admin first.`);
      }
      return service.updateAccount(account.id, req);
    });
  }

  /** The invite behind a link, or a refusal that says what happened and what to do. */
  async function liveInvite(token: string): Promise<{ invite: InviteRecord; account: AccountRecord }> {
    const invite = await invites.findById(sessionIdOf(token));
    if (!invite) throw new AppError(ErrorCode.NotFound, 'This invite link is not valid. Check that it was copied whole, or ask an admin for a new one.', { reason: 'unknown' });
    if (invite.usedAt) throw conflict('This invite link has already been used. Sign in with the password you chose, or ask an admin for a new link.', { reason: 'used' });
    if (Date.parse(invite.expiresAt) <= Date.now()) throw new AppError(ErrorCode.NotFound, 'This invite link has expired. Ask an admin for a new one.', { reason: 'expired' });
    const account = await accounts.findById(invite.accountId);
    if (!account || !account.active) throw forbidden('This account is deactivated. Ask an admin.');
    return { invite, account };
  }

  async function readInvite(token: string): Promise<{ account: AccountRecord; expiresAt: string }> {
    const { invite, account } = await liveInvite(token);
    return { account, expiresAt: invite.expiresAt };
  }

  /** Sets the person's password through the link, once, and signs her in. */
  async function acceptInvite(token: string, password: string, ctx: Omit<SignInContext, 'address'>) {
    const { invite, account } = await liveInvite(token);
    const claimed = await invites.claim(invite.id, new Date().toISOString());
    if (!claimed) throw conflict('This invite link has already been used. Sign in with the password you chose, or ask an admin for a new link.', { reason: 'used' });
    const updated = await service.setPassword(account.id, password);
    return service.startSession(updated, ctx);
  }

  /**
   * A lost phone: every session of the person ends now (her sockets and collab connections close
   * within the second); she signs in again on a device she holds. The account stays active.
   */
  async function revokeSessions(actor: AccountRecord, accountId: string): Promise<{ account: AccountRecord; ended: number }> {
    authorize(actor);
    const account = await target(actor, accountId);
    return { account, ended: await service.endAllSessions(account.id) };
  }

  return { list, create, reinvite, change, readInvite, acceptInvite, revokeSessions };
}
export type AccountAdmin = ReturnType<typeof createAccountAdmin>;
