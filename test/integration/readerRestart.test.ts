// Readers across a server restart, on both store adapters: socket.io-client reconnects by itself
// to the same address, each reader subscribes again with its last seq and misses nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsroomPeople } from '../support/newsroomPeople.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { slugOf } from '../support/workflowApi.js';
import { mongoTestTarget } from '../support/mongoTestUri.js';
import { connected, disconnected, LiveReader, openReaderSocket, publishDirect } from '../support/liveReaders.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function restartSuite(name: string, start: () => Promise<TestServer>) {
  describe(name, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(() => server?.close());

    it(`[RD6] readers reconnect after a server restart and end with every change once, in order (${name})`, async () => {
      const people = newsroomPeople(() => server);
      const fileId = await people.newLiveFile(await people.newPerson('editor'), 'Restart');
      const slug = await slugOf(server, fileId);
      const sockets = [openReaderSocket(server.url, { reconnect: true }), openReaderSocket(server.url, { reconnect: true }), openReaderSocket(server.url, { reconnect: true, polling: true })];
      const readers = sockets.map((s) => new LiveReader(s, slug, 0));
      try {
        await Promise.all(sockets.map((s) => connected(s)));
        for (let i = 0; i < 3; i++) await publishDirect(server, fileId);
        for (const r of readers) await r.reached(3);

        const dropped = sockets.map((s) => disconnected(s, 10_000));
        await server.restart({ samePort: true });
        // Not told goodbye: the transport goes (polling: its request fails), so the client reconnects.
        for (const reason of await Promise.all(dropped)) expect(reason).toMatch(/^transport (close|error)$/);
        // Published while the readers are still reconnecting, then once they are back.
        await publishDirect(server, fileId);
        await publishDirect(server, fileId);
        for (const r of readers) await r.reached(5, 15_000);
        await publishDirect(server, fileId);
        await publishDirect(server, fileId);
        for (const r of readers) {
          await r.reached(7);
          expect(r.violations).toEqual([]);
          expect(r.received).toEqual(range(1, 7));
          expect(r.acks.length).toBeGreaterThanOrEqual(2);
        }
      } finally {
        for (const s of sockets) s.disconnect();
      }
    });
  });
}

restartSuite('embedded store', () => startTestServer());

const mongo = mongoTestTarget.available || mongoTestTarget.mustRun;
if (!mongo) console.warn('reader restart on MongoDB SKIPPED: set MONGODB_TEST_URI or put ferretdb on PATH');
if (mongo) restartSuite('MongoDB (FerretDB in CI)', async () => startTestServer({ mongo: { uri: await mongoTestTarget.uri(), dbName: `readers_${randomBytes(4).toString('hex')}` } }));
