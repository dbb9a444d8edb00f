// The readers' live delivery, Socket.IO namespace `/live` (docs/spec.md RD): a real server on
// port 0, real socket.io-client readers, changes published through the real services.
import { Namespace } from 'socket.io';
import { Socket as EngineSocket } from 'engine.io';
import { ReaderShards } from '../../server/realtime/readers/ReaderShards.js';
import { HeldFeeds } from '../../server/realtime/readers/HeldFeeds.js';
import { RoomlessReadersAdapter } from '../../server/realtime/readers/roomlessReaders.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newEntry, publicGet, slugOf, transition } from '../support/workflowApi.js';
import { connectIo, waitForConnect } from '../support/ioClient.js';
import { connected, disconnected, LiveReader, openReaderSocket, publishDirect, subscribeOnce, type ReaderSocket } from '../support/liveReaders.js';
import type { ReaderChange, SubscribeAck } from '../../shared/realtime/liveEvents.js';

let server: TestServer;
const people = newsroomPeople(() => server);
let editor: Person;
let chief: Person;
const open: ReaderSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  editor = await people.newPerson('editor');
  chief = await people.newPerson('chief');
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(() => server.close());

async function reader(opts: { cookie?: string; polling?: boolean } = {}): Promise<ReaderSocket> {
  const socket = openReaderSocket(server.url, opts);
  open.push(socket);
  await connected(socket);
  return socket;
}

async function newFile(): Promise<{ id: string; slug: string }> {
  const id = await people.newLiveFile(editor, 'Readers');
  return { id, slug: await slugOf(server, id) };
}

/** Through the desk: create, submit, publish. */
async function publish(fileId: string, text: string): Promise<string> {
  const entry = await newEntry(server, editor, fileId, text);
  expect((await transition(server, editor, entry.id, 'submit', { version: entry.version })).status).toBe(200);
  expect((await transition(server, chief, entry.id, 'publish', { version: entry.version + 1 })).status).toBe(200);
  return entry.id;
}

