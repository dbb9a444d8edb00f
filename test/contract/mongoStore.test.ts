import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMongoStore } from '../../server/store/mongo/openMongoStore.js';
import type { Store } from '../../server/store/Store.js';
import { findFerretDbBinary, startFerretDb, type FerretDb } from '../support/ferretdb.js';
import { registerStoreContractTests } from './storeContract.js';

const externalUri = process.env.MONGODB_TEST_URI;
const canRun = Boolean(externalUri) || findFerretDbBinary() !== null;
const inCi = process.env.CI === 'true';

/** Unique per test file run; each open() gets its own database under this prefix. */
const runPrefix = `contract_${process.pid}_${randomBytes(3).toString('hex')}`;
let opened = 0;
let ferret: FerretDb | null = null;
let uri = '';
const dbNameOf = new WeakMap<Store, string>();

async function openDb(dbName: string): Promise<Store> {
  const store = await openMongoStore({ uri, dbName, serverSelectionTimeoutMS: 5000 });
  dbNameOf.set(store, dbName);
  return store;
}

if (canRun || inCi) {
  beforeAll(async () => {
    if (!canRun) {
      throw new Error('mongo contract tests cannot run with CI=true: set MONGODB_TEST_URI or put ferretdb on PATH');
    }
    if (externalUri) {
      uri = externalUri;
    } else {
      ferret = await startFerretDb();
      uri = ferret.uri;
    }
  });
  afterAll(async () => {
    await ferret?.stop();
  });

  registerStoreContractTests(
    'mongo',
    () => openDb(`${runPrefix}_${++opened}`),
    (closed) => openDb(dbNameOf.get(closed)!),
  );
} else {
  // No MongoDB wire server here (no MONGODB_TEST_URI, no ferretdb): say so loudly. Never taken with
  // CI=true (mustRun), where the suite runs and fails if it cannot connect.
  console.warn('mongo contract tests NOT RUN: set MONGODB_TEST_URI or put ferretdb on PATH');
}

// Needs no server: it runs everywhere, so this file always tests something.
describe('mongo adapter without a server', () => {
  it('[ST10] mongo: an unreachable server fails fast with the host named and no password', async () => {
    const attempt = openMongoStore({ uri: 'mongodb://editor:s3cret@127.0.0.1:1/', dbName: 'x', serverSelectionTimeoutMS: 300 });
    await expect(attempt).rejects.toThrow(/127\.0\.0\.1:1/);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });
});
