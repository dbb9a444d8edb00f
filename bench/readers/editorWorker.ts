// Child process for bench/readers.ts: an editor typing into an entry while readers receive
// publishes. Two stock y-websocket WebsocketProviders on /collab (ws polyfill with the session
// cookie, disableBc), as the desk opens them: editor A types a token "[k]" at the end of her
// paragraph every `periodMs`; editor B (another account) has the same entry open.
//   round trip: A's keystroke → the server's durable broadcast of it back to A (the echo that acks
//               it; found by the token's bytes in A's incoming frames);
//   to B:       A's keystroke → B's document shows it.
// Times on the machine-wide monotonic clock (nowMs), comparable with the readers' and the parent's.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { nowMs, sleep } from '../collab/lib/stats.js';
import { serveRequests } from '../collab/lib/proc.js';

process.setMaxListeners(0);

const TOKEN = /\[(\d+)\]/g;
const sentAt = new Map<number, number>();
const echoAt = new Map<number, number>();
const seenByB = new Map<number, number>();
let providers: WebsocketProvider[] = [];
let docs: Y.Doc[] = [];
let typing = false;
let loop: Promise<{ sent: number; maxLateMs: number }> | null = null;

function provider(serverUrl: string, docName: string, cookie: string, onFrame?: (data: Buffer) => void) {
  class CookieWS extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie }, perMessageDeflate: false });
      if (onFrame) this.on('message', (data: Buffer | ArrayBuffer) => onFrame(Buffer.isBuffer(data) ? data : Buffer.from(data)));
    }
  }
  const doc = new Y.Doc();
  const p = new WebsocketProvider(serverUrl, docName, doc, { WebSocketPolyfill: CookieWS as unknown as typeof globalThis.WebSocket, disableBc: true, maxBackoffTime: 1000 });
  docs.push(doc);
  providers.push(p);
  return { doc, p };
}

const synced = (p: WebsocketProvider) => new Promise<void>((resolve, reject) => {
  const t = setTimeout(() => reject(new Error('editor did not sync in 30 s')), 30_000);
  if (p.synced) return (clearTimeout(t), resolve());
  p.once('sync', () => (clearTimeout(t), resolve()));
});

let text: Y.XmlText | null = null;
let docA: Y.Doc | null = null;

serveRequests({
  async connect(a) {
    const { serverUrl, docName, cookieA, cookieB } = a as unknown as { serverUrl: string; docName: string; cookieA: string; cookieB: string };
    const A = provider(serverUrl, docName, cookieA, (data) => {
      const now = nowMs();
      // The update's strings are UTF-8 in the frame: the token's digits read as latin1 too.
      for (const m of data.toString('latin1').matchAll(TOKEN)) {
        const k = Number(m[1]);
        if (sentAt.has(k) && !echoAt.has(k)) echoAt.set(k, now);
      }
    });
    const B = provider(serverUrl, docName, cookieB);
    B.doc.getXmlFragment('prosemirror').observeDeep((events, txn) => {
      if (txn.local) return;
      const now = nowMs();
      for (const e of events) {
        if (!(e.target instanceof Y.XmlText)) continue;
        for (const d of (e as Y.YTextEvent).delta) {
          if (typeof d.insert !== 'string') continue;
          for (const m of d.insert.matchAll(TOKEN)) {
            const k = Number(m[1]);
            if (sentAt.has(k) && !seenByB.has(k)) seenByB.set(k, now);
          }
        }
      }
    });
    await Promise.all([synced(A.p), synced(B.p)]);
    docA = A.doc;
    return true;
  },

  /** Types every periodMs until stop (bounded by maxMs). */
  start(a) {
    const periodMs = Number(a.periodMs ?? 20), maxMs = Number(a.maxMs ?? 300_000);
    typing = true;
    let k = sentAt.size;
    loop = (async () => {
      const t0 = nowMs();
      let next = t0;
      let maxLateMs = 0;
      while (typing && nowMs() - t0 < maxMs) {
        const wait = next - nowMs();
        if (wait > 0) await sleep(wait);
        const now = nowMs();
        maxLateMs = Math.max(maxLateMs, now - next);
        const token = `[${k}]`;
        sentAt.set(k, now);
        k++;
        if (!text) {
          const t = new Y.XmlText(token);
          docA!.transact(() => {
            const p = new Y.XmlElement('paragraph');
            p.insert(0, [t]);
            const frag = docA!.getXmlFragment('prosemirror');
            frag.insert(frag.length, [p]);
          });
          text = t;
        } else text.insert(text.length, token);
        next += periodMs;
        if (next < nowMs() - periodMs) next = nowMs(); // fell behind (loop stalled): no burst
      }
      return { sent: k, maxLateMs };
    })();
    return true;
  },

  async stop() {
    typing = false;
    const r = await loop;
    await sleep(1000); // the last echoes
    const samples: Array<[number, number, number]> = [];
    for (const [k, s] of sentAt) samples.push([s, echoAt.get(k) ?? NaN, seenByB.get(k) ?? NaN]);
    return { ...r, samples };
  },

  close() {
    for (const p of providers) p.destroy();
    for (const d of docs) d.destroy();
    providers = [];
    docs = [];
    return true;
  },
});
process.on('SIGTERM', () => process.exit(0));
