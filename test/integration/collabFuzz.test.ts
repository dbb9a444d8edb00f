// Seeded fuzz: a logged-in writer sends a few thousand mutated frames while honest stock clients
// type. No crash, no partial application, honest editors converge, a joiner gets their document.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { ENTRY_FRAGMENT } from '../../shared/collab/docRoots.js';
import { SyncType, writeSync, writeAwareness } from '../../server/collab/protocol.js';
import { randomUUID } from 'node:crypto';
import { entryDocName } from '../../shared/collab/docName.js';
import { openCollabDoc, openRawCollab, until, type CollabClient } from '../support/collabClients.js';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { insertText, textOf } from '../support/entryText.js';
import { seededRandom, type SeededRandom } from '../support/seededRandom.js';

const FRAMES = 2000;

type Kind = 'valid' | 'orphan' | 'hostile';
interface Frame {
  kind: Kind;
  bytes: Uint8Array;
  /** The throwaway client id its structs were written under, if any. */
  clientId?: number;
}

/** Frames a hostile writer would try, each built from a fresh doc (its own client id) unless forging. */
function makeFrame(random: SeededRandom, honest: Y.Doc[], base: Uint8Array): Frame {
  const author = new Y.Doc();
  Y.applyUpdate(author, base);
  const sv = Y.encodeStateVector(author);
  const text = () => insertText(author, 0, String.fromCharCode(0x410 + random.int(32)).repeat(1 + random.int(4)));
  const fresh = (): Uint8Array => Y.encodeStateAsUpdate(author, sv);
  const id = author.clientID;
  switch (random.int(10)) {
    case 0:
      return { kind: 'hostile', bytes: Uint8Array.from({ length: 1 + random.int(64) }, () => random.int(256)) };
    case 1: {
      text();
      const update = fresh();
      const flipped = update.slice();
      flipped[random.int(flipped.length)] ^= 1 << random.int(8);
      return { kind: 'hostile', bytes: writeSync(SyncType.Update, flipped), clientId: id };
    }
    case 2: {
      text();
      const update = fresh();
      return { kind: 'hostile', bytes: writeSync(SyncType.Update, update.subarray(0, random.int(update.length))), clientId: id };
    }
    case 3: {
      // Forge under an honest editor's id, continuing its clock.
      const victim = random.pick(honest);
      const forged = new Y.Doc();
      Y.applyUpdate(forged, Y.encodeStateAsUpdate(victim));
      forged.clientID = victim.clientID;
      const before = Y.encodeStateVector(forged);
      insertText(forged, 0, 'FORGED');
      return { kind: 'hostile', bytes: writeSync(SyncType.Update, Y.encodeStateAsUpdate(forged, before)) };
    }
    case 4: {
      author.getText(random.pick(['text', '__proto__', 'lineage', 'constructor'])).insert(0, 'x');
      return { kind: 'hostile', bytes: writeSync(SyncType.Update, fresh()), clientId: id };
    }
    case 5: {
      text();
      const skipped = Y.encodeStateVector(author);
      text();
      return { kind: 'orphan', bytes: writeSync(SyncType.Update, Y.encodeStateAsUpdate(author, skipped)), clientId: id };
    }
    case 6: {
      text();
      return { kind: 'hostile', bytes: writeSync(SyncType.Update, Y.encodeStateAsUpdateV2(author, sv)), clientId: id };
    }
    case 7:
      return { kind: 'hostile', bytes: writeAwareness(Uint8Array.from({ length: 1 + random.int(16) }, () => random.int(256))) };
    default:
      text();
      return { kind: 'valid', bytes: writeSync(SyncType.Update, fresh()), clientId: id };
  }
}

