import { createHash } from 'node:crypto';
import { ErrorCode } from '../../../shared/errors.js';
import { AppError, conflict } from '../../errors.js';
import type { IdempotencyRepo } from '../../store/ports/idempotency.js';

const WAIT_STEP_MS = 25;
const WAIT_MAX_MS = 10_000;

/**
 * Runs `work` once per (scope, key): a repeat answers the first result, success or refusal, and
 * does nothing again. The same key with another body is a conflict. A failure we cannot call a
 * result (a crash, the store down) frees the key so a retry runs for real.
 *
 * The claim is written while `work` reads: `work` gets `claimed`, which it must await before its
 * first change of anything (it throws when the key was already taken; that run's answer is then
 * replayed and this run's reads are dropped). One store write less on the way to the change.
 */
export function createIdempotentRequests(repo: IdempotencyRepo) {
  return async function once<T>(scope: string, key: string | undefined, body: unknown, work: (claimed: () => Promise<void>) => Promise<T>): Promise<T> {
    if (key === undefined) return work(async () => undefined);
    const id = `${scope}|${key}`;
    const requestHash = createHash('sha256').update(JSON.stringify(body ?? null)).digest('base64url');
    const claiming = repo.claim({ id, requestHash, createdAt: new Date().toISOString() });
    claiming.catch(() => undefined); // awaited below; a store failure must not go unhandled meanwhile
    const claimed = async () => {
      if (!(await claiming).claimed) throw new TakenAlready();
    };
    let result: T;
    try {
      result = await work(claimed);
    } catch (error) {
      const claim = await claiming.catch(() => null);
      if (!claim) throw error; // the store refused the claim: nothing was changed (work awaits it first)
      if (!claim.claimed) return replay<T>(id, requestHash, claim.existing);
      if (error instanceof AppError && error.code !== ErrorCode.Internal && error.code !== ErrorCode.Unavailable) {
        await repo.complete(id, { status: 0, body: { code: error.code, message: error.message, details: error.details } });
      } else {
        await repo.release(id).catch(() => undefined);
      }
      throw error;
    }
    const claim = await claiming;
    if (!claim.claimed) return replay<T>(id, requestHash, claim.existing);
    await repo.complete(id, { status: 200, body: result });
    return result;
  };

  async function replay<T>(id: string, requestHash: string, first: { requestHash: string; response?: { status: number; body: unknown } }): Promise<T> {
    if (first.requestHash !== requestHash) throw conflict('This Idempotency-Key was used for a different request.');
    let record: typeof first | null = first;
    // The first request may still be running: wait for its answer.
    for (let waited = 0; record && !record.response && waited < WAIT_MAX_MS; waited += WAIT_STEP_MS) {
      await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
      record = await repo.find(id);
    }
    if (!record) throw conflict('The first request with this Idempotency-Key failed; send it again with a new key.');
    if (!record.response) throw conflict('The first request with this Idempotency-Key is still running; try again shortly.');
    if (record.response.status === 200) return record.response.body as T;
    const stored = record.response.body as { code: ErrorCode; message: string; details?: unknown };
    throw new AppError(stored.code, stored.message, stored.details);
  }
}

/** The key was claimed by an earlier request: its answer is replayed instead. */
class TakenAlready extends Error {}
