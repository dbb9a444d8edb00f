// Job 2: the seph-blog1 trace through our server: one client, then 4 at once (each into its own
// paragraph of one entry); document size; fresh-client sync (doc loaded / cold from the store);
// then the biggest entry the stored-size cap allows (repeated replays of the trace, history and
// all), pushed through the server and synced by fresh clients, against the stock client's own apply
// and the reference server.
import { join } from 'node:path';
import { forkTs, procCpuMs, REPO_ROOT, startReferenceServer, type Child } from './lib/proc.js';
import { createEntry, firstLiveFileId, signIn, type DemoLogin } from './lib/http.js';
import { median, nowMs, sleep } from './lib/stats.js';
import { loadTrace } from './lib/trace.js';

export interface ReplayOptions {
  /** Trace copies in the big entry; 0: as many as fit under BIG_ENTRY_BYTES. */
  bigCopies: number;
  syncRepeats: number;
  profile: boolean;
  /** Transactions a replaying client may have in flight before it waits for the server (0: no limit). */
  window: number;
  /** Client counts to run the replay with (1 and 4; --quick runs 1 only). */
  clientCounts: number[];
  /** y-websocket@1.5.4's server: the big entry's fresh-client sync is also timed against it. */
  referenceServerJs: string | null;
}

export interface ReplayRow {
  case: string;
  clients: number;
  wallMs: number;
  serverCpuMs: number;
  clientCpuMs: number;
  docBytes: number;
  chars: number;
  syncLoadedMs: number;
  syncColdMs: number;
  ok: boolean;
}

export interface BigResult {
  copies: number;
  chars: number;
  updateBytes: number;
  buildMs: number;
  pushMs: number;
  pushServerCpuMs: number;
  /** The entry's whole state, history and all, as a fresh client receives it. */
  docBytes: number;
  /** While the pushing editor is still in it: a fresh client's sync, and the stock client's apply alone. */
  busy: { syncMs: number; clientApplyMs: number };
  /** After the editor left (compacted to one snapshot): a fresh client, doc loaded (a holder stays) and cold. */
  syncLoadedMs: number;
  syncColdMs: number;
  /** The same entry synced by a fresh client from the reference server (a holder connected). */
  referenceSyncMs: number | null;
  ok: boolean;
}

type Server = { child: Child; url: string; wsUrl: string; cookie: string; liveFileId: string };

async function startServer(profile: boolean): Promise<Server> {
  const execArgv = ['--expose-gc', ...(profile ? ['--cpu-prof', '--cpu-prof-dir', join(REPO_ROOT, 'bench/results/prof')] : [])];
  const child = forkTs('bench/collab/ourServer.ts', { execArgv });
  const info = await child.next<{ url: string; logins: DemoLogin[] }>('ready', 60_000);
  const cookie = await signIn(info.url, info.logins, 'editor');
  return { child, url: info.url, wsUrl: info.url.replace(/^http/, 'ws') + '/collab', cookie, liveFileId: await firstLiveFileId(info.url, cookie) };
}

/** Waits until the server has unloaded every doc (the last client left → drain, compact, unload). */
async function waitUnloaded(s: Server, timeoutMs = 60_000): Promise<void> {
  const until = nowMs() + timeoutMs;
  for (;;) {
    const st = await s.child.request<{ loadedDocs: number; connections: number }>('idle');
    if (st.loadedDocs === 0) return;
    if (nowMs() > until) throw new Error(`docs still loaded after ${timeoutMs} ms: ${JSON.stringify(st)}`);
    await sleep(50);
  }
}

/** One fresh stock client in its own new process (a new tab), timed from connect to synced. */
async function probeFresh(s: Pick<Server, 'wsUrl' | 'cookie'>, docName: string, withTexts: boolean, saveStateTo?: string): Promise<{ ms: number; docBytes: number; texts: string[] }> {
  const probe = forkTs('bench/collab/syncProbeWorker.ts');
  try {
    return await probe.request('probe', { serverUrl: s.wsUrl, docName, cookie: s.cookie, withTexts, saveStateTo });
  } finally {
    await probe.kill();
  }
}

