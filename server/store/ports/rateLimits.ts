/**
 * Fixed-window counters for rate limits (sign-in failures per account and per address), keyed by
 * a string. Kept in the store, not in memory, so a restart does not hand an attacker fresh
 * attempts and every node behind one store counts together. The operations are exactly what
 * rate-limiter-flexible's store abstraction asks of a backend (`_upsert`, `_get`, `_delete`);
 * `features/accounts/StoreRateLimiter.ts` plugs this port into it.
 */
export interface RateLimitRecord {
  key: string;
  /** Points consumed in the current window. */
  points: number;
  /** Epoch ms when the window ends; null: never. */
  expiresAt: number | null;
}

export interface RateLimitRepo {
  /**
   * Atomic per key. Without `forceExpire`: adds `points` to the key's live window, or, when it has
   * none (or it has expired), starts a new one holding `points` and ending `msDuration` from now
   * (`msDuration` ≤ 0: never). With `forceExpire`: sets `points` and a new end outright (a block).
   * Returns the record after the change.
   */
  upsert(key: string, points: number, msDuration: number, forceExpire: boolean): Promise<RateLimitRecord>;
  /** The key's live window; null when there is none or it has expired. */
  get(key: string): Promise<RateLimitRecord | null>;
  /** true when there was a record. */
  delete(key: string): Promise<boolean>;
  /** Removes windows that ended at or before `now` (epoch ms); how many. */
  deleteExpired(now: number): Promise<number>;
}
