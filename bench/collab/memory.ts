// Job 3 (and the idle-doc heap figure of job 2): server heap with many docs loaded, then left.
// Heap is read in the server child after forced GC (--expose-gc); peak also without GC.
import { forkTs, type Child } from './lib/proc.js';
import { signIn, type DemoLogin } from './lib/http.js';
import { nowMs, sleep } from './lib/stats.js';

export interface MemoryOptions {
  idleDocs: number;
  files: number;
  entriesPerFile: number;
  batch: number;
}

export interface IdleDocResult {
  docs: number;
  heapBefore: number;
  heapLoaded: number;
  perDoc: number;
  heapAfter: number;
  connectMs: number;
}

export interface OpenLeaveResult {
  files: number;
  entries: number;
  connections: number;
  heapStart: number;
  heapPeakGc: number;
  heapPeakRaw: number;
  heapAfter: number;
  connectMs: number;
  closeMs: number;
  unloadMs: number;
  samples: Array<[number, number]>;
}

/** A typical short entry: three paragraphs of wire copy (~700 characters). */
export const TYPICAL_ENTRY_TEXT = [
  'Water levels on the Esentai river rose by another forty centimetres overnight, the city emergency department said on Tuesday morning.',
  'About 1,200 residents of the low-lying districts have been moved to schools and sports halls; buses run every twenty minutes from the collection points.',
  'The mayor\'s office asked drivers to avoid Al-Farabi avenue between Dostyk and Furmanov until further notice. Updates follow as we receive them from the desk.',
].join('\n\n');

type Server = { child: Child; wsUrl: string; cookie: string };

async function startServer(): Promise<Server> {
  const child = forkTs('bench/collab/ourServer.ts', { execArgv: ['--expose-gc'] });
  const info = await child.next<{ url: string; logins: DemoLogin[] }>('ready', 60_000);
  return { child, wsUrl: info.url.replace(/^http/, 'ws') + '/collab', cookie: await signIn(info.url, info.logins, 'editor') };
}

const heap = (s: Server, gc = true) => s.child.request<number>('heap', { gc });

async function waitUnloaded(s: Server, timeoutMs = 120_000): Promise<void> {
  const until = nowMs() + timeoutMs;
  for (;;) {
    const st = await s.child.request<{ loadedDocs: number; connections: number }>('idle', {}, timeoutMs);
    if (st.loadedDocs === 0 && st.connections === 0) return;
    if (nowMs() > until) throw new Error(`docs still loaded after ${timeoutMs} ms: ${JSON.stringify(st)}`);
    await sleep(100);
  }
}

async function settle(s: Server): Promise<void> {
  await s.child.request('idle');
  await sleep(700); // the entry-edited window and socket teardown
}

export async function runMemory(o: MemoryOptions, log: (s: string) => void): Promise<{ idle: IdleDocResult; openLeave: OpenLeaveResult }> {
  const s = await startServer();
  const clients = forkTs('bench/collab/clientsWorker.ts');
  try {
    // Idle loaded docs: typical small entries, one idle client each.
    const idleFiles = Math.ceil(o.idleDocs / 20);
    const seeded = await s.child.request<Array<{ liveFileId: string; entryIds: string[] }>>('seedFiles', { files: idleFiles, entriesPerFile: 20, text: TYPICAL_ENTRY_TEXT }, 300_000);
    const idleNames = seeded.flatMap((f) => f.entryIds).slice(0, o.idleDocs).map((id) => `entry:${id}`);
    await settle(s);
    const heapBefore = await heap(s);
    const open = await clients.request<{ ms: number }>('open', { serverUrl: s.wsUrl, cookie: s.cookie, docNames: idleNames, batch: o.batch }, 300_000);
    await settle(s);
    const heapLoaded = await heap(s);
    await clients.request('closeAll', {}, 300_000);
    await waitUnloaded(s);
    await settle(s);
    const heapAfterIdle = await heap(s);
    const idle: IdleDocResult = {
      docs: idleNames.length, heapBefore, heapLoaded, perDoc: (heapLoaded - heapBefore) / idleNames.length, heapAfter: heapAfterIdle, connectMs: open.ms,
    };
    log(`  idle docs: ${idle.docs} loaded, ${(idle.perDoc / 1024).toFixed(1)} KB each`);

    // Many files × entries, loaded then left.
    const t0 = nowMs();
    const files = await s.child.request<Array<{ liveFileId: string; entryIds: string[] }>>('seedFiles', { files: o.files, entriesPerFile: o.entriesPerFile, text: TYPICAL_ENTRY_TEXT }, 600_000);
    log(`  seeded ${o.files} files × ${o.entriesPerFile} entries in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
    await settle(s);
    const heapStart = await heap(s);
    const samples: Array<[number, number]> = [];
    const tStart = nowMs();
    const sample = async (gc = false) => {
      const h = await heap(s, gc);
      samples.push([(nowMs() - tStart) / 1000, h / 1024 / 1024]);
      return h;
    };
    await sample();
    let peakRaw = heapStart;
    const names = [...files.map((f) => `file:${f.liveFileId}`), ...files.flatMap((f) => f.entryIds.map((id) => `entry:${id}`))];
    const tc = nowMs();
    for (let i = 0; i < names.length; i += o.batch * 2) {
      await clients.request('open', { serverUrl: s.wsUrl, cookie: s.cookie, docNames: names.slice(i, i + o.batch * 2), batch: o.batch }, 300_000);
      peakRaw = Math.max(peakRaw, await sample());
    }
    const connectMs = nowMs() - tc;
    await settle(s);
    const stats = await s.child.request<{ loadedDocs: number; connections: number }>('stats');
    const heapPeakGc = await sample(true);
    peakRaw = Math.max(peakRaw, heapPeakGc);
    const tClose = nowMs();
    const closed = await clients.request<{ ms: number }>('closeAll', {}, 300_000);
    await waitUnloaded(s);
    const unloadMs = nowMs() - tClose;
    await settle(s);
    const heapAfter = await sample(true);
    log(`  opened ${stats.connections} connections / ${stats.loadedDocs} docs in ${(connectMs / 1000).toFixed(1)} s; all unloaded ${(unloadMs / 1000).toFixed(1)} s after closing`);
    return {
      idle,
      openLeave: {
        files: o.files, entries: o.files * o.entriesPerFile, connections: stats.connections, heapStart, heapPeakGc, heapPeakRaw: peakRaw,
        heapAfter, connectMs, closeMs: closed.ms, unloadMs, samples,
      },
    };
  } finally {
    await clients.kill();
    await s.child.request('shutdown', {}, 120_000).catch(() => {});
    await s.child.kill();
  }
}
