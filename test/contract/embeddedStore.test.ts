import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import { expect, it, vi } from 'vitest';
import { openEmbeddedStore } from '../../server/store/embedded/openEmbeddedStore.js';
import type { Store } from '../../server/store/Store.js';
import { tempDir } from '../support/tempDir.js';
import { registerStoreContractTests } from './storeContract.js';
import { rebuild, textOf, typeInSteps } from './cases/yjsHelpers.js';
import { buildLiveFile } from './builders.js';

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

it('[ST9] embedded: a record is in its datafile when its write resolves, appended at once (not through the thread pool), also after a compaction rewrote the file', async () => {
  const dir = await tempDir('livedesk-embedded-records-');
  const first = await openEmbeddedStore({ dir });
  const atOnce = vi.spyOn(fs, 'appendFileSync');
  const pooled = vi.spyOn(fsPromises, 'appendFile');
  try {
    const before = await first.liveFiles.create(buildLiveFile({ title: 'Паводок: до сжатия' }));
    expect(atOnce.mock.calls.some(([path]) => String(path).endsWith('liveFiles.db'))).toBe(true);
    expect(pooled).not.toHaveBeenCalled();
    // Closing compacts: every datafile is rewritten and renamed over the old one.
    await first.close();
    const writer = await openEmbeddedStore({ dir });
    const after = await writer.liveFiles.create(buildLiveFile({ title: 'Су тасқыны: after the compaction' }));
    // Read from disk while the writer is never closed, as after a crash.
    const reader = await openEmbeddedStore({ dir });
    expect((await reader.liveFiles.findById(before.id))?.title).toBe('Паводок: до сжатия');
    expect((await reader.liveFiles.findById(after.id))?.title).toBe('Су тасқыны: after the compaction');
    await reader.close();
    await writer.close();
  } finally {
    atOnce.mockRestore();
    pooled.mockRestore();
  }
});
