import { mkdir } from 'node:fs/promises';
import type { Store } from './Store.js';
import { openEmbeddedStore } from './embedded/openEmbeddedStore.js';
import { openMongoStore } from './mongo/openMongoStore.js';
import { describeMongoHosts } from './mongo/connect.js';

export interface OpenStoreOptions {
  mongodbUri?: string;
  mongodbDb: string;
  dataDir: string;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** Keep retrying MongoDB this long at start-up (a compose stack starts app and db together). */
  connectTimeoutMs: number;
}

const RETRY_EVERY_MS = 1000;
/** Attempt n waits up to n seconds for a server (capped): quick retries first, yet a slow remote still gets time. */
const attemptTimeoutMs = (attempt: number, remaining: number) => Math.max(500, Math.min(1000 * attempt, 5000, remaining));

/** MongoDB when a URI is configured, else the embedded store in dataDir. */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  if (!opts.mongodbUri) {
    await mkdir(opts.dataDir, { recursive: true });
    opts.logger.info({ dataDir: opts.dataDir }, 'embedded store');
    return openEmbeddedStore({ dir: opts.dataDir });
  }
  return openMongoWithRetry(opts.mongodbUri, opts);
}

async function openMongoWithRetry(uri: string, opts: OpenStoreOptions): Promise<Store> {
  const host = describeMongoHosts(uri);
  const deadline = Date.now() + opts.connectTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    const remaining = deadline - startedAt;
    try {
      // Each attempt builds a fresh MongoClient (see connectMongo).
      const serverSelectionTimeoutMS = attemptTimeoutMs(attempt, remaining);
      return await openMongoStore({ uri, dbName: opts.mongodbDb, logger: opts.logger, serverSelectionTimeoutMS });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (Date.now() >= deadline) {
        throw new Error(`gave up on MongoDB at ${host} after ${attempt} attempts: ${message}`, { cause: error });
      }
      opts.logger.warn({ host, attempt, err: message }, 'MongoDB not reachable yet; retrying');
      await delay(Math.max(0, RETRY_EVERY_MS - (Date.now() - startedAt)));
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
