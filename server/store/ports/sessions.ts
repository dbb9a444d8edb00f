/** Sign-in sessions. */
export interface SessionRecord {
  /** sha256 of the cookie token; the token itself is never stored. */
  id: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
  /** The browser that signed in (its User-Agent, cut to `Limits.userAgentMax`), for the owner's session list. */
  userAgent?: string;
  /** Last request or connection seen with this session (written at most once a minute). */
  lastSeenAt?: string;
}

export interface SessionRepo {
  create(session: SessionRecord): Promise<void>;
  findById(id: string): Promise<SessionRecord | null>;
  delete(id: string): Promise<void>;
  deleteByAccount(accountId: string): Promise<number>;
  /** Every session of the account (deactivation names the sessions it ends). */
  listByAccount(accountId: string): Promise<SessionRecord[]>;
  /** Sets `lastSeenAt`; nothing when the session is gone. */
  touch(id: string, at: string): Promise<void>;
}
