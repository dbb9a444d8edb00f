import type { AccountView, AdminAccountView, SessionView } from '../../../shared/schemas/account.js';
import type { AccountRecord, SessionRecord } from '../../store/Store.js';
import { sessionViewId } from './sessionTokens.js';

export function presentAccount(a: AccountRecord): AccountView {
  return { id: a.id, username: a.username, displayName: a.displayName, role: a.role, color: a.color, newsroomId: a.newsroomId };
}

/** As the admin page lists it: never the password hash. */
export function presentAdminAccount(a: AccountRecord): AdminAccountView {
  return { ...presentAccount(a), active: a.active, invitePending: a.invitePending === true, lastActiveAt: a.lastActiveAt ?? null, createdAt: a.createdAt };
}

export function presentSession(s: SessionRecord, currentId: string): SessionView {
  return {
    id: sessionViewId(s.id),
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt ?? null,
    expiresAt: s.expiresAt,
    userAgent: s.userAgent ?? null,
    current: s.id === currentId,
  };
}
