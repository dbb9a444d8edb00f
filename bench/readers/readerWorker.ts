// Child process for bench/readers.ts: a share of the connected readers, of three kinds at once.
//   ours  socket.io-client to our /live namespace, exactly the contract a reader page uses:
//         io(url + '/live', { transports: ['websocket'] }) (forceNew: one connection per reader, as
//         one per browser tab), emit 'subscribe' { slug, after } → ack { changes, lastSeq } or
//         { reload: true }; then 'change' pushes. On every (re)connect it subscribes again with the
//         last seq it applied. Changes apply in seq order: one at or below the last applied is a
//         duplicate (counted, skipped), one past last + 1 is a gap (counted).
//   sio   socket.io-client to the plain Socket.IO peer's /live (it joins a room on connect).
//   ws    a bare `ws` client to the floor; each text frame is parsed as the Socket.IO packet it is.
//   oursWire, sioWire  the same two servers through a minimal client as cheap as the floor's: a
//         bare `ws` client speaking the Socket.IO wire format by hand (engine.io 4 over websocket:
//         '40/live,' connects the namespace, '42/live,<id>["subscribe",…]' / '43/live,<id>[ack]',
//         '2' ping → '3' pong). oursWire subscribes and applies exactly as ours does.
// Every reader stamps its receipt of the armed change on the machine-wide monotonic clock (nowMs:
// comparable across the processes), after the message is parsed, for all three kinds alike.
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { nowMs, sleep } from '../collab/lib/stats.js';
import { serveRequests } from '../collab/lib/proc.js';

process.setMaxListeners(0);

type Kind = 'ours' | 'sio' | 'ws' | 'oursWire' | 'sioWire';
interface Change { seq: number; kind: string; entryId: string; entry: unknown }
interface Reader {
  kind: Kind;
  /** The live file it follows (ours, oursWire). */
  slug: string;
  close(): void;
  connected(): boolean;
  /** ours: the last seq applied, in order. */
  last: number;
  subscribing: boolean;
  buffer: Change[];
  gaps: number;
  dups: number;
  reloads: number;
  connects: number;
  subscribeErrors: number;
  /** When `last` last moved (storm: the reader caught up then). */
  appliedAt: number;
  /** ours: when its last subscribe was answered (storm: back on the stream then). */
  subscribedAt: number;
  /** Receipt of the armed seq (NaN: not yet). */
  recvAt: number;
  /** ours: seqs applied since the last reset, in order (the storm checks each exactly once). */
  applied: number[];
}

const readers: Record<Kind, Reader[]> = { ours: [], sio: [], ws: [], oursWire: [], sioWire: [] };
const unarmed = () => ({ key: '', got: 0, wake: null });
const armed: Record<Kind, { key: string; got: number; wake: (() => void) | null }> = {
  ours: unarmed(), sio: unarmed(), ws: unarmed(), oursWire: unarmed(), sioWire: unarmed(),
};
let baseUrl = '';
/** Storm: resolve once every ours reader applied this seq. */
let catchUp: { seq: number; left: number; wake: (() => void) | null } | null = null;

/** The armed change is the one for this entry id (ours: its 'published' change). */
function received(r: Reader, c: Change): void {
  const a = armed[r.kind];
  if (c.entryId !== a.key || !Number.isNaN(r.recvAt)) return;
  r.recvAt = nowMs();
  if (++a.got >= readers[r.kind].length) a.wake?.();
}

function apply(r: Reader, c: Change): void {
  if (c.seq <= r.last) {
    r.dups++;
    return;
  }
  if (c.seq > r.last + 1) r.gaps++;
  const before = r.last;
  r.last = c.seq;
  r.applied.push(c.seq);
  r.appliedAt = nowMs();
  if (c.kind === 'published') received(r, c);
  if (catchUp && before < catchUp.seq && r.last >= catchUp.seq && --catchUp.left <= 0) catchUp.wake?.();
}

async function reloadPage(r: Reader): Promise<void> {
  // What a reader page does on { reload: true }: reads the page again, then goes on from its lastSeq.
  r.reloads++;
  for (let i = 0; i < 5; i++) {
    try {
      const res = await fetch(`${baseUrl}/api/public/live/${encodeURIComponent(r.slug)}`, { signal: AbortSignal.timeout(10_000) });
      const page = (await res.json()) as { liveFile: { lastSeq: number } };
      const before = r.last;
      r.last = Math.max(r.last, page.liveFile.lastSeq);
      r.appliedAt = nowMs();
      if (catchUp && before < catchUp.seq && r.last >= catchUp.seq && --catchUp.left <= 0) catchUp.wake?.();
      return;
    } catch {
      await sleep(200);
    }
  }
}

