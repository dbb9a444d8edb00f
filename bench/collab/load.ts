// Job 1: N editors on one entry, each `rate` edits/s, over loopback; ours vs the stock
// y-websocket@1.5.4 server, run alternately (never at once), each `repeats` times.
import { join } from 'node:path';
import { forkTs, procCpuMs, REPO_ROOT, startReferenceServer, type Child } from './lib/proc.js';
import { createEntry, firstLiveFileId, signIn, type DemoLogin } from './lib/http.js';
import { median, nowMs, percentile, sleep, sortNumbers } from './lib/stats.js';

export interface LoadOptions {
  editors: number;
  rate: number;
  warmupMs: number;
  measureMs: number;
  drainMs: number;
  repeats: number;
  cursorRate: number;
  /** All editors on one account (distinct accounts otherwise). */
  sameAccount: boolean;
  profile: boolean;
  referenceServerJs: string;
}

export interface LoadRun {
  server: 'ours' | 'reference';
  edits: number;
  editsPerSec: number;
  p50: number;
  p99: number;
  deliveryP50: number;
  deliveryP99: number;
  deliveryMax: number;
  incomplete: number;
  serverCpuMs: number;
  cpuPerEditMs: number;
  serverCorePct: number;
  clientCpuMs: number;
  clientCorePct: number;
  maxLateMs: number;
  disconnected: number;
}

interface WorkerReport {
  sentInWindow: number;
  sentTotal: number;
  maxLateMs: number;
  cpuMs: number;
  deliveries: number[];
  tokens: Array<[string, number, number, number]>;
  disconnected: number;
}

async function startOurs(profile: boolean, editors: number, sameAccount: boolean) {
  const execArgv = profile ? ['--cpu-prof', '--cpu-prof-dir', join(REPO_ROOT, 'bench/results/prof')] : [];
  const child = forkTs('bench/collab/ourServer.ts', { execArgv });
  const info = await child.next<{ url: string; logins: DemoLogin[] }>('ready', 60_000);
  const cookie = await signIn(info.url, info.logins, 'editor');
  const entryId = await createEntry(info.url, cookie, await firstLiveFileId(info.url, cookie));
  // Distinct people, as in a newsroom: bench accounts with the editor role.
  const cookies = [cookie];
  if (!sameAccount) {
    const logins = await child.request<DemoLogin[]>('seedAccounts', { count: editors - 1 }, 120_000);
    for (let i = 0; i < logins.length; i += 10) {
      cookies.push(...(await Promise.all(logins.slice(i, i + 10).map((l) => signIn(info.url, logins, l.username)))));
    }
  }
  return {
    pid: child.pid,
    serverUrl: info.url.replace(/^http/, 'ws') + '/collab',
    docName: `entry:${entryId}`,
    cookies,
    stop: async () => {
      await child.request('shutdown', {}, 60_000).catch(() => {});
      await child.kill();
    },
  };
}

async function startRef(serverJs: string, profile: boolean) {
  const execArgv = profile
    ? ['--require', join(REPO_ROOT, 'bench/collab/lib/exitOnSigterm.cjs'), '--cpu-prof', '--cpu-prof-dir', join(REPO_ROOT, 'bench/results/prof-reference')]
    : [];
  const ref = await startReferenceServer(serverJs, execArgv);
  return { pid: ref.pid, serverUrl: `${ref.url}/collab`, docName: `entry:bench${Date.now().toString(36)}`, cookies: undefined, stop: () => ref.kill() };
}