/** Median connect → synced for a fresh stock client, with the doc already loaded (a holder stays connected) and cold. */
async function measureSync(s: Server, docName: string, repeats: number): Promise<{ loaded: number; cold: number; texts: string[]; docBytes: number }> {
  const holder = forkTs('bench/collab/replayWorker.ts');
  try {
    await holder.request('connect', { serverUrl: s.wsUrl, docName, cookie: s.cookie, applyRemote: true });
    const loaded: number[] = [];
    let last = { ms: 0, docBytes: 0, texts: [] as string[] };
    for (let i = 0; i < repeats; i++) {
      last = await probeFresh(s, docName, i === repeats - 1);
      loaded.push(last.ms);
    }
    await holder.request('close');
    const cold: number[] = [];
    for (let i = 0; i < repeats; i++) {
      await waitUnloaded(s);
      cold.push((await probeFresh(s, docName, false)).ms);
    }
    await waitUnloaded(s);
    return { loaded: median(loaded), cold: median(cold), texts: last.texts, docBytes: last.docBytes };
  } finally {
    await holder.kill();
  }
}

async function replayWith(s: Server, clients: number, syncRepeats: number, endContent: string, window: number): Promise<ReplayRow> {
  const docName = `entry:${await createEntry(s.url, s.cookie, s.liveFileId)}`;
  await waitUnloaded(s);
  const workers = Array.from({ length: clients }, () => forkTs('bench/collab/replayWorker.ts'));
  try {
    await Promise.all(workers.map((w) => w.request('prepare')));
    await Promise.all(workers.map((w) => w.request('connect', { serverUrl: s.wsUrl, docName, cookie: s.cookie })));
    const startAt = nowMs() + 200;
    await sleep(150);
    const cpu0 = procCpuMs(s.child.pid);
    const rs = await Promise.all(workers.map((w) => w.request<{ wallMs: number; clientCpuMs: number; ok: boolean; endedAt: number }>('replay', { startAt, window }, 240_000)));
    const wallMs = Math.max(...rs.map((r) => r.endedAt)) - startAt;
    const serverCpuMs = procCpuMs(s.child.pid) - cpu0;
    await Promise.all(workers.map((w) => w.request('close')));
    await waitUnloaded(s);
    const sync = await measureSync(s, docName, syncRepeats);
    const texts = sync.texts;
    const mine = texts.filter((t) => t === endContent).length;
    return {
      case: clients === 1 ? 'trace, 1 client' : `trace, ${clients} clients at once`,
      clients, wallMs, serverCpuMs,
      clientCpuMs: rs.reduce((n, r) => n + r.clientCpuMs, 0),
      docBytes: sync.docBytes,
      chars: texts.reduce((n, t) => n + t.length, 0),
      syncLoadedMs: sync.loaded, syncColdMs: sync.cold,
      ok: rs.every((r) => r.ok) && mine === clients,
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
  }
}

/** Median time for the stock client's apply alone, each run in a fresh process. */
async function measureClientApply(statePath: string, repeats: number): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const w = forkTs('bench/collab/applyFloorWorker.ts');
    try {
      runs.push((await w.request<{ ms: number }>('apply', { path: statePath }, 60_000)).ms);
    } finally {
      await w.kill();
    }
  }
  return median(runs);
}

/** The same big entry pushed into the reference server, a holder connected, fresh clients timed. */
async function measureReferenceSync(serverJs: string, copies: number, repeats: number): Promise<number> {
  const ref = await startReferenceServer(serverJs);
  const target = { wsUrl: `${ref.url}/collab`, cookie: '' };
  const docName = 'entry:big-reference';
  const holder = forkTs('bench/collab/replayWorker.ts');
  const pusher = forkTs('bench/collab/replayWorker.ts');
  try {
    await holder.request('connect', { serverUrl: target.wsUrl, docName, applyRemote: false });
    await pusher.request('connect', { serverUrl: target.wsUrl, docName, applyRemote: false });
    await pusher.request('pushBig', { copies }, 180_000);
    await pusher.request('close');
    const runs: number[] = [];
    for (let i = 0; i < repeats; i++) runs.push((await probeFresh(target, docName, false)).ms);
    return median(runs);
  } finally {
    await Promise.all([holder.kill(), pusher.kill()]);
    await ref.kill();
  }
}

