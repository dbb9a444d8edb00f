/** Sign-in sessions. */
export interface SessionRecord {
  /** sha256 of the cookie token; the token itself is never stored. */
  id: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
}

export interface SessionRepo {
  create(session: SessionRecord): Promise<void>;
  findById(id: string): Promise<SessionRecord | null>;
  delete(id: string): Promise<void>;
  deleteByAccount(accountId: string): Promise<number>;
  /** Every session of the account (deactivation names the sessions it ends). */
  listByAccount(accountId: string): Promise<SessionRecord[]>;
}
