import { findFerretDbBinary, ferretUri } from './ferretdb.js';

/**
 * Where MongoDB-backed tests connect: MONGODB_TEST_URI, else a FerretDB started on demand.
 * `available` is false when neither exists; with CI=true callers must fail instead of skipping.
 */
export const mongoTestTarget = {
  available: Boolean(process.env.MONGODB_TEST_URI) || findFerretDbBinary() !== null,
  mustRun: process.env.CI === 'true',
  async uri(): Promise<string> {
    if (process.env.MONGODB_TEST_URI) return process.env.MONGODB_TEST_URI;
    if (!findFerretDbBinary()) throw new Error('MongoDB tests cannot run: set MONGODB_TEST_URI or put ferretdb on PATH (CI=true never skips)');
    return ferretUri();
  },
};
