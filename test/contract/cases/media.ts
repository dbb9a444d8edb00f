import { randomBytes, randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { MediaBlob, MediaRecord } from '../../../server/store/ports/media.js';
import type { ContractContext } from '../storeContract.js';

function record(ownerId: string, idempotencyKey: string): { record: MediaRecord; blobs: MediaBlob[] } {
  const key = (w: number, ext: string) => `${randomBytes(18).toString('base64url')}-${w}.${ext}`;
  const blobs = [key(480, 'webp'), key(480, 'jpg'), key(1200, 'jpg')].map((k) => ({ key: k, bytes: randomBytes(5000 + Math.floor(Math.random() * 300_000)) }));
  const ref = (b: MediaBlob, type: 'image/webp' | 'image/jpeg', width: number) => ({ key: b.key, type, width, height: width / 2, bytes: b.bytes.byteLength });
  return {
    blobs,
    record: {
      id: randomBytes(9).toString('base64url'), newsroomId: 'newsroom-0001', ownerId, idempotencyKey, requestHash: randomBytes(8).toString('hex'),
      width: 1200, height: 600, renditions: [ref(blobs[0], 'image/webp', 480), ref(blobs[1], 'image/jpeg', 480)], master: ref(blobs[2], 'image/jpeg', 1200),
      createdAt: new Date().toISOString(),
    },
  };
}

export function mediaCases(ctx: ContractContext): void {
  it('[MD6] stores blobs and a record; reads them back byte-exact, by id and by (owner, key), across a reopen', async () => {
    const { record: r, blobs } = record('owner-000001', randomUUID());
    expect(await ctx.store().media.create(r, blobs)).toEqual({ record: r, created: true });
    const store = await ctx.reopen();
    expect(await store.media.findById(r.id)).toEqual(r);
    expect(await store.media.findByIdempotencyKey('owner-000001', r.idempotencyKey)).toEqual(r);
    expect(await store.media.findByIdempotencyKey('owner-000002', r.idempotencyKey)).toBeNull();
    for (const b of blobs) expect(Buffer.from((await store.media.readBlob(b.key))!).equals(Buffer.from(b.bytes))).toBe(true);
    expect(await store.media.readBlob('../../etc/passwd')).toBeNull();
    expect(await store.media.readBlob(`${randomBytes(18).toString('base64url')}-1.jpg`)).toBeNull();
  });

  it('[MD6] concurrent creates under one (owner, key): one record wins, the losers get it and their blobs are gone', async () => {
    const key = randomUUID();
    const attempts = Array.from({ length: 5 }, () => record('owner-000003', key));
    const results = await Promise.all(attempts.map((a) => ctx.store().media.create(a.record, a.blobs)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)!.record;
    for (const r of results) expect(r.record).toEqual(winner);
    for (const a of attempts) {
      const won = a.record.id === winner.id;
      for (const b of a.blobs) expect((await ctx.store().media.readBlob(b.key)) !== null).toBe(won);
    }
  });
}