function openOurs(url: string, localAddress: string | undefined, after: number, slug: string): Promise<Reader> {
  const socket: Socket = io(`${url}/live`, { transports: ['websocket'], forceNew: true, ...(localAddress ? { localAddress } : {}) } as Parameters<typeof io>[1]);
  const r: Reader = {
    kind: 'ours', slug, close: () => socket.close(), connected: () => socket.connected,
    last: after, subscribing: false, buffer: [], gaps: 0, dups: 0, reloads: 0, connects: 0, subscribeErrors: 0, appliedAt: NaN, subscribedAt: NaN, recvAt: NaN, applied: [],
  };
  socket.on('change', (c: Change) => {
    if (r.subscribing) r.buffer.push(c);
    else apply(r, c);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (socket.close(), reject(new Error('ours reader: not subscribed within 60 s'))), 60_000);
    const subscribe = (tries: number) => {
      r.subscribing = true;
      r.buffer = [];
      socket.timeout(20_000).emit('subscribe', { slug, after: r.last }, (err: Error | null, ack: { changes?: Change[]; lastSeq?: number; reload?: boolean; error?: unknown }) => {
        const done = () => {
          r.subscribedAt = nowMs();
          r.subscribing = false;
          const buffered = r.buffer.sort((x, y) => x.seq - y.seq);
          r.buffer = [];
          for (const c of buffered) apply(r, c);
          clearTimeout(timer);
          resolve(r);
        };
        if (err || !ack || ack.error) {
          r.subscribeErrors++;
          r.subscribing = false;
          // Refused or timed out: try again while connected (a reconnect subscribes anyway).
          if (socket.connected && tries < 10) setTimeout(() => socket.connected && subscribe(tries + 1), 250 * (tries + 1));
          return;
        }
        if (ack.reload) return void reloadPage(r).then(done);
        for (const c of ack.changes ?? []) apply(r, c);
        done();
        // One answer holds a page of changes: what it lacks is asked for again (as client/reader does).
        if ((ack.lastSeq ?? 0) > r.last && tries < 10) subscribe(tries + 1);
      });
    };
    socket.on('connect', () => {
      r.connects++;
      subscribe(0);
    });
  });
}

function openSio(url: string, localAddress: string | undefined): Promise<Reader> {
  const socket: Socket = io(`${url}/live`, { transports: ['websocket'], forceNew: true, reconnection: false, ...(localAddress ? { localAddress } : {}) } as Parameters<typeof io>[1]);
  const r: Reader = {
    kind: 'sio', slug: '', close: () => socket.close(), connected: () => socket.connected,
    last: 0, subscribing: false, buffer: [], gaps: 0, dups: 0, reloads: 0, connects: 0, subscribeErrors: 0, appliedAt: NaN, subscribedAt: NaN, recvAt: NaN, applied: [],
  };
  socket.on('change', (c: Change) => received(r, c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Socket.IO peer reader: not connected within 60 s')), 60_000);
    socket.once('connect', () => (clearTimeout(timer), r.connects++, resolve(r)));
    socket.once('connect_error', (e) => (clearTimeout(timer), reject(e)));
  });
}

function openWs(url: string, localAddress: string | undefined): Promise<Reader> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/', { perMessageDeflate: false, ...(localAddress ? { localAddress } : {}) });
  const r: Reader = {
    kind: 'ws', slug: '', close: () => ws.close(), connected: () => ws.readyState === WebSocket.OPEN,
    last: 0, subscribing: false, buffer: [], gaps: 0, dups: 0, reloads: 0, connects: 0, subscribeErrors: 0, appliedAt: NaN, subscribedAt: NaN, recvAt: NaN, applied: [],
  };
  ws.on('message', (data: Buffer) => {
    // The Socket.IO packet text: `42/live,["change",{…}]`, parsed as socket.io-client would.
    const text = data.toString('utf8');
    const [, c] = JSON.parse(text.slice(text.indexOf(',') + 1)) as [string, Change];
    received(r, c);
  });
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ws reader: not open within 60 s')), 60_000);
    ws.once('open', () => (clearTimeout(timer), r.connects++, resolve(r)));
    ws.once('error', (e) => (clearTimeout(timer), reject(e)));
  });
}

