// npm run bench:readers [-- --help]
// Reader delivery (issue 12's Numbers): publish → last reader on loopback with 1,000 and 10,000
// connected readers, spread over several client processes. In the same run, on the same readers'
// processes and the same machine: the floor, a bare `ws` server writing the same bytes to the same
// number of sockets, and the peer, plain Socket.IO `io.to(room).emit`. Each server runs alone in
// its own child process; publishes (ours) and triggers (floor, peer: one small HTTP POST each, as a
// publish is one) alternate round by round, so drift on this shared machine hits all three alike.
// Readers of ours and of the peer are measured twice, with two clients: socket.io-client (what a
// reader page runs) and a minimal one speaking the Socket.IO wire format over a bare `ws` client,
// as cheap as the floor's own (kinds oursWire, sioWire: the same servers, their own live file /
// room). Every kind's readers run in the same client processes on the same 2 cores as the
// servers, so a client library's own cost per message lands in its kind's delivery time too; the
// wire kinds compare the servers with the clients held equal.
// A ratio to the floor is the median over rounds of each round's last reader ÷ the floor's in the
// same pass and round (run back to back), so drift between passes and rounds cancels out.
// Then: an editor's collab round trip while 10,000 readers receive publishes; memory per connected
// reader (server RSS before and after connecting them, after GC); a reconnect storm of every reader
// (their TCP sockets destroyed at once, publishes while they are away, each reader re-subscribes
// with its last seq and must apply every change once, in order); the server-rendered reader page
// under autocannon (100 connections), plain and conditional (If-None-Match → 304).
// 127.0.0.1 only; every wait is bounded; children are killed on exit and on error.
// Results: bench/results/readers.json, bench/results/readers.svg (the delivery-time distribution).
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { entryDocName } from '../shared/collab/docName.js';
import { forkTs, procCpuMs, REPO_ROOT, type Child } from './collab/lib/proc.js';
import { signIn, type DemoLogin } from './collab/lib/http.js';
import { fmt, median, nowMs, percentile, sleep, sortNumbers } from './collab/lib/stats.js';
import { printTable, verdict } from './collab/lib/table.js';
import { writeCdfChart } from './readers/chart.js';

const RESULTS = join(REPO_ROOT, 'bench/results');
const HELP = `npm run bench:readers [-- options]
  --sizes=LIST          connected readers per measurement (default 1000,10000)
  --workers=N           reader client processes (default 4; readers split evenly)
  --publishes=N         measured publishes per server and size (default 10)
  --warmup=N            untimed rounds per size first (default 2)
  --only=LIST           delivery,editor,storm,page (default all)
  --kinds=LIST          readers in the delivery job: ws,sio,ours,sioWire,oursWire (default all; the ratios need ws)
  --editor-publishes=N  publishes while the editor types (default 10)
  --storm-publishes=N   publishes while the readers are away (default 3)
  --page-seconds=S      autocannon duration per run (default 10)
  --page-connections=N  autocannon connections (default 100)
  --profile             CPU-profile each server over each size's measured rounds (readers-<kind>-<size>.cpuprofile) and ours
                        over the storm (readers-ours-storm-<n>.cpuprofile), in bench/results/prof/
                        (for finding where the time goes; it slows our server, so not for the figures)`;
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string, dflt: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
if (flag('help')) {
  console.log(HELP);
  process.exit(0);
}
for (const a of argv) if (!/^--(sizes|workers|publishes|warmup|only|kinds|editor-publishes|storm-publishes|page-seconds|page-connections)=|^--profile$/.test(a)) throw new Error(`unknown option ${a}\n${HELP}`);
const O = {
  sizes: opt('sizes', '1000,10000').split(',').map(Number).filter((n) => n > 0),
  workers: Math.max(1, Number(opt('workers', '4'))),
  publishes: Math.max(1, Number(opt('publishes', '10'))),
  warmup: Math.max(0, Number(opt('warmup', '2'))),
  only: new Set(opt('only', 'delivery,editor,storm,page').split(',')),
  kinds: opt('kinds', 'ws,sio,ours,sioWire,oursWire').split(',').filter(Boolean),
  editorPublishes: Math.max(1, Number(opt('editor-publishes', '10'))),
  stormPublishes: Math.max(1, Number(opt('storm-publishes', '3'))),
  pageSeconds: Math.max(1, Number(opt('page-seconds', '10'))),
  pageConnections: Math.max(1, Number(opt('page-connections', '100'))),
  profile: flag('profile'),
};
const COMMAND = `npm run bench:readers${argv.length ? ' -- ' + argv.join(' ') : ''}`;
const MAX = Math.max(...O.sizes);
const TARGET = { ratio: 1.15, editorP99Ms: 50, perReaderBytes: 12_000, stormMs: 10_000 };
const KINDS = ['ws', 'sio', 'ours', 'sioWire', 'oursWire'] as const;
type Kind = (typeof KINDS)[number];
const NAMES: Record<Kind, string> = {
  ours: 'ours (/live, publish path; socket.io-client)', ws: 'bare ws (floor)', sio: 'plain Socket.IO (peer; socket.io-client)',
  oursWire: 'ours (/live, publish path; wire client)', sioWire: 'plain Socket.IO (peer; wire client)',
};
/** The server a kind's readers are served by (the wire kinds: the same servers). */
const SERVER_OF: Record<Kind, 'ours' | 'ws' | 'sio'> = { ours: 'ours', ws: 'ws', sio: 'sio', oursWire: 'ours', sioWire: 'sio' };
/** Each kind's readers connect from their own loopback address: 10,000 sockets each stay clear of one address's ephemeral ports. */
const LOCAL: Record<Kind, string | undefined> = { ours: undefined, ws: '127.0.0.2', sio: '127.0.0.3', oursWire: '127.0.0.4', sioWire: '127.0.0.5' };
/** Every server process runs under glibc's allocator as `npm start` runs ours: two malloc arenas. */
const SERVER_ENV = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
const COLLECT_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 15_000;

