/**
 * Answers of requests made under an `Idempotency-Key` header, so a repeat gets the first answer.
 * Scoped per account and route: one person's key never answers another's request.
 */
export interface IdempotencyRecord {
  /** scope • key: unique. */
  id: string;
  /** Fingerprint of the request body: the same key with another body is a conflict. */
  requestHash: string;
  /** Absent while the first request is still running. */
  response?: { status: number; body: unknown };
  createdAt: string;
}

export interface IdempotencyRepo {
  /** Claims the key: `claimed` for the first caller, else the stored record. */
  claim(record: IdempotencyRecord): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }>;
  complete(id: string, response: { status: number; body: unknown }): Promise<void>;
  /** Frees a claim whose request failed before changing anything, so a retry can run; an answered claim stays. */
  release(id: string): Promise<void>;
  find(id: string): Promise<IdempotencyRecord | null>;
}
