import { expect, it } from 'vitest';
import type { ContractContext } from '../storeContract.js';
import { buildAudit, bytesOf } from '../builders.js';

const KK = 'Алматыда су тасқыны: құтқарушылар жұмыс істеп жатыр';
const AR = 'تظاهرات في الساحة الرئيسية';

export function auditCases({ store, reopen }: ContractContext): void {
  it('[ST29] audit append is idempotent on (entryId, version): a repeat, even with another id, adds nothing', async () => {
    const record = buildAudit({ entryId: 'entry-a', version: 1 });
    await store().audit.append(record);
    await store().audit.append(record);
    await store().audit.append(buildAudit({ entryId: 'entry-a', version: 1, actorName: 'someone else' }));
    expect(await store().audit.listByEntry('entry-a')).toEqual([record]);
  });

  it('[ST29] of 10 concurrent appends of one transition exactly one record is kept', async () => {
    const attempts = Array.from({ length: 10 }, () => buildAudit({ entryId: 'entry-c', version: 3 }));
    await Promise.all(attempts.map((record) => store().audit.append(record)));
    const stored = await store().audit.listByEntry('entry-c');
    expect(stored).toHaveLength(1);
    expect(attempts).toContainEqual(stored[0]);
  });

  it('[ST29] lists per entry and per live file, oldest first (time, then version)', async () => {
    const t1 = '2025-03-01T10:00:00.000Z';
    const t2 = '2025-03-01T10:00:01.000Z';
    const a1 = buildAudit({ liveFileId: 'file-1', entryId: 'a', version: 1, at: t1 });
    const a2 = buildAudit({ liveFileId: 'file-1', entryId: 'a', version: 2, at: t2, action: 'publish', from: 'submitted', to: 'published' });
    const a3 = buildAudit({ liveFileId: 'file-1', entryId: 'a', version: 3, at: t2, action: 'retract', from: 'published', to: 'retracted', note: 'Wrong town' });
    const b1 = buildAudit({ liveFileId: 'file-1', entryId: 'b', version: 1, at: t1 });
    const other = buildAudit({ liveFileId: 'file-2', entryId: 'c', version: 1, at: t1 });
    for (const record of [a3, b1, other, a2, a1]) await store().audit.append(record);
    expect(await store().audit.listByEntry('a')).toEqual([a1, a2, a3]);
    const byFile = await store().audit.listByLiveFile('file-1');
    expect(byFile.map((r) => [r.at, r.version])).toEqual([[t1, 1], [t1, 1], [t2, 2], [t2, 3]]);
    expect(byFile).toHaveLength(4);
    expect(byFile).toEqual(expect.arrayContaining([a1, a2, a3, b1]));
    expect(await store().audit.listByEntry('missing-id')).toEqual([]);
  });

  it('[ST31] audit records keep multilingual names and notes byte-exact and survive reopening', async () => {
    const record = buildAudit({ entryId: 'entry-u', actorName: KK, note: AR, action: 'reject', from: 'submitted', to: 'rejected' });
    await store().audit.append(record);

    await reopen();

    const [stored] = await store().audit.listByEntry('entry-u');
    expect(stored).toEqual(record);
    expect(bytesOf(stored!.actorName).equals(bytesOf(KK))).toBe(true);
    expect(bytesOf(stored!.note!).equals(bytesOf(AR))).toBe(true);
    await store().audit.append(buildAudit({ entryId: 'entry-u', version: record.version }));
    expect(await store().audit.listByLiveFile(record.liveFileId)).toEqual([record]);
  });
}
