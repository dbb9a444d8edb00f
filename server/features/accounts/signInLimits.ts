import { RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '../../../shared/errors.js';
import { AppError } from '../../errors.js';
import type { RateLimitRepo } from '../../store/ports/rateLimits.js';
import { StoreRateLimiter } from './StoreRateLimiter.js';

export interface SignInLimitsConfig {
  /** Failed attempts one username may have in a window; 0: no limit. */
  perAccount: number;
  /** Failed attempts one client address (IPv6: its /64) may have in a window; 0: no limit. */
  perAddress: number;
  windowSeconds: number;
}

/** What a caller does once it knows whether the password was right. */
export interface SignInAttempt {
  /** A right password: the account's counter starts again and this attempt does not count for the address. */
  succeeded(): Promise<void>;
}

/** `rate_limited` (429): `details.retryAfterSeconds` becomes the Retry-After header. */
export function tooManyAttempts(msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError(ErrorCode.RateLimited, `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, { retryAfterSeconds });
}

/**
 * Sign-in attempts per account (its username, existing or not, so the answer reveals nothing) and
 * per client address, counted in the store (survives a restart; shared by nodes on one store).
 * Each attempt takes its point before the password is checked, so parallel guesses are counted
 * too; a right password gives it back. A successful sign-in resets the account's counter.
 */
export function createSignInLimits(repo: RateLimitRepo, config: SignInLimitsConfig) {
  const limiter = (keyPrefix: string, points: number) =>
    points > 0 ? new StoreRateLimiter(repo, { keyPrefix, points, duration: config.windowSeconds }) : null;
  const byAccount = limiter('signin:account', config.perAccount);
  const byAddress = limiter('signin:address', config.perAddress);

  async function admit(username: string, address: string): Promise<SignInAttempt> {
    const accountKey = username.toLowerCase();
    const taken = await Promise.allSettled([byAccount?.consume(accountKey), byAddress?.consume(address)]);
    const refusals = taken.flatMap((t) => (t.status === 'rejected' ? [t.reason as unknown] : []));
    const store = refusals.find((r) => !(r instanceof RateLimiterRes));
    if (store) throw store; // the store failed: a 500, never a silent pass
    if (refusals.length > 0) throw tooManyAttempts(Math.max(...refusals.map((r) => (r as RateLimiterRes).msBeforeNext)));
    return {
      async succeeded() {
        await Promise.all([byAccount?.delete(accountKey), byAddress?.reward(address)]);
      },
    };
  }

  return { admit };
}
export type SignInLimits = ReturnType<typeof createSignInLimits>;
