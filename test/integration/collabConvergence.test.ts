import { afterAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { addEntryToDesk, moveEntry, readDeskOrder, removeEntryFromDesk, setPinned } from '../../shared/collab/deskDoc.js';
import { openCollabDoc, startCollabServer, type CollabClient, type CollabTestServer } from '../support/collabClients.js';
import { entryText, entryXml } from '../support/entryText.js';
import { seededRandom, type SeededRandom } from '../support/seededRandom.js';

const ENTRY = 'entry:converge-0001';
const FILE = 'file:converge-0001';
const CLIENTS = 5;
const OPS = 5000;

interface Replica {
  entry: CollabClient;
  desk: CollabClient;
}

/** Resolves once every doc renders the same; re-checked on each update (no sleeps). */
function converged(docs: Y.Doc[], render: (d: Y.Doc) => string, seed: number, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const first = render(docs[0]);
      if (!docs.every((d) => render(d) === first)) return;
      stop();
      resolve();
    };
    const stop = () => {
      clearTimeout(timer);
      docs.forEach((d) => d.off('update', check));
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`replicas did not converge within ${timeoutMs} ms (seed ${seed})`));
    }, timeoutMs);
    docs.forEach((d) => d.on('update', check));
    check();
  });
}

/** Typing into the entry's first paragraph; marks as y-prosemirror stores them (`{ bold: {} }`). */
function editText(r: SeededRandom, doc: Y.Doc): void {
  const text = entryText(doc);
  const len = text.length;
  const roll = r.next();
  if (roll < 0.55 || len < 5) {
    const word = r.pick(['news ', 'Жаңалық ', 'خبر ', 'live ', 'x']);
    text.insert(r.int(len + 1), word, r.chance(0.2) ? { bold: {} } : undefined);
  } else if (roll < 0.8) {
    const at = r.int(len);
    text.delete(at, Math.min(len - at, 1 + r.int(6)));
  } else {
    const at = r.int(len);
    text.format(at, Math.min(len - at, 1 + r.int(8)), r.chance(0.5) ? { italic: {} } : { bold: null });
  }
}

function editDesk(r: SeededRandom, doc: Y.Doc, client: number, op: number): void {
  const order = readDeskOrder(doc).map((i) => i.entryId);
  const roll = r.next();
  if (roll < 0.2 || order.length < 3) addEntryToDesk(doc, `e-${client}-${op}`, { label: `c${client}` });
  else if (roll < 0.3) removeEntryFromDesk(doc, r.pick(order));
  else if (roll < 0.85) {
    const id = r.pick(order);
    const anchor = r.pick(order.filter((x) => x !== id));
    moveEntry(doc, id, r.chance(0.1) ? { toTop: true } : r.chance(0.5) ? { before: anchor } : { after: anchor });
  } else setPinned(doc, r.pick(order), r.chance(0.5));
}

// Each stock provider adds a process 'exit' listener; eleven of them are expected here.
process.setMaxListeners(32);

describe('collab convergence', () => {
  let server: CollabTestServer;
  const replicas: Replica[] = [];
  afterAll(async () => {
    for (const rep of replicas) {
      rep.entry.destroy();
      rep.desk.destroy();
    }
    await server?.close();
  });

  it('[CO18] five stock providers converge after thousands of random edits and reconnects', async () => {
    const r = seededRandom();
    server = await startCollabServer({ compactEvery: 40 });
    await server.service.change(FILE, (doc) => {
      for (let i = 0; i < 10; i++) addEntryToDesk(doc, `seed-${i}`);
    });
    for (let c = 0; c < CLIENTS; c++) {
      const headers = { 'x-account': `acct-${c}` };
      replicas.push({ entry: await openCollabDoc(server.url, ENTRY, { headers }), desk: await openCollabDoc(server.url, FILE, { headers }) });
    }
    for (let op = 0; op < OPS; op++) {
      const c = r.int(CLIENTS);
      const rep = replicas[c];
      if (r.chance(0.02)) {
        const p = r.pick([rep.entry.provider, rep.desk.provider]);
        if (p.shouldConnect) p.disconnect();
        else p.connect();
      } else if (r.chance(0.6)) editText(r, rep.entry.doc);
      else editDesk(r, rep.desk.doc, c, op);
      if (op % 20 === 0) await new Promise((resolve) => setImmediate(resolve)); // let frames flow
    }
    await Promise.all(replicas.flatMap((rep) => [rep.entry.ensureConnected(), rep.desk.ensureConnected()]));
    const renderText = (d: Y.Doc) => entryXml(d);
    const renderDesk = (d: Y.Doc) => JSON.stringify(readDeskOrder(d));
    await converged(replicas.map((rep) => rep.entry.doc), renderText, r.seed);
    await converged(replicas.map((rep) => rep.desk.doc), renderDesk, r.seed);
    const order = readDeskOrder(replicas[0].desk.doc).map((i) => i.entryId);
    expect(new Set(order).size, `seed ${r.seed}`).toBe(order.length);
    expect(server.logs, `seed ${r.seed}`).toEqual([]);
    // A fresh joiner (loaded from the compacted store) sees the same.
    const late = await openCollabDoc(server.url, ENTRY);
    expect(renderText(late.doc), `seed ${r.seed}`).toBe(renderText(replicas[0].entry.doc));
    late.destroy();
  });
});
