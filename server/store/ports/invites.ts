/** One-time invite links: an admin invites a person, who sets her own password through the link. */
export interface InviteRecord {
  /** sha256 of the link's token; the token itself is never stored. */
  id: string;
  accountId: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  /** Set once, when the link is used. */
  usedAt?: string;
}

export interface InviteRepo {
  create(invite: InviteRecord): Promise<void>;
  findById(id: string): Promise<InviteRecord | null>;
  /**
   * Marks the invite used at `at` if it is still unused: the record as marked, or null when it is
   * missing or already used. Of concurrent claims exactly one wins.
   */
  claim(id: string, at: string): Promise<InviteRecord | null>;
  /** Every invite of the account (a new link replaces the old; deactivation ends them); how many. */
  deleteByAccount(accountId: string): Promise<number>;
}
