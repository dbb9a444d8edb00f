// Child process: one lean client replaying the editing trace into its own paragraph of an entry
// doc (one Yjs transaction and one update frame per trace transaction), or pushing a big
// document built from repeated local replays (as many as fit under the stored-size cap).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { Limits } from '../../shared/limits.js';
import { LeanClient } from './lib/leanClient.js';
import { REPO_ROOT, serveRequests } from './lib/proc.js';
import { nowMs, sleep } from './lib/stats.js';
import { addParagraph, BIG_ENTRY_BYTES, loadTrace, replayRange, TRACE_PATH, type Trace } from './lib/trace.js';

let client: LeanClient | null = null;
let trace: Trace | null = null;
const getTrace = () => (trace ??= loadTrace());

async function connect(a: Record<string, unknown>): Promise<number> {
  const t = nowMs();
  client = new LeanClient(String(a.serverUrl), String(a.docName), {
    headers: a.cookie ? { cookie: String(a.cookie) } : undefined,
    awareness: { user: { name: 'replay' } },
    applyRemote: a.applyRemote !== false,
  });
  await client.opened;
  await client.synced;
  return nowMs() - t;
}

/** Waits while the socket holds more than `max` unsent bytes (the server reads at its own pace). */
async function drainSocket(c: LeanClient, max = 4 * 1024 * 1024): Promise<void> {
  while (c.ws.bufferedAmount > max) await sleep(2);
}

function sendUpdate(c: LeanClient, update: Uint8Array): void {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  syncProtocol.writeUpdate(enc, update);
  c.ws.send(encoding.toUint8Array(enc));
}

/**
 * Local replays of the trace, each into a new paragraph; the update after each copy. As many copies
 * as `copies` (0: no count) while the whole state stays within BIG_ENTRY_BYTES and the server takes
 * each push (the state before it plus the update within Limits.maxDocBytes). Cached on disk.
 */
function buildBig(copies: number): Uint8Array[] {
  const tr = getTrace();
  const cacheDir = join(REPO_ROOT, 'bench/results/.cache');
  const cache = join(cacheDir, `big-${copies || 'fit'}-${BIG_ENTRY_BYTES}-${tr.txns.length}-${tr.endContent.length}.bin`);
  if (existsSync(cache)) {
    const buf = readFileSync(cache);
    const out: Uint8Array[] = [];
    for (let off = 0; off < buf.length; ) {
      const len = buf.readUInt32LE(off);
      out.push(new Uint8Array(buf.buffer, buf.byteOffset + off + 4, len));
      off += 4 + len;
    }
    if (out.length > 0 && (copies === 0 || out.length === copies)) return out;
  }
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  let stateBytes = 0;
  for (let i = 0; copies === 0 || i < copies; i++) {
    const sv = Y.encodeStateVector(doc);
    const text = addParagraph(doc, tr.startContent);
    replayRange(doc, text, tr, 0, tr.txns.length);
    if (text.toString() !== tr.endContent) throw new Error(`big doc copy ${i}: replay does not end in endContent`);
    const update = Y.encodeStateAsUpdate(doc, sv);
    const nextState = Y.encodeStateAsUpdate(doc).byteLength;
    if (nextState > BIG_ENTRY_BYTES || stateBytes + update.byteLength > Limits.maxDocBytes) {
      if (copies > 0) throw new Error(`${copies} copies do not fit under the cap (${BIG_ENTRY_BYTES} bytes): copy ${i + 1} makes ${nextState}`);
      break;
    }
    out.push(update);
    stateBytes = nextState;
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cache, Buffer.concat(out.flatMap((u) => {
    const h = Buffer.alloc(4);
    h.writeUInt32LE(u.byteLength);
    return [h, Buffer.from(u)];
  })));
  return out;
}

serveRequests({
  connect: async (a) => ({ connectMs: await connect(a) }),
  prepare: () => {
    const tr = getTrace();
    return { txns: tr.txns.length, endChars: tr.endContent.length, path: TRACE_PATH };
  },
  /** Replays the whole trace; resolves when the server has handled the last update (a step1/step2 round trip). */
  replay: async (a) => {
    const c = client!;
    const tr = getTrace();
    const startAt = Number(a.startAt ?? 0);
    if (startAt) await sleep(startAt - nowMs());
    const cpu0 = process.cpuUsage();
    const t = nowMs();
    const text = addParagraph(c.doc, tr.startContent);
    const chunk = 256;
    const n = Math.min(tr.txns.length, Number(a.limit ?? tr.txns.length)); // a prefix, for diagnosis
    // At most `window` transactions in flight: a step1/step2 round trip every `window` (0: no limit).
    const window = Number(a.window ?? 0);
    let sinceSync = 0;
    for (let i = 0; i < n; i += chunk) {
      replayRange(c.doc, text, tr, i, Math.min(n, i + chunk));
      sinceSync += chunk;
      if (window > 0 && sinceSync >= window) {
        sinceSync = 0;
        await c.roundTrip();
      }
      await drainSocket(c);
      await new Promise((r) => setImmediate(r)); // let incoming frames in
    }
    const sentMs = nowMs() - t;
    await c.roundTrip();
    const wallMs = nowMs() - t;
    const cpu = process.cpuUsage(cpu0);
    const ok = n < tr.txns.length || text.toString() === tr.endContent;
    return { wallMs, sentMs, clientCpuMs: (cpu.user + cpu.system) / 1000, ok, updates: tr.txns.length, endedAt: nowMs() };
  },
  /** Builds (or reads from cache) the big doc's updates and pushes them; resolves once the server has them all. */
  pushBig: async (a) => {
    const copies = Number(a.copies ?? 0);
    const tb = nowMs();
    const updates = buildBig(copies);
    const buildMs = nowMs() - tb;
    const c = client!;
    const t = nowMs();
    for (const u of updates) {
      sendUpdate(c, u);
      await drainSocket(c, 16 * 1024 * 1024);
    }
    await c.roundTrip();
    return { buildMs, pushMs: nowMs() - t, bytes: updates.reduce((n, u) => n + u.byteLength, 0), copies: updates.length };
  },
  close: async () => {
    await client?.close();
    client = null;
    return true;
  },
});
process.on('SIGTERM', () => process.exit(0));