const changesOf = async (slug: string, after: number) =>
  (await publicGet(server, `/api/public/live/${encodeURIComponent(slug)}/changes?after=${after}`)).json as { changes: ReaderChange[]; lastSeq: number };
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('reader delivery over /live', () => {
  it('[RD1] subscribe acks exactly the changes after `after` as GET /changes has them, then pushes each next change in seq order; an unknown slug or a malformed subscribe is refused', async () => {
    const file = await newFile();
    const first = await publish(file.id, 'Первое: polls open.');
    await publish(file.id, 'Second.');
    const socket = await reader();
    const ack = await subscribeOnce(socket, file.slug, 1);
    expect(ack).toEqual(await changesOf(file.slug, 1));
    expect(ack).toMatchObject({ lastSeq: 2, changes: [{ seq: 2, kind: 'published' }] });
    expect(Object.keys((ack as { changes: ReaderChange[] }).changes[0]).sort()).toEqual(['entry', 'entryId', 'kind', 'seq']);

    const pushes: ReaderChange[] = [];
    socket.on('change', (c) => pushes.push(c));
    const third = await publish(file.id, 'Third.');
    const fourth = await publish(file.id, 'Fourth.');
    const current = (await server.store.entries.findById(first))!;
    expect((await transition(server, chief, first, 'retract', { version: current.version, reason: 'Not confirmed.' })).status).toBe(200);
    await expect.poll(() => pushes.length).toBe(3);
    expect(pushes.map((c) => [c.seq, c.kind, c.entryId])).toEqual([[3, 'published', third], [4, 'published', fourth], [5, 'retracted', first]]);
    expect(pushes).toEqual((await changesOf(file.slug, 2)).changes);

    // Polling works the same way.
    const polling = await reader({ polling: true });
    expect(await subscribeOnce(polling, file.slug, 0)).toEqual(await changesOf(file.slug, 0));

    const lost = await reader();
    const gone = disconnected(lost);
    expect(await subscribeOnce(lost, 'no-such-file', 0)).toMatchObject({ error: { code: 'not_found' } });
    await gone;
    const bad = await reader();
    const refused = disconnected(bad);
    expect(await subscribeOnce(bad, file.slug, -1)).toMatchObject({ error: { code: 'invalid_input' } });
    await refused;
  });

  it('[RD1] a second subscribe on the same socket switches it to the other file: the first file\'s changes stop', async () => {
    const a = await newFile();
    const b = await newFile();
    const socket = await reader();
    const got: Array<[string, number]> = [];
    socket.on('change', (c) => got.push([c.entryId, c.seq]));
    expect(await subscribeOnce(socket, a.slug, 0)).toEqual({ changes: [], lastSeq: 0 });
    await publishDirect(server, a.id);
    await expect.poll(() => got.length).toBe(1);
    expect(await subscribeOnce(socket, b.slug, 0)).toEqual({ changes: [], lastSeq: 0 });
    await publishDirect(server, a.id);
    const fromB = await publishDirect(server, b.id);
    await expect.poll(() => got.length).toBe(2);
    expect(got[1][1]).toBe(fromB);
    await publishDirect(server, b.id);
    await expect.poll(() => got.length).toBe(3);
    expect(got.map(([, seq]) => seq)).toEqual([1, 1, 2]);
  });

  it('[RD2] changes stored while subscribes are answered reach every reader exactly once: 30 readers subscribe at random moments during 60 publishes', async () => {
    const file = await newFile();
    for (let i = 0; i < 5; i++) await publishDirect(server, file.id);
    const readers: LiveReader[] = [];
    const publishing = (async () => {
      for (let i = 0; i < 60; i++) {
        await publishDirect(server, file.id);
        if (i % 3 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 30; i++) {
      const socket = await reader();
      // Some start from a page read just now, some from an older seq, some from nothing.
      const after = i % 3 === 0 ? 0 : i % 3 === 1 ? (await changesOf(file.slug, 0)).lastSeq : 3;
      readers.push(new LiveReader(socket, file.slug, after));
      await new Promise((r) => setTimeout(r, Math.random() * 8));
    }
    await publishing;
    const last = (await changesOf(file.slug, 0)).lastSeq;
    expect(last).toBe(65);
    for (const r of readers) {
      await r.reached(last);
      expect(r.violations).toEqual([]);
    }
  });

  it('[RD2] a store read that is stale when it returns, and a change stored before its event goes out, are each delivered once', async () => {
    const file = await newFile();
    await publishDirect(server, file.id);
    const watcher = new LiveReader(await reader(), file.slug, 0);
    await watcher.reached(1);

    const publishing = server.store.publishing;
    const events = server.server.services.events;
    const originalChangesAfter = publishing.changesAfter.bind(publishing);
    const originalLastSeq = publishing.lastSeq.bind(publishing);
    try {
      // (a) The subscribe's read is taken, then two changes are stored and pushed before it returns.
      let stale: Promise<void> | null = null;
      publishing.lastSeq = async (id: string) => {
        const seq = await originalLastSeq(id);
        if (id === file.id && !stale) {
          stale = (async () => {
            await publishDirect(server, file.id);
            await publishDirect(server, file.id);
          })();
          await stale;
        }
        return seq;
      };
      const late = new LiveReader(await reader(), file.slug, 0);
      await late.reached(3);
      publishing.lastSeq = originalLastSeq;
      expect(late.acks[0]).toMatchObject({ lastSeq: 3 });

      // (b) A change is in the store but its 'reader:change' waits: a subscribe reads it meanwhile.
      const originalEmit = events.emit;
      const heldBack: Array<() => void> = [];
      const untyped = events as unknown as { emit(name: string, ...args: unknown[]): boolean };
      const emitNow = originalEmit.bind(events) as unknown as (name: string, ...args: unknown[]) => boolean;
      untyped.emit = (name, ...args) => {
        if (name === 'reader:change') return heldBack.push(() => emitNow(name, ...args)) > 0;
        return emitNow(name, ...args);
      };
      const fourth = await publishDirect(server, file.id);
      expect(fourth).toBe(4);
      const early = new LiveReader(await reader(), file.slug, 3);
      await early.until(() => early.acks.length === 1, 'its ack');
      // The stream had not pushed 4: the ack stops before it, the push brings it.
      expect(early.acks[0]).toMatchObject({ lastSeq: 3, changes: [] });
      events.emit = originalEmit;
      for (const release of heldBack.splice(0)) release();
      await publishDirect(server, file.id);
      for (const r of [watcher, late, early]) {
        await r.reached(5);
        expect(r.violations).toEqual([]);
      }
      expect(early.received).toEqual([4, 5]);
    } finally {
      publishing.changesAfter = originalChangesAfter;
      publishing.lastSeq = originalLastSeq;
    }
  });

  it('[RD3] a reader more than 500 changes behind, or ahead of what was stored, gets { reload: true } and keeps receiving from there', async () => {
    const file = await newFile();
    for (let i = 0; i < 503; i++) await publishDirect(server, file.id);
    const socket = await reader();
    expect(await subscribeOnce(socket, file.slug, 2)).toEqual({ reload: true });
    const page = (await publicGet(server, `/api/public/live/${encodeURIComponent(file.slug)}`)).json as { liveFile: { lastSeq: number } };
    expect(page.liveFile.lastSeq).toBe(503);
    const next = new Promise<ReaderChange>((resolve) => socket.once('change', resolve));
    await publishDirect(server, file.id);
    expect((await next).seq).toBe(504);
    const within = await subscribeOnce(await reader(), file.slug, 4);
    expect(within).toMatchObject({ lastSeq: 504 });
    expect((within as { changes: ReaderChange[] }).changes.map((c) => c.seq)).toEqual(range(5, 504));
    expect(await subscribeOnce(await reader(), file.slug, 9999)).toEqual({ reload: true });
  });

  it('[RD4] a reader that sends another event, an oversize or binary packet, or a flood is disconnected; the other readers keep receiving', async () => {
    const file = await newFile();
    const good = new LiveReader(await reader(), file.slug, 0);
    await good.until(() => good.acks.length === 1, 'its ack');
    const offenders: Array<[string, (s: ReaderSocket) => void]> = [
      ['another event', (s) => (s as unknown as { emit(e: string, p: unknown): void }).emit('liveFile:watch', { liveFileId: file.id })],
      ['another event with an ack', (s) => (s as unknown as { emit(e: string, p: unknown, ack: () => void): void }).emit('liveFile:watch', { liveFileId: file.id }, () => undefined)],
      ['an event whose name only starts like subscribe', (s) => (s as unknown as { emit(e: string, p: unknown, ack: () => void): void }).emit('subscribed', { slug: file.slug, after: 0 }, () => undefined)],
      ['an oversize packet', (s) => s.emit('subscribe', { slug: 'x'.repeat(5000), after: 0 }, () => undefined)],
      ['a binary packet', (s) => (s as unknown as { emit(e: string, p: unknown): void }).emit('subscribe', Buffer.from('hi'))],
      ['a flood', (s) => { for (let i = 0; i < 20; i++) s.emit('subscribe', { slug: file.slug, after: 0 }, () => undefined); }],
      ['a subscribe without an ack', (s) => (s as unknown as { emit(e: string, p: unknown): void }).emit('subscribe', { slug: file.slug, after: 0 })],
    ];
    let seq = 0;
    for (const [what, offend] of offenders) {
      const bad = await reader();
      const gone = disconnected(bad);
      offend(bad);
      expect(await gone.catch(() => `still connected after ${what}`)).not.toMatch(/still connected/);
      seq = await publishDirect(server, file.id);
      await good.reached(seq);
    }
    expect(good.socket.connected).toBe(true);
    expect(good.violations).toEqual([]);
    expect(good.received).toEqual(range(1, seq));
  });

  it('[RD5] readers need no cookie; a desk cookie gives a reader socket nothing more, and only published content reaches it', async () => {
    const file = await newFile();
    const withCookie = new LiveReader(await reader({ cookie: editor.cookie }), file.slug, 0);
    const anonymous = new LiveReader(await reader(), file.slug, 0);
    const desk = connectIo(server.url, editor.cookie);
    await waitForConnect(desk);
    try {
      const seen: string[] = [];
      withCookie.socket.onAny((event: string) => seen.push(event));
      const draft = await newEntry(server, editor, file.id, 'A correspondent’s draft, never submitted.');
      const submitted = await newEntry(server, editor, file.id, 'Submitted, never published.');
      await transition(server, editor, submitted.id, 'submit', { version: submitted.version });
      const published = await publish(file.id, 'Published for readers.');
      for (const r of [withCookie, anonymous]) await r.reached(1);
      expect(seen).toEqual(['change']);
      const body = JSON.stringify(withCookie.acks) + JSON.stringify(seen);
      expect(body).not.toContain(draft.id);
      expect(body).not.toContain(submitted.id);
      // A desk command on the reader socket disconnects it: the session means nothing here.
      const gone = disconnected(withCookie.socket);
      (withCookie.socket as unknown as { emit(e: string, p: unknown, ack: () => void): void }).emit('liveFile:watch', { liveFileId: file.id }, () => undefined);
      await gone;
      expect(anonymous.socket.connected).toBe(true);
      void published;
    } finally {
      desk.disconnect();
    }
  });

  it('[RD6] a reader whose connection drops subscribes again with its last seq and misses nothing', async () => {
    const file = await newFile();
    const socket = openReaderSocket(server.url, { reconnect: true });
    open.push(socket);
    const r = new LiveReader(socket, file.slug, 0);
    await connected(socket);
    await publishDirect(server, file.id);
    await r.reached(1);
    for (let round = 0; round < 3; round++) {
      const dropped = disconnected(socket);
      // The network goes: the transport closes under the client.
      (socket.io.engine as unknown as { close(): void }).close();
      await dropped;
      await publishDirect(server, file.id);
      await publishDirect(server, file.id);
      await r.reached(3 + round * 2);
    }
    expect(r.received).toEqual(range(1, 7));
    expect(r.violations).toEqual([]);
  });

  it('[RD8] a change to a file\'s readers is encoded once and written as one frame to each reader, no fetchSockets, no engine.io packet per reader; no per-message deflate on the wire', async () => {
    const file = await newFile();
    const readers = await Promise.all(Array.from({ length: 20 }, async () => new LiveReader(await reader(), file.slug, 0)));
    for (const r of readers) await r.until(() => r.acks.length === 1, 'its ack');
    const sends = vi.spyOn(ReaderShards.prototype, 'send');
    const engineWrites = vi.spyOn(EngineSocket.prototype, 'write');
    const fetchSockets = [vi.spyOn(Namespace.prototype, 'fetchSockets')];
    try {
      const seq = await publishDirect(server, file.id);
      for (const r of readers) await r.reached(seq);
      expect(sends).toHaveBeenCalledTimes(1);
      const [shards, packet] = sends.mock.calls[0]!;
      expect(new Set(shards).size).toBe(1); // 20 readers in join order: one shard (JOIN_BLOCK 64)
      expect(sends.mock.results[0]!.value).toBe(20);
      expect(packet.packet.startsWith('2/live,["change",')).toBe(true);
      // Nothing went through engine.io per reader: every frame was the one prebuilt write.
      expect(engineWrites.mock.calls.filter(([data]) => String(data).includes('"change"'))).toEqual([]);
      // (The spy does see engine.io's writes: a new reader's ack goes through it.)
      const newcomer = new LiveReader(await reader(), file.slug, seq);
      await newcomer.until(() => newcomer.acks.length === 1, 'its ack');
      expect(engineWrites).toHaveBeenCalled();
      for (const spy of fetchSockets) expect(spy).not.toHaveBeenCalled();
      for (const r of readers) {
        expect(r.received).toEqual([seq]);
        const ws = (r.socket.io.engine as unknown as { transport: { ws: { extensions: string } } }).transport.ws;
        expect(ws.extensions).toBe('');
      }
    } finally {
      for (const spy of [sends, engineWrites, ...fetchSockets]) spy.mockRestore();
    }
  });

  it('[RD8] a reader socket joins no Socket.IO room, not even its own id\'s (its file\'s shards hold it); a desk socket keeps its rooms', async () => {
    const joins = vi.spyOn(RoomlessReadersAdapter.prototype, 'addAll');
    try {
      const file = await newFile();
      const r = new LiveReader(await reader(), file.slug, 0);
      await r.until(() => r.acks.length === 1, 'its ack');
      const desk = connectIo(server.url, editor.cookie);
      try {
        await waitForConnect(desk);
        const adapters = new Map((joins.mock.contexts as RoomlessReadersAdapter[]).map((a) => [a.nsp.name, a]));
        const live = adapters.get('/live')!;
        expect(live.rooms.size).toBe(0);
        expect(live.sids.size).toBe(0);
        expect(adapters.get('/')!.sids.get(desk.id!)?.has(desk.id!)).toBe(true);
        // Held by its shard all the same: the next change reaches it.
        const seq = await publishDirect(server, file.id);
        await r.reached(seq);
      } finally {
        desk.disconnect();
      }
    } finally {
      joins.mockRestore();
    }
  });

  it('[RD10] a subscribe near the stream is answered from the feed\'s memory; a change only the store has is still found and pushed to everyone', async () => {
    const file = await newFile();
    const first = new LiveReader(await reader(), file.slug, 0);
    await first.until(() => first.acks.length === 1, 'its ack');
    for (let i = 0; i < 3; i++) await publishDirect(server, file.id);
    await first.reached(3);
    // Another process stores seq 4: no event reaches this one.
    const [third] = await server.store.publishing.changesAfter(file.id, 2, 1);
    const orphan = { ...third!, seq: 4, changeKey: `${third!.changeKey}-elsewhere`, entry: { ...third!.entry, seq: 4 } };
    await server.store.publishing.putReaderEntry(orphan.entry);
    expect((await server.store.publishing.appendChange(orphan)).inserted).toBe(true);
    const reads = vi.spyOn(server.store.publishing, 'changesAfter');
    try {
      const late = new LiveReader(await reader(), file.slug, 1);
      await late.until(() => late.acks.length === 1, 'its ack');
      expect(late.acks[0]).toMatchObject({ lastSeq: 3, changes: [{ seq: 2 }, { seq: 3 }] });
      // Not read from the store for this reader (the feed's own gap fill reads after seq 3).
      expect(reads.mock.calls.filter(([, after]) => after === 1)).toEqual([]);
      for (const r of [first, late]) await r.reached(4);
      expect(first.received).toEqual(range(1, 4));
      expect(late.received).toEqual(range(2, 4));
      for (const r of [first, late]) expect(r.violations).toEqual([]);
    } finally {
      reads.mockRestore();
    }
  });

  it('[RD10] readers that all leave at once come back to their file\'s feed, which kept what they missed: their subscribes read no changes from the store', async () => {
    const file = await newFile();
    const releases = vi.spyOn(HeldFeeds.prototype, 'release');
    const reads = vi.spyOn(server.store.publishing, 'changesAfter');
    try {
      const before = [new LiveReader(await reader(), file.slug, 0), new LiveReader(await reader(), file.slug, 0)];
      for (const r of before) await r.until(() => r.acks.length === 1, 'its ack');
      for (let i = 0; i < 2; i++) await publishDirect(server, file.id);
      for (const r of before) await r.reached(2);
      for (const r of before) r.socket.disconnect();
      // Both gone on the server too: the feed has no reader left.
      await expect.poll(() => releases.mock.calls.filter(([id]) => id === file.id).length).toBe(2);
      for (let i = 0; i < 2; i++) await publishDirect(server, file.id);
      reads.mockClear();
      const back = [new LiveReader(await reader(), file.slug, 2), new LiveReader(await reader(), file.slug, 2)];
      for (const r of back) await r.until(() => r.acks.length === 1, 'its ack');
      for (const r of back) expect(r.acks[0]).toMatchObject({ lastSeq: 4, changes: [{ seq: 3 }, { seq: 4 }] });
      expect(reads).not.toHaveBeenCalled();
      await publishDirect(server, file.id);
      for (const r of back) await r.reached(5);
      for (const r of back) {
        expect(r.received).toEqual([3, 4, 5]);
        expect(r.violations).toEqual([]);
      }
    } finally {
      releases.mockRestore();
      reads.mockRestore();
    }
  });

  it('[RD7] ending a file tells its readers `ended` after its last change and disconnects them; a subscribe to an ended file acks the catch-up with ended: true', async () => {
    const file = await newFile();
    await publish(file.id, 'Before the end.');
    const a = new LiveReader(await reader(), file.slug, 0);
    const b = new LiveReader(await reader({ polling: true }), file.slug, 1);
    await a.reached(1);
    await b.until(() => b.acks.length === 1, 'its ack');
    const bye = [disconnected(a.socket), disconnected(b.socket)];
    const path = `/api/live-files/${file.id}/lifecycle`;
    await publishDirect(server, file.id);
    expect((await api(server, chief.cookie, 'PATCH', path, { status: 'ended' })).status).toBe(200);
    expect(await Promise.all(bye)).toEqual(['io server disconnect', 'io server disconnect']);
    for (const r of [a, b]) {
      expect(r.ended).toEqual({ slug: file.slug });
      expect(r.last).toBe(2);
    }
    const late = await reader();
    const gone = disconnected(late);
    expect(await subscribeOnce(late, file.slug, 0)).toMatchObject({ lastSeq: 2, ended: true, changes: [{ seq: 1 }, { seq: 2 }] });
    expect(await gone).toBe('io server disconnect');
    // Archived too.
    expect((await api(server, chief.cookie, 'PATCH', path, { status: 'archived' })).status).toBe(200);
    const archived = await reader();
    expect(await subscribeOnce(archived, file.slug, 2)).toEqual({ changes: [], lastSeq: 2, ended: true } satisfies SubscribeAck);
  });
});

describe('reader delivery while a fan-out is spread over event-loop turns', () => {
  let spread: TestServer;
  beforeAll(async () => {
    // A hundredth of a millisecond a turn: always batches of the smallest size (50 sockets), so
    // 300 readers take several turns however cheap a write is.
    spread = await startTestServer({ env: { READER_FANOUT_TURN_MS: '0.01' } });
  });
  afterAll(() => spread.close());

  it('[RD2] [RD8] readers that subscribe while changes are still going out shard by shard get each change once, as do those already there', async () => {
    const spreadPeople = newsroomPeople(() => spread);
    const fileId = await spreadPeople.newLiveFile(await spreadPeople.newPerson('editor'), 'Spread');
    const slug = await slugOf(spread, fileId);
    const sockets: ReaderSocket[] = [];
    try {
      const crowd: LiveReader[] = [];
      for (let i = 0; i < 300; i += 50) {
        const batch = await Promise.all(Array.from({ length: 50 }, async () => {
          const s = openReaderSocket(spread.url);
          sockets.push(s);
          await connected(s);
          return new LiveReader(s, slug, 0);
        }));
        crowd.push(...batch);
      }
      for (const r of crowd) await r.until(() => r.acks.length === 1, 'its ack');
      const late: LiveReader[] = [];
      const sends = vi.spyOn(ReaderShards.prototype, 'send');
      const publishing = (async () => {
        for (let i = 0; i < 20; i++) await publishDirect(spread, fileId);
      })();
      for (let i = 0; i < 20; i++) {
        const s = openReaderSocket(spread.url);
        sockets.push(s);
        await connected(s);
        late.push(new LiveReader(s, slug, i % 2 ? 0 : (await spread.store.publishing.lastSeq(fileId))));
        await new Promise((r) => setImmediate(r));
      }
      await publishing;
      for (const r of [...crowd, ...late]) {
        await r.reached(20);
        expect(r.violations).toEqual([]);
      }
      for (const r of crowd) expect(r.received).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      // Spread indeed: each change went out in several broadcasts (batches of shards).
      expect(sends.mock.calls.length).toBeGreaterThanOrEqual(20 * 5);
      // Each change encoded once, however many batches it went out in.
      expect(new Set(sends.mock.calls.map(([, packet]) => packet)).size).toBe(20);
      sends.mockRestore();
    } finally {
      for (const s of sockets) s.disconnect();
    }
  });
});