describe('collab fuzz: a hostile writer among honest editors', () => {
  let server: TestServer;
  const cleanup: Array<() => void> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) fn();
    await server.close();
  });

  it('[CO37] seeded mutated frames: no crash, nothing of a refused or orphan frame stored, editors converge, a joiner matches them', async () => {
    const random = seededRandom();
    // The real server, real sessions: the hostile writer is a signed-in editor like the others.
    server = await startTestServer();
    const url = `${server.wsUrl}/collab`;
    const [ana, bek, mallory] = await Promise.all(['editor', 'editor2', 'chief'].map((u) => signIn(server, u)));
    const fileId = ((await api(server, ana, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
    const created = await api(server, ana, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() });
    const DOC = entryDocName((created.json as unknown as { id: string }).id);
    const editors: CollabClient[] = [];
    for (const cookie of [ana, bek]) {
      const client = await openCollabDoc(url, DOC, { headers: { cookie } });
      cleanup.push(() => client.destroy());
      editors.push(client);
    }
    insertText(editors[0].doc, 0, 'Начало ');
    await until(editors[1].doc, 'update', () => textOf(editors[1].doc) === 'Начало ');

    let raw: WebSocket | null = null;
    const excluded = new Set<number>(); // client ids whose structs must never be stored
    const accepted = new Set<number>();
    const stats = { refused: 0, handled: 0 };
    for (let i = 0; i < FRAMES; i++) {
      if (random.chance(0.05)) {
        const typist = random.pick(editors);
        insertText(typist.doc, random.int(textOf(typist.doc).length + 1), random.pick(['a', 'ә', 'ж', ' ']));
      }
      raw ??= await openRawCollab(url, DOC, { cookie: mallory });
      const socket: WebSocket = raw;
      const frame = makeFrame(random, editors.map((e) => e.doc), Y.encodeStateAsUpdate(editors[0].doc));
      // Send it, then a step 1: a step 2 back means the frame was handled; a close means refused.
      const outcome = new Promise<'handled' | 'refused'>((resolve) => {
        const onMessage = (data: Buffer) => {
          if (data[0] !== 0 || data[1] !== SyncType.Step2) return;
          socket.off('message', onMessage);
          resolve('handled');
        };
        socket.on('message', onMessage);
        socket.once('close', () => resolve('refused'));
      });
      socket.send(frame.bytes);
      if (socket.readyState === socket.OPEN) socket.send(writeSync(SyncType.Step1, Y.encodeStateVector(editors[0].doc)));
      const result = await outcome;
      stats[result]++;
      if (result === 'refused') raw = null;
      if (frame.clientId === undefined) continue;
      if (result === 'refused' || frame.kind === 'orphan') excluded.add(frame.clientId);
      else accepted.add(frame.clientId);
    }
    raw?.terminate();

    // Honest editors converge, and a fresh joiner gets exactly their document.
    const sameAs = (a: Y.Doc, b: Y.Doc) => Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));
    const joiner = await openCollabDoc(url, DOC, { headers: { cookie: await signIn(server, 'admin') } });
    cleanup.push(() => joiner.destroy());
    const all = [editors[0].doc, editors[1].doc, joiner.doc];
    const converged = () => sameAs(all[0], all[1]) && sameAs(all[1], all[2]);
    await Promise.race(all.map((doc) => until(doc, 'update', converged, 15_000)));
    expect(converged(), `seed ${random.seed}`).toBe(true);
    const msg = `seed ${random.seed}, ${JSON.stringify(stats)}`;
    expect(textOf(joiner.doc), msg).toBe(textOf(editors[0].doc));
    expect(joiner.doc.getXmlFragment(ENTRY_FRAGMENT).toJSON(), msg).toBe(editors[1].doc.getXmlFragment(ENTRY_FRAGMENT).toJSON());
    expect([...joiner.doc.share.keys()], msg).toEqual([ENTRY_FRAGMENT]);
    expect(joiner.doc.store.pendingStructs, msg).toBeNull();
    expect(textOf(joiner.doc), msg).not.toContain('FORGED');
    // No partial application: no struct of a refused (or never integrable) frame is in the document.
    const stored = [...joiner.doc.store.clients.keys()];
    expect(stored.filter((id) => excluded.has(id) && !accepted.has(id)), msg).toEqual([]);
    expect(stats.refused, msg).toBeGreaterThan(FRAMES / 4);
    expect(accepted.size, msg).toBeGreaterThan(0);
  }, 120_000);
});
