import { ErrorCode } from '../../../shared/errors.js';
import { ROLES, type Role } from '../../../shared/roles.js';
import { AppError, invalidInput, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { AccountRecord, AccountRepo } from '../../store/ports/accounts.js';
import type { SessionRecord, SessionRepo } from '../../store/ports/sessions.js';
import type { DomainEvents } from '../../events.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { newSessionToken, sessionIdOf } from './sessionTokens.js';

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

/** Caret and avatar colours, readable on light and dark surfaces. */
const PALETTE = ['#1F4FD1', '#B42318', '#146C38', '#7A4100', '#5B2A86', '#0E7490', '#A21CAF', '#4D7C0F'];

export function createAccountService(deps: { accounts: AccountRepo; sessions: SessionRepo; events: DomainEvents; sessionTtlHours: number }) {
  const { accounts, sessions, events } = deps;
  const ttlMs = deps.sessionTtlHours * 3600_000;

  async function signIn(username: string, password: string): Promise<SignedIn & { token: string }> {
    const account = await accounts.findByUsername(username);
    const ok = await verifyPassword(account?.passwordHash ?? null, password);
    if (!account || !ok) throw new AppError(ErrorCode.Unauthenticated, 'Wrong username or password.');
    if (!account.active) throw new AppError(ErrorCode.Forbidden, 'This account is deactivated. Ask an admin.');
    const { token, id } = newSessionToken();
    const now = Date.now();
    const session: SessionRecord = {
      id,
      accountId: account.id,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + ttlMs).toISOString(),
    };
    await sessions.create(session);
    return { token, account, session };
  }

  /** null when the token is unknown, expired or the account is no longer active. */
  async function resolveSession(token: string | undefined): Promise<SignedIn | null> {
    if (!token) return null;
    const session = await sessions.findById(sessionIdOf(token));
    if (!session) return null;
    if (Date.parse(session.expiresAt) <= Date.now()) {
      await sessions.delete(session.id);
      return null;
    }
    const account = await accounts.findById(session.accountId);
    if (!account || !account.active) return null;
    return { account, session };
  }

  async function signOut(token: string | undefined): Promise<void> {
    if (!token) return;
    const id = sessionIdOf(token);
    const session = await sessions.findById(id);
    await sessions.delete(id);
    if (session) events.emit('session:revoked', { accountId: session.accountId, sessionIds: [id], reason: 'signed-out' });
  }

  async function createAccount(input: {
    newsroomId: string;
    username: string;
    displayName: string;
    role: Role;
    password: string;
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
    });
  }

  /**
   * Stores the change, then announces it ('account:changed') so every open connection of the
   * account re-checks its access at once. Deactivation also ends every session of the account.
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
      if (ended.length > 0) events.emit('session:revoked', { accountId, sessionIds: ended.map((s) => s.id), reason: 'deactivated' });
    }
    return updated;
  }

  return { signIn, resolveSession, signOut, createAccount, updateAccount };
}
export type AccountService = ReturnType<typeof createAccountService>;
