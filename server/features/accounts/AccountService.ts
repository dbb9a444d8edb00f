import { ErrorCode } from '../../../shared/errors.js';
import { Limits } from '../../../shared/limits.js';
import { ROLES, type Role } from '../../../shared/roles.js';
import { AppError, invalidInput, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { AccountRecord, AccountRepo } from '../../store/ports/accounts.js';
import type { SessionRecord, SessionRepo } from '../../store/ports/sessions.js';
import type { InviteRepo } from '../../store/ports/invites.js';
import type { DomainEvents } from '../../events.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { newSessionToken, sessionIdOf, sessionViewId } from './sessionTokens.js';
import type { SignInLimits } from './signInLimits.js';

/** What an admin may change on an account; absent fields stay as they are. */
export interface AccountChange {
  role?: Role;
  active?: boolean;
  displayName?: string;
}

export interface SignedIn {
  account: AccountRecord;
  session: SessionRecord;
}

/** Where a sign-in comes from: the address key it is counted under, the browser, the session it replaces. */
export interface SignInContext {
  address: string;
  userAgent?: string;
  /** The session cookie the request carried: that session ends (rotation at sign-in). */
  previousToken?: string;
}

/** Caret and avatar colours, readable on light and dark surfaces. */
const PALETTE = ['#1F4FD1', '#B42318', '#146C38', '#7A4100', '#5B2A86', '#0E7490', '#A21CAF', '#4D7C0F'];
/** A session's lastSeenAt (and its account's lastActiveAt) is written at most this often. */
const TOUCH_EVERY_MS = 60_000;

export function createAccountService(deps: {
  accounts: AccountRepo;
  sessions: SessionRepo;
  invites: InviteRepo;
  events: DomainEvents;
  sessionTtlHours: number;
  limits: SignInLimits;
}) {
  const { accounts, sessions, events } = deps;
  const ttlMs = deps.sessionTtlHours * 3600_000;

  async function signIn(username: string, password: string, ctx: SignInContext): Promise<SignedIn & { token: string }> {
    const attempt = await deps.limits.admit(username, ctx.address);
    const account = await accounts.findByUsername(username);
    const ok = await verifyPassword(account?.passwordHash ?? null, password);
    if (!account || !ok) throw new AppError(ErrorCode.Unauthenticated, 'Wrong username or password.');
    await attempt.succeeded();
    if (!account.active) throw new AppError(ErrorCode.Forbidden, 'This account is deactivated. Ask an admin.');
    return startSession(account, ctx);
  }

  /** A new session for `account`; the one the request carried, if any, ends (no fixation, no pile-up). */
  async function startSession(account: AccountRecord, ctx: Omit<SignInContext, 'address'>): Promise<SignedIn & { token: string }> {
    if (ctx.previousToken) await endSessions([sessionIdOf(ctx.previousToken)], 'replaced');
    const { token, id } = newSessionToken();
    const now = new Date();
    const session: SessionRecord = {
      id,
      accountId: account.id,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
      lastSeenAt: now.toISOString(),
      ...(ctx.userAgent ? { userAgent: ctx.userAgent.slice(0, Limits.userAgentMax) } : {}),
    };
    await sessions.create(session);
    await accounts.recordActivity(account.id, session.createdAt);
    return { token, account, session };
  }

  /** null when the token is unknown, expired or the account is no longer active. */
  async function resolveSession(token: string | undefined): Promise<SignedIn | null> {
    if (!token) return null;
    let session = await sessions.findById(sessionIdOf(token));
    if (!session) return null;
    const now = Date.now();
    if (Date.parse(session.expiresAt) <= now) {
      await sessions.delete(session.id);
      return null;
    }
    const account = await accounts.findById(session.accountId);
    if (!account || !account.active) return null;
    if (!session.lastSeenAt || now - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
      const at = new Date(now).toISOString();
      await Promise.all([sessions.touch(session.id, at), accounts.recordActivity(account.id, at)]);
      session = { ...session, lastSeenAt: at };
    }
    return { account, session };
  }

  /** Deletes the sessions and tells their connections (sockets close, collab closes 4401). */
  async function endSessions(ids: string[], reason: string): Promise<void> {
    const found = (await Promise.all(ids.map((id) => sessions.findById(id)))).filter((s): s is SessionRecord => s !== null);
    await Promise.all(found.map((s) => sessions.delete(s.id)));
    const byAccount = new Map<string, string[]>();
    for (const s of found) byAccount.set(s.accountId, [...(byAccount.get(s.accountId) ?? []), s.id]);
    for (const [accountId, sessionIds] of byAccount) events.emit('session:revoked', { accountId, sessionIds, reason });
  }

  async function signOut(token: string | undefined): Promise<void> {
    if (token) await endSessions([sessionIdOf(token)], 'signed-out');
  }

  /** The account's live sessions, newest first. */
  async function listSessions(accountId: string): Promise<SessionRecord[]> {
    const now = Date.now();
    const all = await sessions.listByAccount(accountId);
    return all.filter((s) => Date.parse(s.expiresAt) > now).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Ends one of the account's sessions, named by its public id (`sessionViewId`); the session ended. */
  async function endSessionByViewId(accountId: string, viewId: string): Promise<SessionRecord> {
    const session = (await sessions.listByAccount(accountId)).find((s) => sessionViewId(s.id) === viewId);
    if (!session) throw notFound('Session');
    await endSessions([session.id], 'signed-out');
    return session;
  }

  /** Signs the account out everywhere, this session too. */
  async function endAllSessions(accountId: string): Promise<number> {
    const all = await sessions.listByAccount(accountId);
    await endSessions(all.map((s) => s.id), 'signed-out');
    return all.length;
  }

  async function createAccount(input: {
    newsroomId: string;
    username: string;
    displayName: string;
    role: Role;
    password: string;
    invitePending?: boolean;
  }): Promise<AccountRecord> {
    const count = await accounts.count();
    return accounts.create({
      id: newId(),
      newsroomId: input.newsroomId,
      username: input.username,
      usernameKey: input.username.toLowerCase(),
      displayName: input.displayName,
      role: input.role,
      color: PALETTE[count % PALETTE.length],
      passwordHash: await hashPassword(input.password),
      active: true,
      ...(input.invitePending ? { invitePending: true } : {}),
    });
  }

  /**
   * Stores the change, then announces it ('account:changed') so every open connection of the
   * account re-checks its access at once. Deactivation also ends every session and invite of the account.
   */
  async function updateAccount(accountId: string, patch: AccountChange): Promise<AccountRecord> {
    const change: AccountChange = {};
    if (patch.role !== undefined) {
      if (!ROLES.includes(patch.role)) throw invalidInput('Unknown role.', { field: 'role' });
      change.role = patch.role;
    }
    if (patch.active !== undefined) change.active = patch.active;
    if (patch.displayName !== undefined) {
      const displayName = patch.displayName.trim();
      if (!displayName) throw invalidInput('A display name cannot be empty.', { field: 'displayName' });
      change.displayName = displayName;
    }
    const updated = await accounts.update(accountId, change);
    if (!updated) throw notFound('Account');
    events.emit('account:changed', updated);
    if (!updated.active) {
      const ended = await sessions.listByAccount(accountId);
      await sessions.deleteByAccount(accountId);
      await deps.invites.deleteByAccount(accountId);
      if (ended.length > 0) events.emit('session:revoked', { accountId, sessionIds: ended.map((s) => s.id), reason: 'deactivated' });
    }
    return updated;
  }

  /** Sets a new password (an invite accepted); the account is no longer waiting for one. */
  async function setPassword(accountId: string, password: string): Promise<AccountRecord> {
    const updated = await accounts.update(accountId, { passwordHash: await hashPassword(password), invitePending: false });
    if (!updated) throw notFound('Account');
    return updated;
  }

  return {
    signIn, startSession, resolveSession, signOut, listSessions, endSessionByViewId, endAllSessions,
    createAccount, updateAccount, setPassword,
  };
}
export type AccountService = ReturnType<typeof createAccountService>;
