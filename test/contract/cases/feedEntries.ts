import { expect, it } from 'vitest';
import type { ContractContext } from '../storeContract.js';
import { buildReaderEntry } from '../builders.js';

const AR = 'تحديث مباشر';

export function feedEntryCases({ store, reopen }: ContractContext): void {
  it('[FD7] recentReaderEntries: newest publishedAt first (ties by entryId, descending), at most limit, one live file only, whatever the desk order; it survives a reopen', async () => {
    const repo = store().publishing;
    const at = (m: number) => new Date(Date.UTC(2026, 2, 1, 10, m)).toISOString();
    const rows = [
      buildReaderEntry({ entryId: 'e-b', liveFileId: 'feed-file', publishedAt: at(5), position: 'a0', pinned: true }),
      buildReaderEntry({ entryId: 'e-a', liveFileId: 'feed-file', publishedAt: at(5), position: 'a1', headline: AR }),
      buildReaderEntry({ entryId: 'e-c', liveFileId: 'feed-file', publishedAt: at(9), position: 'a2' }),
      buildReaderEntry({ entryId: 'e-d', liveFileId: 'feed-file', publishedAt: at(1), position: 'Zz' }),
      buildReaderEntry({ entryId: 'e-x', liveFileId: 'other-file', publishedAt: at(30) }),
    ];
    for (const row of rows) await repo.putReaderEntry(row);
    expect((await repo.recentReaderEntries('feed-file', 10)).map((e) => e.entryId)).toEqual(['e-c', 'e-b', 'e-a', 'e-d']);
    expect((await repo.recentReaderEntries('feed-file', 2)).map((e) => e.entryId)).toEqual(['e-c', 'e-b']);
    expect(await repo.recentReaderEntries('no-file', 5)).toEqual([]);
    const again = await reopen();
    const [, , a] = await again.publishing.recentReaderEntries('feed-file', 10);
    expect(a).toEqual(rows[1]);
  });
}
