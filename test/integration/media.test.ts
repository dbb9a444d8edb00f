import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { photoWithSecrets, PLANTED, pngBomb } from '../support/photos.js';

let server: TestServer;
const people = newsroomPeople(() => server);
let correspondent: Person;

beforeAll(async () => {
  server = await startTestServer();
  correspondent = await people.newPerson('correspondent');
});
afterAll(() => server.close());

interface MediaJson { id: string; width: number; height: number; renditions: Array<{ width: number; type: string; url: string }> }

async function upload(bytes: Uint8Array, opts: { key?: string | null; type?: string; cookie?: string | null } = {}) {
  const key = opts.key === undefined ? randomUUID() : opts.key;
  const res = await fetch(`${server.url}/api/media`, {
    method: 'POST',
    headers: {
      'content-type': opts.type ?? 'image/jpeg',
      ...(key ? { 'idempotency-key': key } : {}),
      ...(opts.cookie === null ? {} : { cookie: opts.cookie ?? correspondent.cookie }),
    },
    body: bytes,
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as MediaJson & { error?: { code: string; message: string } } };
}

/** Every file of the embedded media store, as stored. */
async function storedBlobs(): Promise<Buffer[]> {
  const dir = join(server.dataDir, 'media', 'blobs');
  return Promise.all((await readdir(dir)).filter((f) => !f.startsWith('.')).map((f) => readFile(join(dir, f))));
}

describe('photo uploads', () => {
  it('[MD1] POST /api/media re-encodes a phone photo: orientation applied, renditions for readers, and no EXIF, GPS, maker note, XMP or IPTC in any stored byte', async () => {
    const photo = await photoWithSecrets({ width: 2000, height: 1000, orientation: 6 });
    const before = await sharp(photo).metadata();
    expect([before.exif, before.xmp, before.iptc].every(Boolean)).toBe(true);
    const res = await upload(photo);
    expect(res.status).toBe(201);
    // Orientation 6: the stored photo stands upright (taller than wide).
    expect(res.json).toMatchObject({ width: 1000, height: 2000 });
    expect(res.json.renditions.map((r) => [r.width, r.type])).toEqual([
      [480, 'image/webp'], [480, 'image/jpeg'], [960, 'image/webp'], [960, 'image/jpeg'], [1000, 'image/webp'], [1000, 'image/jpeg'],
    ]);
    for (const r of res.json.renditions) {
      const got = await fetch(`${server.url}${r.url}`);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe(r.type);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const meta = await sharp(Buffer.from(await got.arrayBuffer())).metadata();
      expect(meta.width).toBe(r.width);
      expect(meta.format).toBe(r.type === 'image/webp' ? 'webp' : 'jpeg');
    }
    const blobs = await storedBlobs();
    expect(blobs.length).toBeGreaterThanOrEqual(7);
    for (const bytes of blobs) {
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      for (const planted of PLANTED) expect(bytes.includes(planted)).toBe(false);
      expect(bytes.includes('Exif\0\0')).toBe(false);
      expect(bytes.includes('Photoshop 3.0')).toBe(false);
      expect(bytes.includes('http://ns.adobe.com/xap/1.0/')).toBe(false);
    }
    // The upload itself is never stored: not one stored file equals it.
    expect(blobs.some((b) => b.equals(photo))).toBe(false);
  });

  it('[MD2] a repeated Idempotency-Key answers the first result and stores nothing twice; the same key with another photo is 409', async () => {
    const photo = await photoWithSecrets({ width: 640, height: 480 });
    const key = randomUUID();
    const before = (await storedBlobs()).length;
    const first = await upload(photo, { key });
    const again = await upload(photo, { key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect((await storedBlobs()).length - before).toBe(first.json.renditions.length + 1);
    const other = await upload(await photoWithSecrets({ width: 641, height: 480 }), { key });
    expect(other.status).toBe(409);
    expect(other.json.error?.code).toBe('conflict');
    const racing = await Promise.all(Array.from({ length: 5 }, () => upload(photo, { key: `${key}-race` })));
    expect(new Set(racing.map((r) => r.json.id)).size).toBe(1);
    expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('[MD3] the type comes from the bytes: a PNG claimed as JPEG is taken, text, SVG and HTML claimed as images are 415, a damaged JPEG 400, and nothing is stored', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#336699' } }).png().toBuffer();
    expect((await upload(png, { type: 'image/jpeg' })).status).toBe(201);
    const before = (await storedBlobs()).length;
    const refusals: Array<[Uint8Array, string, number]> = [
      [Buffer.from('hello, not an image'), 'image/jpeg', 415],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/svg+xml', 415],
      [Buffer.from('<!doctype html><script>alert(1)</script>'), 'image/png', 415],
      [Buffer.concat([Buffer.from('GIF89a'), Buffer.from('<script>alert(1)</script>')]), 'image/gif', 400],
      [(await photoWithSecrets({ width: 200, height: 200 })).subarray(0, 300), 'image/jpeg', 400],
      [new Uint8Array(), 'image/jpeg', 400],
    ];
    for (const [bytes, type, status] of refusals) {
      const res = await upload(bytes, { type });
      expect(res.status, `${type} ${bytes.byteLength} bytes`).toBe(status);
      expect(res.json.error?.message).toBeTruthy();
    }
    expect((await storedBlobs()).length).toBe(before);
  });

  it('[MD4] a decompression bomb is refused from its header, before decoding: 413 at once, nothing stored', async () => {
    const bomb = pngBomb(100_000, 100_000);
    expect(bomb.byteLength).toBeLessThan(100);
    const before = (await storedBlobs()).length;
    const started = performance.now();
    const res = await upload(bomb, { type: 'image/png' });
    expect(res.status).toBe(413);
    expect(res.json.error?.code).toBe('media_too_large');
    expect(performance.now() - started).toBeLessThan(500);
    expect((await storedBlobs()).length).toBe(before);
  });

  it('[MD5] uploads need a session and an Idempotency-Key; the full-size copy is the newsroom’s only and never at a public URL', async () => {
    const photo = await photoWithSecrets({ width: 800, height: 600 });
    expect((await upload(photo, { cookie: null })).status).toBe(401);
    expect((await upload(photo, { key: null })).status).toBe(400);
    const res = await upload(photo);
    const desk = await fetch(`${server.url}/api/media/${res.json.id}`, { headers: { cookie: correspondent.cookie } });
    expect(desk.status).toBe(200);
    expect((await sharp(Buffer.from(await desk.arrayBuffer())).metadata()).width).toBe(800);
    expect((await fetch(`${server.url}/api/media/${res.json.id}`)).status).toBe(401);
    const record = (await server.store.media.findById(res.json.id))!;
    expect((await fetch(`${server.url}/media/${record.master.key}`)).status).toBe(404);
    expect((await fetch(`${server.url}/media/not-a-real-key-000000.jpg`)).status).toBe(404);
  });
});