// ---------------------------------------------------------------------------------------------
// Open files: every worker holds its share of up to 3 × MAX sockets, each server MAX of them.

function nofileLimit(): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}
const needFiles = Math.max(Math.ceil((3 * MAX) / O.workers), MAX) + 2048;
if (nofileLimit() < needFiles) {
  if (process.env.BENCH_READERS_NOFILE) throw new Error(`open-file limit ${nofileLimit()} < ${needFiles} needed; raise ulimit -n (or use fewer readers)`);
  // Re-run under a raised limit (the children inherit it); root or a high enough hard limit needed.
  const r = spawnSync('/bin/sh', ['-c', `ulimit -n ${needFiles} 2>/dev/null || { echo "bench:readers: needs ${needFiles} open files per process (ulimit -n is ${nofileLimit()}); raise it or pass fewer readers (--sizes)" >&2; exit 2; }; exec "$0" "$@"`, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, BENCH_READERS_NOFILE: '1' },
  });
  process.exit(r.status ?? 1);
}

// ---------------------------------------------------------------------------------------------
// Children: killed whatever happens.

const children = new Set<Child>();
function track(c: Child): Child {
  children.add(c);
  c.proc.once('exit', () => children.delete(c));
  return c;
}
async function stopChild(c: Child | null | undefined, graceful = true): Promise<void> {
  if (!c) return;
  if (graceful) await c.request('shutdown', {}, 20_000).catch(() => undefined);
  await c.kill();
}
process.on('exit', () => {
  for (const c of children) c.proc.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

// ---------------------------------------------------------------------------------------------
// HTTP

async function call(url: string, method: string, path: string, cookie: string | null, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, json, headers: res.headers };
}

const TEXT = (i: number) =>
  `Update ${i}: emergency services say the river rose another 40 cm overnight near the Sayran reservoir; ` +
  `two districts are being evacuated and schools are closed until Monday.\n\n` +
  `The city akimat opened 14 shelters. “We ask residents to follow official channels only,” the press service said. Entry ${i}.`;

interface Prepared { id: string; version: number; revision: number }

/** TCP counters of this network namespace (/proc/net/netstat): a storm's overflowed accept queue shows here. */
function tcpExt(): Record<string, number> {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'));
  if (lines.length < 2) return {};
  const names = lines[0]!.split(/\s+/).slice(1), values = lines[1]!.split(/\s+/).slice(1).map(Number);
  return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
}

// ---------------------------------------------------------------------------------------------

interface Round { kind: Kind; size: number; pass: number; round: number; key: string; requestMs: number; serverToChangeMs: number; lastMs: number; p50Ms: number; firstMs: number; missing: number; serverCpuMs: number; clientCpuMs: number; lat: number[] }

async function main(): Promise<void> {
  console.log(`$ ${COMMAND}`);
  console.log(`Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; open-file limit ${nofileLimit()}; 127.0.0.1 only`);
  mkdirSync(RESULTS, { recursive: true });
  const started = nowMs();
  // What was measured: the commit, and whether the server's files differed from it (a shared work tree).
  const git = (args: string[]) => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--', 'server', 'shared']).split('\n').filter(Boolean).length;
  console.log(`Server code: commit ${commit}${dirty ? `, plus ${dirty} uncommitted file(s) under server/ and shared/ (measured as they are in the work tree)` : ', clean'}`);
  const raw: Record<string, unknown> = { commit, uncommittedServerFiles: dirty, command: COMMAND, options: { ...O, only: [...O.only] }, node: process.version, cpus: cpus().length, loadavgStart: loadavg(), at: new Date().toISOString() };
  const notes: string[] = [];
  let failures = 0;
  const mark = (ok: boolean) => {
    if (!ok) failures++;
    return verdict(ok);
  };

  // Our server, its people and the entries to publish (not timed).
  const ours = track(forkTs('bench/readers/ourServer.ts', { execArgv: ['--expose-gc'], env: SERVER_ENV }));
  const info = await ours.next<{ url: string; logins: DemoLogin[]; pid: number }>('ready', 90_000);
  const url = info.url;
  const editor = await signIn(url, info.logins, 'editor');
  const editor2 = await signIn(url, info.logins, 'editor2');
  const chief = await signIn(url, info.logins, 'chief');
  const files = (await call(url, 'GET', '/api/live-files', editor)).json.liveFiles as Array<{ id: string; slug: string }>;
  const file = files.find((f) => f.slug === 'almaty-floods') ?? files[0]!;
  const slug = file.slug;
  const deliveryRounds = O.only.has('delivery') ? O.sizes.length * (O.warmup + O.publishes) : 0;
  const needEntries = 1 + (O.only.has('delivery') && O.kinds.includes('ours') ? deliveryRounds : 0) + (O.only.has('editor') ? O.editorPublishes : 0) + (O.only.has('storm') ? O.stormPublishes : 0);
  const t0Setup = nowMs();
  const prepare = async (fileId: string, n: number): Promise<Prepared[]> => {
    const list: Prepared[] = [];
    for (let i = 0; i < n; i++) list.push(await prepareEntry(fileId, i));
    return list;
  };
  const prepareEntry = async (fileId: string, i: number): Promise<Prepared> => {
    const created = await call(url, 'POST', `/api/live-files/${fileId}/entries`, editor, { idempotencyKey: randomUUID(), text: TEXT(i), headline: `Floods: update ${i}` });
    if (created.status !== 201) throw new Error(`entry: ${created.status} ${JSON.stringify(created.json)}`);
    const e = created.json as { id: string; version: number };
    const submitted = await call(url, 'POST', `/api/entries/${e.id}/submit`, editor, { version: e.version });
    if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.json)}`);
    const s = submitted.json as { version: number; revision: number };
    return { id: e.id, version: s.version, revision: s.revision };
  };
  const ready = await prepare(file.id, needEntries);
  // The wire-client readers of ours follow a live file of their own, so a publish reaches one kind.
  let wireFile: { id: string; slug: string } | null = null;
  let readyWire: Prepared[] = [];
  if (O.only.has('delivery') && O.kinds.includes('oursWire')) {
    const created = await call(url, 'POST', '/api/live-files', editor, { title: 'Floods: the wire readers\' file' });
    if (created.status !== 201) throw new Error(`live file: ${created.status} ${JSON.stringify(created.json)}`);
    const id = created.json.id as string;
    wireFile = { id, slug: ((await call(url, 'GET', '/api/live-files', editor)).json.liveFiles as Array<{ id: string; slug: string }>).find((f) => f.id === id)!.slug };
    readyWire = await prepare(id, deliveryRounds);
  }
  const publish = async (e: Prepared) => {
    const res = await call(url, 'POST', `/api/entries/${e.id}/publish`, chief, { version: e.version, revision: e.revision }, { 'idempotency-key': randomUUID() });
    if (res.status !== 200 || res.json.status !== 'published') throw new Error(`publish ${e.id}: ${res.status} ${JSON.stringify(res.json)}`);
  };
  const lastSeq = async (of = slug) => (await call(url, 'GET', `/api/public/live/${encodeURIComponent(of)}/changes?after=0`, null)).json.lastSeq as number;
  // The bytes the floor and the peer send: a real published change of this file, as readers get it.
  const probe = ready.shift()!;
  await publish(probe);
  const after = await lastSeq();
  const changes = (await call(url, 'GET', `/api/public/live/${encodeURIComponent(slug)}/changes?after=${after - 1}`, null)).json.changes as Array<Record<string, unknown>>;
  const template = changes.find((c) => c.entryId === probe.id)!;
  const payloadBytes = Buffer.byteLength('42/live,' + JSON.stringify(['change', template]));
  console.log(`Setup: our server (pid ${info.pid}) seeded, live file '${slug}', ${needEntries} entries written and submitted in ${fmt((nowMs() - t0Setup) / 1000, 1)} s (not timed); one change on the wire: ${payloadBytes} bytes`);
  raw.payloadBytes = payloadBytes;

  // The floor and the peer, and the readers' processes.
  const peers: Partial<Record<Kind, { child: Child; url: string; pid: number }>> = {};
  const kinds: Kind[] = O.only.has('delivery') ? KINDS.filter((k) => O.kinds.includes(k)) : ['ours'];
  for (const k of kinds) {
    if (SERVER_OF[k] !== k) continue;
    if (k === 'ours') continue;
    const child = track(forkTs('bench/readers/peerServer.ts', { execArgv: ['--expose-gc'], args: [`--kind=${k}`], env: SERVER_ENV }));
    const r = await child.next<{ url: string; pid: number }>('ready', 60_000);
    await child.request('setTemplate', { change: template });
    peers[k] = { child, ...r };
  }
  if (kinds.includes('sioWire') && !peers.sio) throw new Error('--kinds: sioWire needs sio (the same peer server)');
  const serverPid = (k: Kind) => (SERVER_OF[k] === 'ours' ? info.pid : peers[SERVER_OF[k]]!.pid);
  const serverChild = (k: Kind) => (SERVER_OF[k] === 'ours' ? ours : peers[SERVER_OF[k]]!.child);
  const urlOf = (k: Kind) => (SERVER_OF[k] === 'ours' ? url : peers[SERVER_OF[k]]!.url);
  const servers = kinds.filter((k) => SERVER_OF[k] === k);
  // BENCH_WORKER_PROF=1: the readers' processes write --cpu-prof profiles too (bench/results/prof-readers/).
  const workerArgv = process.env.BENCH_WORKER_PROF ? ['--cpu-prof', '--cpu-prof-dir', join(RESULTS, 'prof-readers')] : [];
  const workers = Array.from({ length: O.workers }, () => track(forkTs('bench/readers/readerWorker.ts', { execArgv: workerArgv })));
  await Promise.all(workers.map((w) => w.request('cpu', {}, 60_000)));
  const share = (total: number, i: number) => Math.floor(total / O.workers) + (i < total % O.workers ? 1 : 0);
  const workersCpu = () => workers.reduce((n, w) => n + procCpuMs(w.pid), 0);

  const memory = async (k: Kind) => {
    const m = await serverChild(k).request<NodeJS.MemoryUsage>('memory', {}, 60_000);
    return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
  };
  const mem: Record<string, { base: { rss: number; heapUsed: number }; at: Record<number, { rss: number; heapUsed: number; perReaderRss: number; perReaderHeap: number; connectMs: number }> }> = {};
  // Memory per reader is measured on the socket.io-client kinds (the wire kinds share their servers).
  for (const k of servers) mem[k] = { base: await memory(k), at: {} };
  const connected: Record<Kind, number> = { ours: 0, ws: 0, sio: 0, oursWire: 0, sioWire: 0 };

  const connect = async (k: Kind, total: number) => {
    const t = nowMs();
    const readerSlug = k === 'oursWire' ? wireFile!.slug : slug;
    const seq = SERVER_OF[k] === 'ours' ? await lastSeq(readerSlug) : 0;
    const got = await Promise.all(workers.map((w, i) => w.request<{ open: number; failed: number }>('connect', {
      kind: k, url: urlOf(k), total: share(total, i), slug: readerSlug, after: seq, concurrency: 100, localAddress: LOCAL[k],
    }, 300_000)));
    connected[k] = got.reduce((n, g) => n + g.open, 0);
    const ms = nowMs() - t;
    if (!mem[k]) {
      console.log(`  ${NAMES[k]}: ${connected[k]} readers connected (${got.reduce((n, g) => n + g.failed, 0)} retried) in ${fmt(ms / 1000, 1)} s`);
      return;
    }
    await sleep(1000);
    const m = await memory(k);
    const base = mem[k]!.base;
    mem[k]!.at[total] = { rss: m.rss, heapUsed: m.heapUsed, perReaderRss: (m.rss - base.rss) / total, perReaderHeap: (m.heapUsed - base.heapUsed) / total, connectMs: ms };
    console.log(`  ${NAMES[k]}: ${connected[k]} readers connected (${got.reduce((n, g) => n + g.failed, 0)} retried) in ${fmt(ms / 1000, 1)} s; server RSS ${fmt(m.rss / 1048576, 1)} MiB, ${fmt((m.rss - base.rss) / total / 1000, 2)} KB per reader`);
  };

  let nextEntry = 0;
  /** One timed broadcast: arm every worker, start the clock, publish (or trigger), collect. */
  const measureOnce = async (k: Kind, size: number, pass: number, round: number): Promise<Round> => {
    const e = k === 'ours' ? ready[nextEntry++] : k === 'oursWire' ? readyWire.shift() : null;
    if (SERVER_OF[k] === 'ours' && !e) throw new Error('ran out of prepared entries');
    const key = e ? e.id : `peer-${k}-${randomUUID()}`;
    await Promise.all(workers.map((w) => w.request('arm', { kind: k, key })));
    const cpu0 = procCpuMs(serverPid(k)), wcpu0 = workersCpu();
    const t0 = nowMs();
    if (e) await publish(e);
    else {
      const r = await call(urlOf(k), 'POST', '/trigger', null, { seq: 1_000_000 + round, entryId: key, room: k === 'sioWire' ? 'wire' : 'readers' });
      if (r.status !== 200) throw new Error(`trigger ${k}: ${r.status}`);
    }
    const requestMs = nowMs() - t0;
    const got = await Promise.all(workers.map((w) => w.request<{ times: number[]; missing: number }>('collect', { kind: k, timeoutMs: COLLECT_TIMEOUT_MS }, COLLECT_TIMEOUT_MS + 10_000)));
    const serverCpuMs = procCpuMs(serverPid(k)) - cpu0, clientCpuMs = workersCpu() - wcpu0;
    const lat = got.flatMap((g) => g.times).map((t) => t - t0);
    // Ours: its publish's server-side time from the request's arrival to the change handed to the feed.
    const path = SERVER_OF[k] === 'ours' ? await ours.request<Array<{ toChange: number }>>('publishPath') : [];
    const serverToChangeMs = path.length ? path[path.length - 1]!.toChange : NaN;
    const missing = got.reduce((n, g) => n + g.missing, 0);
    const sorted = sortNumbers(lat.filter(Number.isFinite));
    return {
      kind: k, size, pass, round, key, requestMs, serverToChangeMs, missing, serverCpuMs, clientCpuMs, lat,
      lastMs: missing ? Infinity : sorted[sorted.length - 1]!, p50Ms: percentile(sorted, 50), firstMs: sorted[0] ?? NaN,
    };
  };

  // ---------------------------------------------------------------------------------------------
  // 1. Delivery: publish → last reader, ours vs the floor and the peer, round by round.
  const rounds: Round[] = [];
  const summary: Record<number, Partial<Record<Kind, { last: number[]; first: number[]; p50: number[]; request: number[]; toChange: number[]; serverCpu: number[]; clientCpu: number[]; missing: number; lastP50: number; readerP50: number; lastMax: number; pairedRatio: number }>>> = {};
  if (O.only.has('delivery')) {
    // Two passes, each with the floor: the socket.io-client readers, then the wire clients (one
    // server holds one kind's readers at a time: 10,000 sockets, not 20,000).
    const passes = [kinds.filter((k) => !k.endsWith('Wire')), kinds.filter((k) => k === 'ws' || k.endsWith('Wire'))].filter((p) => p.some((k) => k !== 'ws'));
    for (const size of O.sizes) for (const [passIndex, pass] of passes.entries()) {
      console.log(`\n[delivery] ${size.toLocaleString('en-US')} readers per server, ${O.workers} client processes; ${O.warmup} warm-up + ${O.publishes} measured rounds (${pass.join(', ')} in turn)`);
      for (const k of pass) await connect(k, size);
      const passServers = [...new Set(pass.map((k) => SERVER_OF[k]))]; // a wire kind's server too
      for (let r = 0; r < O.warmup + O.publishes; r++) {
        if (O.profile && r === O.warmup) for (const k of passServers) await serverChild(k).request('profileStart');
        const order = pass.map((_, i) => pass[(i + r) % pass.length]!);
        const line: string[] = [];
        for (const k of order) {
          const x = await measureOnce(k, size, passIndex, r);
          line.push(`${k} ${fmt(x.lastMs, 1)}`);
          if (r >= O.warmup) rounds.push(x);
          await sleep(250);
        }
        console.log(`  ${r < O.warmup ? 'warm-up' : 'round'} ${r + 1}: last reader (ms) ${line.join(', ')}`);
      }
      if (O.profile) for (const k of passServers) console.log(`  profile: ${await serverChild(k).request<string>('profileStop', { name: `readers-${k}-${size}-${pass.join('-')}.cpuprofile` }, 60_000)}`);
      // This pass's readers go (the floor's stay for the next): the next pass has the sockets.
      for (const k of pass) if (k !== 'ws') {
        await Promise.all(workers.map((w) => w.request('close', { kind: k })));
        connected[k] = 0;
      }
      summary[size] ??= {} as (typeof summary)[number];
      for (const k of pass) {
        const mine = rounds.filter((x) => x.size === size && x.kind === k);
        // Each round against the floor's round of the same pass and number (they ran back to
        // back): drift on this shared machine between passes and rounds cancels out.
        const floorOf = (x: Round) => rounds.find((f) => f.kind === 'ws' && f.size === size && f.pass === x.pass && f.round === x.round);
        const paired = k === 'ws' ? [] : mine.map((x) => x.lastMs / (floorOf(x)?.lastMs ?? NaN)).filter(Number.isFinite);
        summary[size]![k] = {
          pairedRatio: k === 'ws' ? 1 : median(paired),
          last: mine.map((x) => x.lastMs), first: mine.map((x) => x.firstMs), p50: mine.map((x) => x.p50Ms), request: mine.map((x) => x.requestMs), toChange: mine.map((x) => x.serverToChangeMs),
          serverCpu: mine.map((x) => x.serverCpuMs), clientCpu: mine.map((x) => x.clientCpuMs), missing: mine.reduce((n, x) => n + x.missing, 0),
          lastP50: median(mine.map((x) => x.lastMs)), readerP50: median(mine.map((x) => x.p50Ms)), lastMax: Math.max(...mine.map((x) => x.lastMs)),
        };
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 2. An editor types while MAX readers receive publishes.
  let editorResult: Record<string, unknown> | null = null;
  if (O.only.has('editor')) {
    if (connected.ours < MAX) {
      console.log('');
      await connect('ours', MAX);
    }
    console.log(`\n[editor] an editor types every 20 ms (stock y-websocket) while ${MAX.toLocaleString('en-US')} readers receive ${O.editorPublishes} publishes`);
    const draft = await call(url, 'POST', `/api/live-files/${file.id}/entries`, editor, { idempotencyKey: randomUUID(), text: 'Typing here.' });
    const ed = track(forkTs('bench/readers/editorWorker.ts'));
    await ed.request('connect', { serverUrl: url.replace(/^http/, 'ws') + '/collab', docName: entryDocName(draft.json.id as string), cookieA: editor, cookieB: editor2 }, 60_000);
    await ed.request('start', { periodMs: 20, maxMs: 120_000 });
    await sleep(3000); // baseline: typing, no publish
    const windows: Array<[number, number]> = [];
    const lasts: number[] = [];
    for (let i = 0; i < O.editorPublishes; i++) {
      const t = nowMs();
      const x = await measureOnce('ours', MAX, -1, 1000 + i);
      windows.push([t, t + x.lastMs]);
      lasts.push(x.lastMs);
      await sleep(700);
    }
    await sleep(1500);
    const rep = await ed.request<{ sent: number; maxLateMs: number; samples: Array<[number, number, number]> }>('stop', {}, 60_000);
    await ed.request('close').catch(() => undefined);
    await stopChild(ed, false);
    const inWindow = (s: number) => windows.some(([a, b]) => s >= a && s <= b);
    const fig = (xs: number[]) => { const s = sortNumbers(xs.filter(Number.isFinite)); return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN }; };
    const echoIn = fig(rep.samples.filter((s) => inWindow(s[0])).map((s) => s[1] - s[0]));
    const echoOut = fig(rep.samples.filter((s) => !inWindow(s[0])).map((s) => s[1] - s[0]));
    const bIn = fig(rep.samples.filter((s) => inWindow(s[0])).map((s) => s[2] - s[0]));
    const lostEcho = rep.samples.filter((s) => !Number.isFinite(s[1])).length;
    editorResult = { echoIn, echoOut, bIn, lostEcho, sent: rep.sent, maxLateMs: rep.maxLateMs, lastReaderMs: lasts, windowsMs: windows.map(([a, b]) => b - a) };
    console.log(`  ${rep.sent} keystrokes; in the fan-out windows: round trip p50 ${fmt(echoIn.p50, 1)} / p99 ${fmt(echoIn.p99, 1)} ms (n=${echoIn.n}); outside: p99 ${fmt(echoOut.p99, 1)} ms; last reader p50 ${fmt(median(lasts), 1)} ms`);
  }

  // The floor and the peer are done: their readers and processes go before the storm and the page.
  for (const k of kinds) if (k !== 'ours') await Promise.all(workers.map((w) => w.request('close', { kind: k }).catch(() => undefined)));
  for (const k of servers) if (k !== 'ours') await stopChild(peers[k]?.child);

  // ---------------------------------------------------------------------------------------------
  // 3. Reconnect storm: every reader's connection dropped at once, publishes while they are away.
  let stormResult: Record<string, unknown> | null = null;
  if (O.only.has('storm')) {
    if (connected.ours < MAX) await connect('ours', MAX);
    console.log(`\n[storm] ${MAX.toLocaleString('en-US')} readers' connections dropped at once (TCP sockets destroyed by the server), ${O.stormPublishes} publishes while they reconnect`);
    const seqBefore = await lastSeq();
    const lastsBefore = (await Promise.all(workers.map((w) => w.request<number[]>('resetApplied')))).flat();
    const behind = lastsBefore.filter((l) => l !== seqBefore).length;
    if (O.profile) await ours.request('profileStart');
    const tcp0 = tcpExt();
    const tDrop = nowMs();
    const dropped = await ours.request<number>('dropReaders');
    const publishMs: number[] = [];
    for (let i = 0; i < O.stormPublishes; i++) {
      const t = nowMs();
      await publish(ready[nextEntry++]!);
      publishMs.push(nowMs() - t);
    }
    const publishedMs = nowMs() - tDrop;
    const final = await lastSeq();
    const per = (await Promise.all(workers.map((w) => w.request<Array<{ last: number; appliedAt: number; subscribedAt: number; applied: number[]; gaps: number; dups: number; reloads: number; connects: number; subscribeErrors: number; connected: boolean }>>('caughtUp', { seq: final, timeoutMs: 60_000 }, 80_000)))).flat();
    if (O.profile) console.log(`  profile: ${await ours.request<string>('profileStop', { name: `readers-ours-storm-${MAX}.cpuprofile` }, 60_000)}`);
    const tcp1 = tcpExt();
    const tcp = Object.fromEntries(['ListenOverflows', 'ListenDrops', 'TCPSynRetrans', 'TCPReqQFullDoCookies'].map((k) => [k, (tcp1[k] ?? NaN) - (tcp0[k] ?? NaN)]));
    const expected = Array.from({ length: final - seqBefore }, (_, i) => seqBefore + 1 + i);
    const exact = per.filter((p) => p.applied.length === expected.length && p.applied.every((s, i) => s === expected[i])).length;
    const caught = per.filter((p) => p.last >= final);
    const doneMs = Math.max(...per.map((p) => (p.last >= final ? p.appliedAt - tDrop : Infinity)));
    const sum = (f: (p: (typeof per)[number]) => number) => per.reduce((n, p) => n + f(p), 0);
    stormResult = {
      readers: per.length, dropped, seqBefore, final, behindBefore: behind, publishedMs, doneMs, caughtUp: caught.length, exactlyOnce: exact,
      gaps: sum((p) => p.gaps), dups: sum((p) => p.dups), reloads: sum((p) => p.reloads), reconnected: per.filter((p) => p.connects > 0).length,
      subscribeErrors: sum((p) => p.subscribeErrors), connectedAtEnd: per.filter((p) => p.connected).length,
      caughtUpP50Ms: percentile(sortNumbers(caught.map((p) => p.appliedAt - tDrop)), 50),
      publishMs, tcp,
      resubscribedP50Ms: percentile(sortNumbers(per.map((p) => p.subscribedAt - tDrop)), 50),
      resubscribedMaxMs: Math.max(...per.map((p) => p.subscribedAt - tDrop)),
    };
    console.log(`  dropped ${dropped}; ${caught.length}/${per.length} caught up to seq ${final} in ${fmt(doneMs / 1000, 2)} s; applied exactly ${expected.length} changes in order: ${exact}; gaps ${stormResult.gaps}, duplicates ${stormResult.dups}, reloads ${stormResult.reloads}`);
  }
  await Promise.all(workers.map((w) => w.request('close', { kind: 'ours' }).catch(() => undefined)));

  // ---------------------------------------------------------------------------------------------
  // 4. The server-rendered reader page under autocannon: plain, then conditional.
  let pageResult: Record<string, unknown> | null = null;
  if (O.only.has('page')) {
    const path = `/live/${encodeURIComponent(slug)}`;
    // As a browser asks: compressed copies accepted (the page is served br/gzip).
    const browser = { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html' };
    const first = await fetch(`${url}${path}`, { headers: browser, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const html = await first.text();
    const etag = first.headers.get('etag');
    if (first.status !== 200 || !/text\/html/.test(first.headers.get('content-type') ?? '')) {
      const note = `reader page SKIPPED: GET ${path} answered ${first.status} ${first.headers.get('content-type') ?? ''} (not built yet?)`;
      console.log(`\n${note}`);
      notes.push(note);
    } else {
      console.log(`\n[page] GET ${path} (${fmt(html.length / 1024, 1)} KiB, ETag ${etag ?? 'none'}), autocannon ${O.pageConnections} connections × ${O.pageSeconds} s, plain then If-None-Match`);
      const cannon = async (headers: Record<string, string>) => {
        const cpu0 = procCpuMs(info.pid);
        const r = await autocannon({ url: `${url}${path}`, connections: O.pageConnections, duration: O.pageSeconds, headers: { ...browser, ...headers }, timeout: 10 });
        const serverCpuMs = procCpuMs(info.pid) - cpu0;
        const codes = (r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
        return {
          rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, total: r.requests.total,
          errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, codes: Object.fromEntries(Object.entries(codes).map(([c, v]) => [c, v.count])),
          throughputMiBs: r.throughput.average / 1048576, serverCpuPerReqMs: serverCpuMs / Math.max(1, r.requests.total),
        };
      };
      const plain = await cannon({});
      const conditional = etag ? await cannon({ 'if-none-match': etag }) : null;
      pageResult = { path, bytes: Buffer.byteLength(html), wireBytes: Number(first.headers.get('content-length') ?? NaN), contentEncoding: first.headers.get('content-encoding'), etag, cacheControl: first.headers.get('cache-control'), plain, conditional };
      console.log(`  plain: ${fmt(plain.rps, 0)} req/s, p99 ${fmt(plain.p99, 0)} ms, codes ${JSON.stringify(plain.codes)}; conditional: ${conditional ? `${fmt(conditional.rps, 0)} req/s, p99 ${fmt(conditional.p99, 0)} ms, codes ${JSON.stringify(conditional.codes)}` : 'no ETag'}`);
    }
  }

  await stopChild(ours);
  await Promise.all(workers.map((w) => stopChild(w, false)));

  // ---------------------------------------------------------------------------------------------
  // Tables, verdicts, files.
  if (O.only.has('delivery')) {
    const rows: string[][] = [];
    for (const size of O.sizes) {
      const s = summary[size]!;
      for (const k of kinds) {
        const x = s[k]!;
        rows.push([size.toLocaleString('en-US'), NAMES[k], fmt(x.lastP50, 1), fmt(x.lastMax, 1), fmt(median(x.first), 1), fmt(x.readerP50, 1), fmt(median(x.last.map((l, i) => l - x.first[i]!)), 1), fmt(median(x.request), 1), SERVER_OF[k] === 'ours' ? fmt(median(x.toChange), 1) : '–', fmt(median(x.serverCpu), 0), fmt(median(x.clientCpu), 0), String(x.missing),
          k === 'ws' ? '1.00×' : `${fmt(x.pairedRatio, 2)}×`]);
      }
    }
    printTable(`Publish → last reader (ms; p50 and worst of ${O.publishes} rounds per server; the request's own time included; CPU: ms per broadcast, 10 ms ticks)`,
      ['readers', 'server', 'last reader p50', 'worst', 'first reader', 'median reader', 'first → last', 'request', 'in server: request → change out', 'server CPU', 'clients CPU', 'missed', '÷ bare ws (per round)'], rows);
    const vs: string[][] = [];
    for (const size of O.sizes) {
      const s = summary[size]!;
      const ratio = (k: Kind) => s[k]?.pairedRatio ?? NaN;
      // The verdict on each of ours' clients: the wire client is the servers compared clients held
      // equal; socket.io-client adds that library's cost per message on these same 2 cores.
      const verdictOf = (k: Kind) => (s[k] ? `${mark(ratio(k) <= TARGET.ratio && s[k]!.missing === 0)} (≤ ${TARGET.ratio}×)` : '–');
      vs.push([size.toLocaleString('en-US'), `${fmt(ratio('oursWire'), 2)}×`, `${fmt(ratio('sioWire'), 2)}×`, verdictOf('oursWire'), `${fmt(ratio('ours'), 2)}×`, `${fmt(ratio('sio'), 2)}×`, verdictOf('ours')]);
    }
    printTable('Last-reader delivery vs the bare ws floor, same run: the median of each round\'s ratio to the floor\'s round right beside it (published: plain Socket.IO 1.53–1.58×, Centrifugo 1.17–1.39×)',
      ['readers', 'ours ÷ ws (wire client)', 'Socket.IO ÷ ws (wire client)', 'target', 'ours ÷ ws (socket.io-client)', 'Socket.IO ÷ ws (socket.io-client)', 'target'], vs);
  }
  const memRows: string[][] = [];
  for (const k of servers) for (const [n, m] of Object.entries(mem[k]!.at)) {
    memRows.push([NAMES[k], Number(n).toLocaleString('en-US'), fmt(mem[k]!.base.rss / 1048576, 1), fmt(m.rss / 1048576, 1), fmt(m.perReaderRss / 1000, 2), fmt(m.perReaderHeap / 1000, 2), fmt(m.connectMs / 1000, 1),
      k === 'ours' && Number(n) === MAX ? `${mark(m.perReaderRss <= TARGET.perReaderBytes)} (≤ 12 KB)` : '']);
  }
  if (memRows.length) printTable('Memory per connected reader (server process, after GC; KB = 1,000 bytes; published: bare ws 6 KB, Socket.IO 15 KB)', ['server', 'readers', 'RSS before (MiB)', 'RSS after (MiB)', 'RSS KB/reader', 'heap KB/reader', 'connect all (s)', 'target'], memRows);
  if (editorResult) {
    const e = editorResult as { echoIn: { n: number; p50: number; p99: number; max: number }; echoOut: { n: number; p50: number; p99: number; max: number }; bIn: { n: number; p50: number; p99: number; max: number }; lostEcho: number; lastReaderMs: number[] };
    printTable(`Editor's collab round trip (keystroke → the server's durable echo back to her) while ${MAX.toLocaleString('en-US')} readers receive a publish`, ['figure', 'n', 'p50 (ms)', 'p99 (ms)', 'max (ms)', 'target'], [
      ['during fan-out (publish request start → last reader)', String(e.echoIn.n), fmt(e.echoIn.p50, 1), fmt(e.echoIn.p99, 1), fmt(e.echoIn.max, 1), `${mark(e.echoIn.p99 <= TARGET.editorP99Ms && e.echoIn.n > 0 && e.lostEcho === 0)} (p99 ≤ 50 ms)`],
      ['outside fan-out (typing, no publish going out)', String(e.echoOut.n), fmt(e.echoOut.p50, 1), fmt(e.echoOut.p99, 1), fmt(e.echoOut.max, 1), ''],
      ['  to a second editor in the entry, during fan-out', String(e.bIn.n), fmt(e.bIn.p50, 1), fmt(e.bIn.p99, 1), fmt(e.bIn.max, 1), ''],
      ['  last reader while she types (ms, p50 of publishes)', String(e.lastReaderMs.length), fmt(median(e.lastReaderMs), 1), '', fmt(Math.max(...e.lastReaderMs), 1), ''],
    ]);
  }
  if (stormResult) {
    const s = stormResult as { tcp: Record<string, number>; publishMs: number[]; resubscribedP50Ms: number; resubscribedMaxMs: number; readers: number; doneMs: number; caughtUp: number; exactlyOnce: number; gaps: number; dups: number; reloads: number; reconnected: number; subscribeErrors: number; caughtUpP50Ms: number; final: number; seqBefore: number; publishedMs: number };
    const ok = s.doneMs <= TARGET.stormMs && s.caughtUp === s.readers && s.exactlyOnce === s.readers && s.gaps === 0 && s.dups === 0;
    printTable(`Reconnect storm: ${s.readers.toLocaleString('en-US')} readers dropped at once, ${s.final - s.seqBefore} changes published while away (in ${fmt(s.publishedMs, 0)} ms)`, ['figure', 'value', 'target'], [
      ['drop → every reader caught up (s)', fmt(s.doneMs / 1000, 2), `${mark(ok)} (≤ 10 s, no gap, no duplicate)`],
      ['drop → half of them caught up (s)', fmt(s.caughtUpP50Ms / 1000, 2), ''],
      ['drop → every reader back and subscribed again (s; half of them)', `${fmt(s.resubscribedMaxMs / 1000, 2)} (${fmt(s.resubscribedP50Ms / 1000, 2)})`, ''],
      ['the publishes meanwhile, each request (ms)', s.publishMs.map((x) => fmt(x, 0)).join(', '), ''],
      ['readers caught up', `${s.caughtUp}/${s.readers}`, ''],
      ['applied each missed change exactly once, in order', `${s.exactlyOnce}/${s.readers}`, ''],
      ['gaps / duplicates received / reloads', `${s.gaps} / ${s.dups} / ${s.reloads}`, ''],
      ['readers that reconnected / subscribe refusals or timeouts', `${s.reconnected} / ${s.subscribeErrors}`, ''],
      ['TCP meanwhile (this machine): accept-queue overflows / SYN retransmits', `${fmt(s.tcp.ListenOverflows ?? NaN, 0)} / ${fmt(s.tcp.TCPSynRetrans ?? NaN, 0)}`, ''],
    ]);
  }
  if (pageResult) {
    type Cannon = { rps: number; p50: number; p99: number; max: number; total: number; errors: number; timeouts: number; codes: Record<string, number>; throughputMiBs: number; serverCpuPerReqMs: number };
    const p = pageResult as { path: string; bytes: number; wireBytes: number; contentEncoding: string | null; plain: Cannon; conditional: Cannon | null };
    // Every conditional request answered, and with 304 (a timed-out one was not answered at all).
    const only304 = !!p.conditional && p.conditional.total > 0 && (p.conditional.codes['304'] ?? 0) === p.conditional.total && p.conditional.errors === 0;
    const row = (label: string, c: Cannon) => [label, fmt(c.rps, 0), fmt(c.p50, 0), fmt(c.p99, 0), fmt(c.max, 0), fmt(c.total, 0), Object.entries(c.codes).map(([k, v]) => `${k}: ${v}`).join(', '), `${c.errors} (${c.timeouts} timeouts)`, fmt(c.throughputMiBs, 1), fmt(c.serverCpuPerReqMs, 3)];
    printTable(`Reader page GET ${p.path} (${fmt(p.bytes / 1024, 1)} KiB of HTML, ${fmt(p.wireBytes / 1024, 1)} KiB ${p.contentEncoding ?? 'uncompressed'} on the wire), autocannon ${O.pageConnections} connections × ${O.pageSeconds} s`, ['run', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'status codes', 'errors', 'MiB/s', 'server CPU ms/req'], [
      row('plain', p.plain),
      ...(p.conditional ? [row('If-None-Match: <ETag>', p.conditional)] : []),
    ]);
    console.log(`Conditional requests all answered, with 304: ${mark(only304)}${p.conditional ? ` (${p.conditional.codes['304'] ?? 0} × 304, ${p.conditional.errors} errors, of which ${p.conditional.timeouts} timeouts)` : ''}`);
  }

  // The distribution chart: every measured reader receipt, per server, per size.
  if (O.only.has('delivery')) {
    writeCdfChart(join(RESULTS, 'readers.svg'), 'Publish → reader: share of readers that have the change, by time', O.sizes.map((size) => ({
      title: `${size.toLocaleString('en-US')} readers (${O.publishes} publishes each, all receipts; p50 of last reader: ${kinds.map((k) => `${k} ${fmt(summary[size]![k]!.lastP50, 0)} ms`).join(', ')})`,
      series: kinds.map((k) => ({ key: k, name: NAMES[k], sorted: sortNumbers(rounds.filter((x) => x.size === size && x.kind === k).flatMap((x) => x.lat).filter(Number.isFinite)) })),
    })), `${COMMAND}; ${new Date().toISOString()}; ${cpus().length} CPUs, load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log('\nChart: bench/results/readers.svg');
  }
  raw.delivery = Object.fromEntries(Object.entries(summary).map(([size, s]) => [size, Object.fromEntries(Object.entries(s).map(([k, v]) => [k, {
    lastMsPerRound: v.last, firstMsPerRound: v.first, medianReaderMsPerRound: v.p50, requestMs: v.request, serverCpuMs: v.serverCpu, clientCpuMs: v.clientCpu, missing: v.missing, lastP50: v.lastP50, lastMax: v.lastMax, ratioToFloorPerRound: v.pairedRatio, inServerToChangeMs: v.toChange,
    cdf: (() => { const s = sortNumbers(rounds.filter((x) => String(x.size) === size && x.kind === k).flatMap((x) => x.lat).filter(Number.isFinite)); return [1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100].map((q) => [q, percentile(s, q)]); })(),
  }]))]));
  raw.memory = mem;
  raw.editor = editorResult;
  raw.storm = stormResult;
  raw.page = pageResult;
  raw.notes = notes;
  raw.loadavgEnd = loadavg();
  writeFileSync(join(RESULTS, 'readers.json'), JSON.stringify(raw, null, 1));
  console.log(`Raw figures: bench/results/readers.json. ${failures ? `${failures} target(s) missed (FAIL above).` : 'All targets met.'} Total ${fmt((nowMs() - started) / 1000, 0)} s.`);
  console.log(`Command: ${COMMAND}`);
  process.exitCode = failures ? 1 : 0;
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 2;
} finally {
  for (const c of children) await c.kill().catch(() => undefined);
}
process.exit(process.exitCode ?? 0);
