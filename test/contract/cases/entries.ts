import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { ContractContext } from '../storeContract.js';
import type { EntryStatus, WorkflowAction } from '../../../shared/workflow.js';
import type { EntryTransitionPatch } from '../../../server/store/Store.js';
import { buildEntry, nextIso } from '../builders.js';

/** A bare transition patch: the new status, a fresh time, and who did it. */
function move(status: EntryStatus, action: WorkflowAction = 'publish', at = nextIso()): EntryTransitionPatch {
  return { status, updatedAt: at, lastAction: { action, actorId: 'chief-1', at } };
}

export function entryCases({ store }: ContractContext): void {
  it('[ST5] createOnce creates an entry at version 0 and revision 1 and finds it', async () => {
    const { entry, created } = await store().entries.createOnce(buildEntry({ idempotencyKey: randomUUID() }));
    expect(created).toBe(true);
    expect(entry.version).toBe(0);
    expect(entry.revision).toBe(1);
    expect((await store().entries.createOnce(buildEntry({ revision: 4 }))).entry.revision).toBe(4);
    expect(await store().entries.findById(entry.id)).toEqual(entry);
    expect(await store().entries.findById('missing-id')).toBeNull();
  });

  it('[ST5] a repeated idempotency key returns the first entry with created=false', async () => {
    const key = randomUUID();
    const first = await store().entries.createOnce(buildEntry({ idempotencyKey: key, preview: 'first' }));
    const repeat = await store().entries.createOnce(buildEntry({ idempotencyKey: key, preview: 'changed payload' }));
    expect(repeat).toEqual({ entry: first.entry, created: false });
    expect(await store().entries.countByLiveFile(first.entry.liveFileId)).toBe(1);
  });

  it('[ST5] the same key in another live file, and entries without a key, are all distinct', async () => {
    const key = randomUUID();
    const a = await store().entries.createOnce(buildEntry({ liveFileId: 'file-a', idempotencyKey: key }));
    const b = await store().entries.createOnce(buildEntry({ liveFileId: 'file-b', idempotencyKey: key }));
    const c = await store().entries.createOnce(buildEntry({ liveFileId: 'file-a' }));
    const d = await store().entries.createOnce(buildEntry({ liveFileId: 'file-a' }));
    expect([a, b, c, d].every((r) => r.created)).toBe(true);
    expect(c.entry.idempotencyKey).toBeUndefined();
    expect(await store().entries.countByLiveFile('file-a')).toBe(3);
  });

  it('[ST5] 10 concurrent createOnce with one key create exactly one entry', async () => {
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store().entries.createOnce(buildEntry({ idempotencyKey: key, preview: `try ${i}` }))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry.id)).size).toBe(1);
    expect(await store().entries.countByLiveFile('live-file-1')).toBe(1);
  });

  it('[ST5] lists a live file’s entries oldest first', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await store().entries.createOnce(buildEntry({ liveFileId: 'file-x' }))).entry.id);
    await store().entries.createOnce(buildEntry({ liveFileId: 'file-y' }));
    expect((await store().entries.listByLiveFile('file-x')).map((e) => e.id)).toEqual(ids);
    expect(await store().entries.countByLiveFile('file-x')).toBe(3);
  });

  it('[ST5] a file\'s entry summaries: the same entries in the same order, only id, newsroom, author and last change', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await store().entries.createOnce(buildEntry({ liveFileId: 'file-sum', preview: `Жаңалық ${i} — خبر` }))).entry);
    await store().entries.createOnce(buildEntry({ liveFileId: 'file-other' }));
    const summaries = await store().entries.summariesByLiveFile('file-sum');
    expect(summaries).toEqual(made.map((e) => ({ id: e.id, newsroomId: e.newsroomId, authorId: e.authorId, updatedAt: e.updatedAt })));
    expect(await store().entries.summariesByLiveFile('file-none')).toEqual([]);
  });

  it('[ST4] a transition applies when status and version match, and bumps the version', async () => {
    const { entry } = await store().entries.createOnce(buildEntry({ status: 'submitted' }));
    const patch = move('published');
    const moved = await store().entries.transition(entry.id, entry, patch);
    expect(moved).toEqual({ ...entry, ...patch, version: entry.version + 1 });
    expect(await store().entries.findById(entry.id)).toEqual(moved);
  });

  it('[ST4] of two competing transitions exactly one wins (20 rounds)', async () => {
    // One pair per entry, all pairs at once: a race that loses updates shows up within a few rounds.
    const rounds = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const { entry } = await store().entries.createOnce(buildEntry({ status: 'submitted' }));
        const results = await Promise.all([
          store().entries.transition(entry.id, entry, move('published')),
          store().entries.transition(entry.id, entry, move('rejected', 'reject')),
        ]);
        return { entry, winners: results.filter((r) => r !== null) };
      }),
    );
    for (const { entry, winners } of rounds) {
      expect(winners).toHaveLength(1);
      expect(winners[0]!.version).toBe(entry.version + 1);
      expect(await store().entries.findById(entry.id)).toEqual(winners[0]);
    }
  });

  it('[ST4] a stale version or status loses, and a missing entry gives null', async () => {
    const { entry } = await store().entries.createOnce(buildEntry({ status: 'submitted' }));
    const first = await store().entries.transition(entry.id, entry, move('rejected', 'reject'));
    const stale = await store().entries.transition(entry.id, entry, move('published'));
    expect(stale).toBeNull();
    const wrongStatus = await store().entries.transition(entry.id, { status: 'submitted', version: entry.version + 1 }, move('published'));
    expect(wrongStatus).toBeNull();
    expect(await store().entries.transition('missing-id', entry, move('published'))).toBeNull();
    expect(await store().entries.findById(entry.id)).toEqual(first);
    expect(first).toMatchObject({ status: 'rejected', version: entry.version + 1 });
  });

  it('[ST6] concurrent addContributors all survive (set union, no duplicates)', async () => {
    const { entry } = await store().entries.createOnce(buildEntry({ contributorIds: ['account-1'] }));
    const adds = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => [`account-${id}`, 'account-1']);
    await Promise.all(adds.map((ids) => store().entries.addContributors(entry.id, ids)));
    const stored = await store().entries.findById(entry.id);
    expect([...stored!.contributorIds].sort()).toEqual(['account-1', ...adds.map(([id]) => id)].sort());
    expect(await store().entries.addContributors('missing-id', ['x'])).toBeNull();
  });

  it('[ST6] updateMeta patches preview, headline, bylines; leaves status and version alone', async () => {
    const { entry } = await store().entries.createOnce(buildEntry({ status: 'submitted' }));
    const at = nextIso();
    const patch = { preview: 'Rescuers reach the district', headline: 'Rescue', bylines: ['A. S.', 'D. K.'], updatedAt: at };
    const updated = await store().entries.updateMeta(entry.id, patch);
    expect(updated).toEqual({ ...entry, ...patch });
    expect(await store().entries.findById(entry.id)).toEqual(updated);
    expect(await store().entries.updateMeta('missing-id', patch)).toBeNull();
  });
}
