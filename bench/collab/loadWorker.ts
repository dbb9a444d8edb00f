// Child process: a share of the editors of the load job, each a real y-websocket WebsocketProvider
// (ws polyfill with the session cookie, disableBc). Every edit inserts a token
// "[sender.seq.t]" (t = send time in ms after t0 on the machine-wide monotonic clock) at the end
// of the editor's own paragraph and moves its awareness cursor, as typing in the editor does.
// Receivers parse tokens out of remote deltas and record the delivery latency.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { nowMs, sleep } from './lib/stats.js';
import { serveRequests } from './lib/proc.js';

process.setMaxListeners(0); // every WebsocketProvider adds an 'exit' listener

interface Editor {
  id: number;
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.XmlText | null;
  seq: number;
}

let editors: Editor[] = [];
const TOKEN = /\[(\d+)\.(\d+)\.(\d+(?:\.\d+)?)\]/g;

interface RunArgs {
  t0: number;
  rate: number;
  warmupMs: number;
  measureMs: number;
  drainMs: number;
  /** Awareness cursor moves per editor per second (0: none; the stock provider echoes every remote change). */
  cursorRate: number;
}

// Per delivery latencies in the window, and per token the latest arrival and the receiver count.
let deliveries: number[] = [];
const perToken = new Map<string, { sent: number; last: number; count: number }>();
let window = { from: 0, to: 0 };

function onRemote(receiverId: number, events: Array<Y.YEvent<Y.AbstractType<unknown>>>, txn: Y.Transaction): void {
  if (txn.local) return;
  const t = nowMs();
  for (const e of events) {
    if (!(e.target instanceof Y.XmlText)) continue;
    for (const d of (e as Y.YTextEvent).delta) {
      if (typeof d.insert !== 'string') continue;
      for (const m of d.insert.matchAll(TOKEN)) {
        const sender = Number(m[1]);
        if (sender === receiverId) continue;
        const sent = t0Abs + Number(m[3]);
        if (sent < window.from || sent >= window.to) continue;
        const lat = t - sent;
        deliveries.push(lat);
        const key = `${m[1]}.${m[2]}`;
        const rec = perToken.get(key);
        if (rec) {
          rec.count++;
          if (t > rec.last) rec.last = t;
        } else perToken.set(key, { sent, last: t, count: 1 });
      }
    }
  }
}
let t0Abs = 0;

function edit(ed: Editor, t0: number, cursor: boolean): number {
  const sentAt = nowMs();
  const token = `[${ed.id}.${ed.seq++}.${(sentAt - t0).toFixed(2)}]`;
  if (!ed.text) {
    const text = new Y.XmlText(token);
    ed.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [text]);
      const frag = ed.doc.getXmlFragment('prosemirror');
      frag.insert(frag.length, [p]);
    });
    ed.text = text;
  } else {
    ed.text.insert(ed.text.length, token);
  }
  if (cursor) ed.provider.awareness.setLocalStateField('cursor', { anchor: ed.text.length, head: ed.text.length });
  return sentAt;
}

serveRequests({
  async connect(a) {
    const { serverUrl, docName, cookies, ids } = a as unknown as { serverUrl: string; docName: string; cookies?: string[]; ids: number[] };
    const t = nowMs();
    editors = ids.map((id) => {
      const cookie = cookies?.[id % cookies.length];
      class CookieWS extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers: cookie ? { cookie } : {}, perMessageDeflate: false });
        }
      }
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(serverUrl, docName, doc, {
        WebSocketPolyfill: CookieWS as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        maxBackoffTime: 1000,
      });
      provider.awareness.setLocalStateField('user', { name: `bench-${id}` });
      const ed: Editor = { id, doc, provider, text: null, seq: 0 };
      doc.getXmlFragment('prosemirror').observeDeep((events, txn) => onRemote(id, events, txn));
      return ed;
    });
    await Promise.all(
      editors.map((ed) => new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`editor ${ed.id} did not sync in 30 s`)), 30_000);
        if (ed.provider.synced) return (clearTimeout(timer), resolve());
        ed.provider.once('sync', () => (clearTimeout(timer), resolve()));
      })),
    );
    return { connectMs: nowMs() - t };
  },

  async run(a) {
    const { t0, rate, warmupMs, measureMs, drainMs, cursorRate } = a as unknown as RunArgs;
    const cursorEvery = cursorRate > 0 ? Math.max(1, Math.round(rate / cursorRate)) : 0;
    t0Abs = t0;
    window = { from: t0 + warmupMs, to: t0 + warmupMs + measureMs };
    deliveries = [];
    perToken.clear();
    const period = 1000 / rate;
    let sentInWindow = 0;
    let sentTotal = 0;
    let lateMs = 0;
    const stopAt = window.to;
    const loops = editors.map((ed) => (async () => {
      let next = t0 + Math.random() * period; // random phase per editor
      for (;;) {
        const wait = next - nowMs();
        if (wait > 0) await sleep(wait);
        if (next >= stopAt) return;
        const sent = edit(ed, t0, cursorEvery > 0 && ed.seq % cursorEvery === 0);
        lateMs = Math.max(lateMs, sent - next);
        sentTotal++;
        if (sent >= window.from && sent < window.to) sentInWindow++;
        next += period;
      }
    })());
    await sleep(Math.max(0, window.from - nowMs()));
    const cpuA = process.cpuUsage();
    await sleep(Math.max(0, window.to - nowMs()));
    const cpu = process.cpuUsage(cpuA);
    await Promise.all(loops);
    await sleep(drainMs);
    const tokens: Array<[string, number, number, number]> = [];
    for (const [k, v] of perToken) tokens.push([k, v.sent, v.last, v.count]);
    return {
      sentInWindow, sentTotal, maxLateMs: lateMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      deliveries, tokens,
      disconnected: editors.filter((e) => !e.provider.wsconnected).length,
    };
  },

  close() {
    for (const ed of editors) ed.provider.destroy();
    editors = [];
    return true;
  },
});
process.on('SIGTERM', () => process.exit(0)); // exit normally: --cpu-prof writes on exit