export async function runLoadOnce(kind: 'ours' | 'reference', o: LoadOptions): Promise<LoadRun> {
  const server = kind === 'ours' ? await startOurs(o.profile, o.editors, o.sameAccount) : await startRef(o.referenceServerJs, o.profile);
  const workerArgv = process.env.BENCH_WORKER_PROF ? ['--cpu-prof', '--cpu-prof-dir', join(REPO_ROOT, 'bench/results/prof-worker')] : [];
  const workers: Child[] = [0, 1].map(() => forkTs('bench/collab/loadWorker.ts', { execArgv: workerArgv }));
  try {
    const ids = Array.from({ length: o.editors }, (_, i) => i);
    await Promise.all(
      workers.map((w, wi) =>
        w.request('connect', { serverUrl: server.serverUrl, docName: server.docName, cookies: server.cookies, ids: ids.filter((i) => i % workers.length === wi) }, 60_000),
      ),
    );
    await sleep(500);
    const t0 = nowMs() + 300;
    const runArgs = { t0, rate: o.rate, warmupMs: o.warmupMs, measureMs: o.measureMs, drainMs: o.drainMs, cursorRate: o.cursorRate };
    const reportsP = Promise.all(workers.map((w) => w.request<WorkerReport>('run', runArgs, o.warmupMs + o.measureMs + o.drainMs + 60_000)));
    await sleep(t0 + o.warmupMs - nowMs());
    const cpuA = procCpuMs(server.pid);
    await sleep(t0 + o.warmupMs + o.measureMs - nowMs());
    const serverCpuMs = procCpuMs(server.pid) - cpuA;
    const reports = await reportsP;
    await Promise.all(workers.map((w) => w.request('close').catch(() => {})));

    // Per edit: the last arrival over every other editor (both workers).
    const byToken = new Map<string, { sent: number; last: number; count: number }>();
    for (const r of reports) {
      for (const [k, sent, last, count] of r.tokens) {
        const t = byToken.get(k);
        if (t) {
          t.count += count;
          t.last = Math.max(t.last, last);
        } else byToken.set(k, { sent, last, count });
      }
    }
    const edits = reports.reduce((n, r) => n + r.sentInWindow, 0);
    const complete: number[] = [];
    for (const t of byToken.values()) if (t.count >= o.editors - 1) complete.push(t.last - t.sent);
    const incomplete = edits - complete.length;
    const perEdit = sortNumbers(complete);
    const perDelivery = sortNumbers(reports.flatMap((r) => r.deliveries));
    const clientCpuMs = reports.reduce((n, r) => n + r.cpuMs, 0);
    return {
      server: kind,
      edits,
      editsPerSec: edits / (o.measureMs / 1000),
      p50: percentile(perEdit, 50),
      p99: percentile(perEdit, 99),
      deliveryP50: percentile(perDelivery, 50),
      deliveryP99: percentile(perDelivery, 99),
      deliveryMax: perDelivery[perDelivery.length - 1] ?? NaN,
      incomplete,
      serverCpuMs,
      cpuPerEditMs: serverCpuMs / Math.max(1, edits),
      serverCorePct: (serverCpuMs / o.measureMs) * 100,
      clientCpuMs,
      clientCorePct: (clientCpuMs / o.measureMs) * 100,
      maxLateMs: Math.max(...reports.map((r) => r.maxLateMs)),
      disconnected: reports.reduce((n, r) => n + r.disconnected, 0),
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await server.stop();
  }
}

/** Alternates ours and the reference, `repeats` times each; returns every run. */
export async function runLoad(o: LoadOptions, log: (s: string) => void): Promise<LoadRun[]> {
  const runs: LoadRun[] = [];
  for (let i = 0; i < o.repeats; i++) {
    for (const kind of i % 2 === 0 ? (['reference', 'ours'] as const) : (['ours', 'reference'] as const)) {
      const t = nowMs();
      const r = await runLoadOnce(kind, o);
      log(`  load ${kind} #${i + 1}: ${r.edits} edits, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, server ${r.cpuPerEditMs.toFixed(3)} CPU ms/edit (${((nowMs() - t) / 1000).toFixed(1)} s)`);
      runs.push(r);
    }
  }
  return runs;
}

/** Median per figure over the repeats of one server (robust on a shared, noisy machine). */
export function summarize(runs: LoadRun[], kind: 'ours' | 'reference'): LoadRun {
  const mine = runs.filter((r) => r.server === kind);
  const m = (f: (r: LoadRun) => number) => median(mine.map(f));
  return {
    server: kind,
    edits: m((r) => r.edits), editsPerSec: m((r) => r.editsPerSec),
    p50: m((r) => r.p50), p99: m((r) => r.p99),
    deliveryP50: m((r) => r.deliveryP50), deliveryP99: m((r) => r.deliveryP99), deliveryMax: m((r) => r.deliveryMax),
    incomplete: Math.max(...mine.map((r) => r.incomplete)),
    serverCpuMs: m((r) => r.serverCpuMs), cpuPerEditMs: m((r) => r.cpuPerEditMs), serverCorePct: m((r) => r.serverCorePct),
    clientCpuMs: m((r) => r.clientCpuMs), clientCorePct: m((r) => r.clientCorePct),
    maxLateMs: Math.max(...mine.map((r) => r.maxLateMs)), disconnected: Math.max(...mine.map((r) => r.disconnected)),
  };
}