/** A bare ws client on engine.io 4's websocket transport, the Socket.IO packets written by hand. */
function openWire(kind: 'oursWire' | 'sioWire', url: string, localAddress: string | undefined, after: number, slug: string): Promise<Reader> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false, ...(localAddress ? { localAddress } : {}) });
  const r: Reader = {
    kind, slug, close: () => ws.close(), connected: () => ws.readyState === WebSocket.OPEN,
    last: after, subscribing: kind === 'oursWire', buffer: [], gaps: 0, dups: 0, reloads: 0, connects: 0, subscribeErrors: 0, appliedAt: NaN, subscribedAt: NaN, recvAt: NaN, applied: [],
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (ws.terminate(), reject(new Error(`${kind} reader: not ready within 60 s`))), 60_000);
    const ready = () => (clearTimeout(timer), r.connects++, resolve(r));
    ws.on('error', (e) => (clearTimeout(timer), reject(e)));
    ws.on('message', (data: Buffer) => {
      const m = data.toString('utf8');
      if (m === '2') return void ws.send('3');
      if (m.startsWith('0{')) return void ws.send(kind === 'sioWire' ? '40/live,{"room":"wire"}' : '40/live,');
      if (m.startsWith('40/live,')) {
        if (kind === 'sioWire') return ready();
        return void ws.send(`42/live,1${JSON.stringify(['subscribe', { slug, after: r.last }])}`);
      }
      if (m.startsWith('43/live,1')) {
        const [ack] = JSON.parse(m.slice('43/live,1'.length)) as [{ changes?: Change[]; reload?: boolean; error?: unknown }];
        if (ack.error || ack.reload) return void (r.subscribeErrors++, ws.terminate(), reject(new Error(`${kind}: subscribe answered ${JSON.stringify(ack)}`)));
        for (const c of ack.changes ?? []) apply(r, c);
        r.subscribing = false;
        r.subscribedAt = nowMs();
        for (const c of r.buffer.sort((x, y) => x.seq - y.seq)) apply(r, c);
        r.buffer = [];
        return ready();
      }
      if (m.startsWith('42/live,')) {
        // Parsed as socket.io-client would: the event's JSON array, then its handler.
        const [event, c] = JSON.parse(m.slice(m.indexOf(',') + 1)) as [string, Change];
        if (event !== 'change') return;
        if (kind === 'sioWire') return received(r, c);
        if (r.subscribing) r.buffer.push(c);
        else apply(r, c);
      }
    });
  });
}

serveRequests({
  /** Opens readers until `total` of this kind are open, `concurrency` at a time. */
  async connect(a) {
    const kind = a.kind as Kind, url = String(a.url), total = Number(a.total), concurrency = Number(a.concurrency ?? 100);
    const localAddress = a.localAddress ? String(a.localAddress) : undefined;
    const slug = String(a.slug ?? '');
    baseUrl = url;
    const after = Number(a.after ?? 0);
    const open = kind === 'ours' ? (u: string, l: string | undefined) => openOurs(u, l, after, slug)
      : kind === 'oursWire' || kind === 'sioWire' ? (u: string, l: string | undefined) => openWire(kind, u, l, after, slug)
      : kind === 'sio' ? openSio : openWs;
    const t0 = nowMs();
    const list = readers[kind];
    let failed = 0;
    while (list.length < total) {
      const batch = Math.min(concurrency, total - list.length);
      const got = await Promise.allSettled(Array.from({ length: batch }, () => open(url, localAddress)));
      for (const g of got) {
        if (g.status === 'fulfilled') list.push(g.value);
        else if (++failed > 20) throw new Error(`${kind}: ${failed} readers failed to connect; last: ${String(g.reason)}`);
      }
    }
    return { open: list.length, ms: nowMs() - t0, failed };
  },

  /** The next change to time (by entry id): every reader of the kind stamps its receipt of it. */
  arm(a) {
    const kind = a.kind as Kind;
    armed[kind] = { key: String(a.key), got: 0, wake: null };
    for (const r of readers[kind]) r.recvAt = NaN;
    return true;
  },

  /** Waits (bounded) until every reader of the kind received the armed seq; their receipt times. */
  async collect(a) {
    const kind = a.kind as Kind, timeoutMs = Number(a.timeoutMs ?? 30_000);
    const st = armed[kind];
    if (st.got < readers[kind].length) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeoutMs);
        st.wake = () => (clearTimeout(t), resolve());
      });
    }
    st.wake = null;
    return { times: readers[kind].map((r) => r.recvAt), missing: readers[kind].length - st.got };
  },

  /** ours: forget what was applied (the storm checks what comes after this). */
  resetApplied() {
    for (const r of readers.ours) {
      r.applied = [];
      r.gaps = 0;
      r.dups = 0;
      r.reloads = 0;
      r.subscribeErrors = 0;
      r.connects = 0;
    }
    return readers.ours.map((r) => r.last);
  },

  /** Storm: waits (bounded) until every ours reader applied `seq`; then what each one saw. */
  async caughtUp(a) {
    const seq = Number(a.seq), timeoutMs = Number(a.timeoutMs ?? 30_000);
    const left = readers.ours.filter((r) => r.last < seq).length;
    if (left > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeoutMs);
        catchUp = { seq, left, wake: () => (clearTimeout(t), resolve()) };
      });
    }
    catchUp = null;
    return readers.ours.map((r) => ({ last: r.last, appliedAt: r.appliedAt, subscribedAt: r.subscribedAt, applied: r.applied, gaps: r.gaps, dups: r.dups, reloads: r.reloads, connects: r.connects, subscribeErrors: r.subscribeErrors, connected: r.connected() }));
  },

  state(a) {
    const list = readers[a.kind as Kind];
    return { open: list.length, connected: list.filter((r) => r.connected()).length, gaps: list.reduce((n, r) => n + r.gaps, 0), dups: list.reduce((n, r) => n + r.dups, 0) };
  },

  close(a) {
    const kind = a.kind as Kind;
    for (const r of readers[kind]) r.close();
    readers[kind] = [];
    return true;
  },

  cpu: () => process.cpuUsage(),
});
process.on('SIGTERM', () => process.exit(0));
