import { expect, it } from 'vitest';
import { openEmbeddedStore } from '../../server/store/embedded/openEmbeddedStore.js';
import type { Store } from '../../server/store/Store.js';
import { tempDir } from '../support/tempDir.js';
import { registerStoreContractTests } from './storeContract.js';
import { rebuild, textOf, typeInSteps } from './cases/yjsHelpers.js';

/** Which directory each open store uses, so the suite can reopen the same data. */
const dirOf = new WeakMap<Store, string>();

async function openAt(dir: string): Promise<Store> {
  const store = await openEmbeddedStore({ dir });
  dirOf.set(store, dir);
  return store;
}

registerStoreContractTests(
  'embedded',
  async () => openAt(await tempDir('livedesk-embedded-')),
  (closed) => openAt(dirOf.get(closed)!),
);

it('[ST9] embedded: an appended update is in the datafile when append resolves (no close, as after a crash)', async () => {
  const dir = await tempDir('livedesk-embedded-crash-');
  const writer = await openEmbeddedStore({ dir });
  const { doc, updates } = typeInSteps(['Breaking: ', 'bridge closed']);
  for (const update of updates) await writer.docs.append('entry:crash', update);
  // A second store reads the files from disk while the writer is never closed (no compaction).
  const reader = await openEmbeddedStore({ dir });
  expect(textOf(rebuild(await reader.docs.load('entry:crash')))).toBe(textOf(doc));
  await reader.close();
  await writer.close();
});
