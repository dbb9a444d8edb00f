import nedb from '@seald-io/nedb';
import { join } from 'node:path';
import type { Collection } from './collections.js';

// See collections.ts: under NodeNext the default import is the class itself.
const Datastore = nedb as unknown as typeof nedb.default;

/** The access records besides accounts and sessions: sign-in rate-limit windows and invite links. */
export interface AccessCollections {
  rateLimits: Collection;
  invites: Collection;
}

export async function openAccessCollections(dir: string, autocompactMs: number): Promise<AccessCollections> {
  const open = async (name: string) => {
    const collection: Collection = new Datastore({ filename: join(dir, `${name}.db`) });
    await collection.loadDatabaseAsync();
    collection.setAutocompactionInterval(autocompactMs);
    return collection;
  };
  const [rateLimits, invites] = await Promise.all([open('rateLimits'), open('invites')]);
  await Promise.all([
    rateLimits.ensureIndexAsync({ fieldName: 'expiresAt', sparse: true }),
    invites.ensureIndexAsync({ fieldName: 'accountId' }),
  ]);
  return { rateLimits, invites };
}

export async function closeAccessCollections(c: AccessCollections): Promise<void> {
  await Promise.all(
    [c.rateLimits, c.invites].map(async (collection) => {
      collection.stopAutocompaction();
      await collection.compactDatafileAsync();
    }),
  );
}
