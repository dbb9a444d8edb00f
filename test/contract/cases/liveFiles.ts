import { expect, it } from 'vitest';
import { DuplicateKeyError } from '../../../server/store/Store.js';
import type { ContractContext } from '../storeContract.js';
import { buildLiveFile } from '../builders.js';

export function liveFileCases({ store }: ContractContext): void {
  it('[ST3] creates a live file with seq 0 and finds it by id and by slug', async () => {
    const created = await store().liveFiles.create(buildLiveFile({ slug: 'almaty-floods' }));
    expect(created.seq).toBe(0);
    expect(await store().liveFiles.findById(created.id)).toEqual(created);
    expect(await store().liveFiles.findBySlug(created.newsroomId, 'almaty-floods')).toEqual(created);
    expect(await store().liveFiles.findBySlug('other-room', 'almaty-floods')).toBeNull();
  });

  it('[ST3] a slug is unique per newsroom, and free in another newsroom', async () => {
    await store().liveFiles.create(buildLiveFile({ newsroomId: 'room-a', slug: 'election' }));
    await expect(store().liveFiles.create(buildLiveFile({ newsroomId: 'room-a', slug: 'election' }))).rejects.toBeInstanceOf(
      DuplicateKeyError,
    );
    await expect(store().liveFiles.create(buildLiveFile({ newsroomId: 'room-b', slug: 'election' }))).resolves.toMatchObject({
      slug: 'election',
    });
  });

  it('[ST3] lists a newsroom’s live files newest first', async () => {
    const first = await store().liveFiles.create(buildLiveFile({ newsroomId: 'room-a' }));
    const second = await store().liveFiles.create(buildLiveFile({ newsroomId: 'room-a' }));
    const third = await store().liveFiles.create(buildLiveFile({ newsroomId: 'room-a' }));
    await store().liveFiles.create(buildLiveFile({ newsroomId: 'room-b' }));
    const ids = (await store().liveFiles.list('room-a')).map((f) => f.id);
    expect(ids).toEqual([third.id, second.id, first.id]);
  });

  it('[ST3] update patches title, status and updatedAt; null for a missing id', async () => {
    const created = await store().liveFiles.create(buildLiveFile());
    const updated = await store().liveFiles.update(created.id, { title: 'Floods: day two', status: 'ended', updatedAt: '2026-01-01T00:00:00.000Z' });
    expect(updated).toEqual({ ...created, title: 'Floods: day two', status: 'ended', updatedAt: '2026-01-01T00:00:00.000Z' });
    expect(await store().liveFiles.update(created.id, {})).toEqual(updated);
    expect(await store().liveFiles.update('missing-id', { title: 'x' })).toBeNull();
  });

  it('[ST3] bumpSeq is atomic: 50 concurrent calls return 1..50, each once', async () => {
    const file = await store().liveFiles.create(buildLiveFile());
    const seqs = await Promise.all(Array.from({ length: 50 }, () => store().liveFiles.bumpSeq(file.id)));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await store().liveFiles.findById(file.id))!.seq).toBe(50);
  });

  it('[ST3] bumpSeq on a missing live file rejects', async () => {
    await expect(store().liveFiles.bumpSeq('missing-id')).rejects.toThrow();
  });
}