async function bigDoc(s: Server, copies: number, syncRepeats: number, endContent: string, referenceServerJs: string | null): Promise<BigResult> {
  const docName = `entry:${await createEntry(s.url, s.cookie, s.liveFileId)}`;
  await waitUnloaded(s);
  const w = forkTs('bench/collab/replayWorker.ts');
  try {
    await w.request('connect', { serverUrl: s.wsUrl, docName, cookie: s.cookie, applyRemote: false });
    const cpu0 = procCpuMs(s.child.pid);
    const push = await w.request<{ buildMs: number; pushMs: number; bytes: number; copies: number }>('pushBig', { copies }, 180_000);
    const pushServerCpuMs = procCpuMs(s.child.pid) - cpu0;
    // The pusher stays: the entry is open in an editor, and this is what a joiner waits.
    const statePath = join(REPO_ROOT, 'bench/results/.cache/big-state.bin');
    const busyRuns: number[] = [];
    let busyBytes = 0;
    for (let i = 0; i < syncRepeats; i++) {
      const r = await probeFresh(s, docName, false, i === syncRepeats - 1 ? statePath : undefined);
      busyRuns.push(r.ms);
      busyBytes = r.docBytes;
    }
    const clientApplyMs = await measureClientApply(statePath, syncRepeats);
    await w.request('close');
    await waitUnloaded(s); // the last editor left: drained, compacted to one snapshot, unloaded
    const sync = await measureSync(s, docName, syncRepeats);
    const texts = sync.texts;
    const referenceSyncMs = referenceServerJs ? await measureReferenceSync(referenceServerJs, push.copies, syncRepeats) : null;
    return {
      busy: { syncMs: median(busyRuns), clientApplyMs },
      referenceSyncMs,
      copies: push.copies, chars: texts.reduce((n, t) => n + t.length, 0), updateBytes: push.bytes, buildMs: push.buildMs,
      pushMs: push.pushMs, pushServerCpuMs, docBytes: busyBytes,
      syncLoadedMs: sync.loaded, syncColdMs: sync.cold,
      ok: push.copies > 0 && texts.length === push.copies && texts.every((t) => t === endContent) && sync.docBytes === busyBytes,
    };
  } finally {
    await w.kill();
  }
}

export async function runReplay(o: ReplayOptions, log: (s: string) => void): Promise<{ rows: ReplayRow[]; big: BigResult; txns: number; endChars: number }> {
  const trace = loadTrace(); // fails with the expected path when the trace is missing
  const s = await startServer(o.profile);
  try {
    const rows: ReplayRow[] = [];
    for (const clients of o.clientCounts) {
      const t = nowMs();
      rows.push(await replayWith(s, clients, o.syncRepeats, trace.endContent, o.window));
      log(`  trace replay, ${clients} client(s): ${(rows.at(-1)!.wallMs / 1000).toFixed(1)} s (${((nowMs() - t) / 1000).toFixed(1)} s with sync checks)`);
    }
    const t = nowMs();
    const big = await bigDoc(s, o.bigCopies, o.syncRepeats, trace.endContent, o.referenceServerJs);
    log(`  big entry (${big.copies} copies, ${big.chars} chars): done in ${((nowMs() - t) / 1000).toFixed(1)} s`);
    return { rows, big, txns: trace.txns.length, endChars: trace.endContent.length };
  } finally {
    await s.child.request('shutdown', {}, 60_000).catch(() => {});
    await s.child.kill();
  }
}
