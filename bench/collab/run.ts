// npm run bench:collab [-- --quick] [-- --only=load,trace,memory] [-- --profile]
// Orchestrates the collab benchmarks (one job per file), prints tables and writes charts and raw
// figures to bench/results/. Everything runs on 127.0.0.1 in child processes and stops on its own.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Limits } from '../../shared/limits.js';
import { REPO_ROOT } from './lib/proc.js';
import { fmt, fmtBytes, nowMs } from './lib/stats.js';
import { printTable, verdict } from './lib/table.js';
import { writeBarChart, writeLineChart } from './lib/svg.js';
import { BIG_ENTRY_BYTES, TRACE_CREDIT, TRACE_PATH } from './lib/trace.js';
import { runLoad, summarize, type LoadRun } from './load.js';
import { runReplay } from './replay.js';
import { runMemory } from './memory.js';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string, dflt: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
if (flag('help')) {
  console.log(`npm run bench:collab -- [--quick] [--only=load,trace,memory] [--profile] [--same-account]
  --quick            short windows, one repeat, fewer docs and clients (~1.5 min)
  --only=...         run only these jobs
  --measure=S        measured seconds of the load job (default 20; quick 8)
  --repeats=N        runs per server in the load job (default 3; quick 1)
  --cursor-rate=R    awareness cursor moves per editor per second (default 1)
  --same-account     all 50 editors on one account (default: 50 distinct accounts)
  --big-copies=N     trace copies in the big entry (default: as many as fit under ~1.9 MiB)
  --replay-window=N  trace transactions in flight per client (default 1024; 0 = unbounded burst)
  --profile          --cpu-prof on both servers (bench/results/prof/, prof-reference/)`);
  process.exit(0);
}
const quick = flag('quick');
const only = new Set(opt('only', 'load,trace,memory').split(','));
const resultsDir = join(REPO_ROOT, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const log = (s: string) => console.log(s);
const started = nowMs();

console.log(`Command: npm run bench:collab${argv.length ? ' -- ' + argv.join(' ') : ''}`);
console.log(`Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);

const referenceServerJs = join(REPO_ROOT, 'bench/.reference/node_modules/y-websocket/bin/server.js');
if ((only.has('load') || only.has('trace')) && !existsSync(referenceServerJs)) {
  console.log('Installing the reference server (y-websocket@1.5.4, yjs@13) into bench/.reference …');
  execFileSync('npm', ['install', '--prefix', join(REPO_ROOT, 'bench/.reference'), 'y-websocket@1.5.4', 'yjs@13', '--no-audit', '--no-fund'], { stdio: 'inherit' });
}
if (only.has('trace') && !existsSync(TRACE_PATH)) {
  console.error(`Editing trace missing: ${TRACE_PATH}\n(expected ../shared/data/editing-traces/seph-blog1.json.gz next to the repo). Skip with --only=load,memory.`);
  process.exit(1);
}

const raw: Record<string, unknown> = { argv, quick, startedAt: new Date().toISOString() };
let failures = 0;
const mark = (ok: boolean) => {
  if (!ok) failures++;
  return verdict(ok);
};

// 1. Load: 50 editors on one entry, ours vs the reference, alternately.
if (only.has('load')) {
  const o = {
    editors: Number(opt('editors', '50')),
    rate: Number(opt('rate', '5')),
    warmupMs: (quick ? 3 : 5) * 1000,
    measureMs: Number(opt('measure', quick ? '8' : '20')) * 1000,
    drainMs: 2000,
    repeats: Number(opt('repeats', quick ? '1' : '3')),
    cursorRate: Number(opt('cursor-rate', '1')),
    sameAccount: flag('same-account'),
    profile: flag('profile'),
    referenceServerJs,
  };
  log(`\n[1] ${o.editors} editors on one entry, ${o.rate} edits/s each, ${o.measureMs / 1000} s measured after ${o.warmupMs / 1000} s warm-up, ${o.repeats}× per server (alternating)`);
  const runs = await runLoad(o, log);
  const ours = summarize(runs, 'ours');
  const ref = summarize(runs, 'reference');
  raw.load = { options: o, runs };
  const row = (label: string, f: (r: LoadRun) => string) => [label, f(ours), f(ref)];
  printTable(`Load: ${o.editors} editors × ${o.rate} edits/s on one entry, loopback (median of ${o.repeats} run(s) per server)`, ['figure', 'ours', 'reference y-websocket@1.5.4'], [
    row('edits measured', (r) => fmt(r.edits, 0)),
    row('edits/s achieved', (r) => fmt(r.editsPerSec, 1)),
    row('latency to all others p50 (ms)', (r) => fmt(r.p50, 1)),
    row('latency to all others p99 (ms)', (r) => fmt(r.p99, 1)),
    row('per delivery p50 (ms)', (r) => fmt(r.deliveryP50, 1)),
    row('per delivery p99 (ms)', (r) => fmt(r.deliveryP99, 1)),
    row('edits not seen by all (max)', (r) => fmt(r.incomplete, 0)),
    row('server CPU (ms) in window', (r) => fmt(r.serverCpuMs, 0)),
    row('server CPU ms per edit', (r) => fmt(r.cpuPerEditMs, 3)),
    row('server % of one core', (r) => fmt(r.serverCorePct, 1)),
    row('client CPU ms (2 processes)', (r) => fmt(r.clientCpuMs, 0)),
    row('client % of one core', (r) => fmt(r.clientCorePct, 1)),
    row('worst editor timer lag (ms)', (r) => fmt(r.maxLateMs, 0)),
  ]);
  printTable('Load: every run', ['run', 'server', 'edits', 'p50 ms', 'p99 ms', 'CPU ms/edit', 'server %core', 'client %core'],
    runs.map((r, i) => [String(i + 1), r.server, fmt(r.edits, 0), fmt(r.p50, 1), fmt(r.p99, 1), fmt(r.cpuPerEditMs, 3), fmt(r.serverCorePct, 1), fmt(r.clientCorePct, 1)]));
  const ratio = (a: number, b: number) => a / b;
  const rc = ratio(ours.cpuPerEditMs, ref.cpuPerEditMs), r50 = ratio(ours.p50, ref.p50), r99 = ratio(ours.p99, ref.p99);
  printTable('Load: ours / reference (target ≤ 1.00×)', ['figure', 'ratio', 'target'], [
    ['server CPU per edit', `${fmt(rc, 2)}×`, mark(rc <= 1)],
    ['latency p50', `${fmt(r50, 2)}×`, mark(r50 <= 1)],
    ['latency p99', `${fmt(r99, 2)}×`, mark(r99 <= 1)],
  ]);
  writeBarChart(join(resultsDir, 'collab-load.svg'), `${o.editors} editors × ${o.rate} edits/s on one entry: ours vs y-websocket@1.5.4`, [
    { label: 'Latency p50 to every other editor (ms)', bars: [{ name: 'ours', value: ours.p50, text: `${fmt(ours.p50)} ms` }, { name: 'reference', value: ref.p50, text: `${fmt(ref.p50)} ms` }] },
    { label: 'Latency p99 to every other editor (ms)', bars: [{ name: 'ours', value: ours.p99, text: `${fmt(ours.p99)} ms` }, { name: 'reference', value: ref.p99, text: `${fmt(ref.p99)} ms` }] },
    { label: 'Server CPU per edit (ms)', bars: [{ name: 'ours', value: ours.cpuPerEditMs, text: `${fmt(ours.cpuPerEditMs, 3)} ms` }, { name: 'reference', value: ref.cpuPerEditMs, text: `${fmt(ref.cpuPerEditMs, 3)} ms` }] },
  ], `median of ${o.repeats} run(s) per server; ${new Date().toISOString()}`);
  log('Chart: bench/results/collab-load.svg');
}

// 2. Trace replay, fresh-client sync, big entry.
if (only.has('trace')) {
  const o = {
    bigCopies: Number(opt('big-copies', '0')),
    syncRepeats: quick ? 1 : 3,
    profile: flag('profile'),
    window: Number(opt('replay-window', '1024')),
    clientCounts: quick ? [1] : [1, 4],
    referenceServerJs,
  };
  log(`\n[2] Trace replay through our server (window ${o.window || 'unbounded'} transactions in flight per client), then ${o.bigCopies ? `a ${o.bigCopies}-copy entry` : `the biggest entry under ${fmtBytes(BIG_ENTRY_BYTES)}`}`);
  const r = await runReplay(o, log);
  raw.replay = { options: o, ...r };
  printTable(`Trace replay: seph-blog1 (${fmt(r.txns, 0)} transactions, ${fmt(r.endChars, 0)} chars) into paragraphs of one entry, through our server`,
    ['case', 'wall (s)', 'server CPU (s)', 'client CPU (s)', 'doc size', 'chars', 'sync, doc loaded (ms)', 'sync, cold (ms)', 'endContent'],
    r.rows.map((x) => [x.case, fmt(x.wallMs / 1000, 2), fmt(x.serverCpuMs / 1000, 2), fmt(x.clientCpuMs / 1000, 2), fmtBytes(x.docBytes), fmt(x.chars, 0), fmt(x.syncLoadedMs, 1), fmt(x.syncColdMs, 1), mark(x.ok)]));
  const b = r.big;
  const vsRef = b.referenceSyncMs === null ? NaN : b.busy.syncMs / b.referenceSyncMs;
  printTable(`Big entry: ${b.copies} replays of the trace (${fmt(b.chars, 0)} chars, history and all), the largest that fits under the ${fmtBytes(Limits.maxDocBytes)} cap, pushed through our server`, ['figure', 'value', 'target'], [
    ['characters (all paragraphs equal endContent)', fmt(b.chars, 0), mark(b.ok)],
    ['built locally (ms; cached in bench/results/.cache)', fmt(b.buildMs, 0), ''],
    ['updates pushed (bytes)', fmtBytes(b.updateBytes), ''],
    ['push → stored (ms)', fmt(b.pushMs, 0), ''],
    ['server CPU for the push (ms)', fmt(b.pushServerCpuMs, 0), ''],
    ['document size (what a fresh client receives)', fmtBytes(b.docBytes), ''],
    ['while an editor is in it: fresh client connect → synced (ms)', fmt(b.busy.syncMs, 1), b.referenceSyncMs === null ? '' : `${mark(vsRef <= 1)} (≤ reference)`],
    ['  the stock client’s own apply of that state alone (fresh process, no server; ms)', fmt(b.busy.clientApplyMs, 1), 'floor'],
    ['  reference y-websocket@1.5.4, same entry, fresh client connect → synced (ms)', b.referenceSyncMs === null ? 'not run' : fmt(b.referenceSyncMs, 1), ''],
    ['  ours / reference', b.referenceSyncMs === null ? '–' : `${fmt(vsRef, 2)}×`, ''],
    ['after the editor left: fresh client connect → synced, doc loaded (ms)', fmt(b.syncLoadedMs, 1), ''],
    ['  fresh client connect → synced, cold from store (ms)', fmt(b.syncColdMs, 1), ''],
  ]);
  writeBarChart(join(resultsDir, 'collab-sync.svg'), 'Fresh client: connect → synced (stock WebsocketProvider)', [
    ...r.rows.map((x) => ({ label: `${x.case} (${fmtBytes(x.docBytes)})`, bars: [{ name: 'doc loaded', value: x.syncLoadedMs, text: `${fmt(x.syncLoadedMs)} ms` }, { name: 'cold', value: x.syncColdMs, text: `${fmt(x.syncColdMs)} ms` }] })),
    { label: `big entry (${fmt(b.chars, 0)} chars, ${fmtBytes(b.docBytes)}) while an editor is in it`, bars: [
      { name: 'ours', value: b.busy.syncMs, text: `${fmt(b.busy.syncMs)} ms` },
      { name: 'client apply alone', value: b.busy.clientApplyMs, text: `${fmt(b.busy.clientApplyMs)} ms` },
      ...(b.referenceSyncMs === null ? [] : [{ name: 'reference', value: b.referenceSyncMs, text: `${fmt(b.referenceSyncMs)} ms` }]),
    ] },
    { label: `big entry after the editor left (${fmtBytes(b.docBytes)})`, bars: [{ name: 'doc loaded', value: b.syncLoadedMs, text: `${fmt(b.syncLoadedMs)} ms` }, { name: 'cold', value: b.syncColdMs, text: `${fmt(b.syncColdMs)} ms` }] },
  ], TRACE_CREDIT);
  log('Chart: bench/results/collab-sync.svg');
  log(TRACE_CREDIT);
}

// 3. Memory: idle loaded docs; 200 files × 20 entries loaded then left.
if (only.has('memory')) {
  const o = {
    idleDocs: Number(opt('idle-docs', quick ? '100' : '200')),
    files: Number(opt('files', quick ? '50' : '200')),
    entriesPerFile: 20,
    batch: 100,
  };
  log(`\n[3] Server heap: ${o.idleDocs} idle loaded entries; then ${o.files} files × ${o.entriesPerFile} entries loaded and left`);
  const m = await runMemory(o, log);
  raw.memory = { options: o, ...m };
  const i = m.idle;
  printTable(`Idle loaded entry docs (typical ~700-char entry, one idle client each)`, ['figure', 'value', 'target'], [
    ['docs (and clients)', fmt(i.docs, 0), ''],
    ['heap, none loaded (after GC)', fmtBytes(i.heapBefore), ''],
    ['heap, all loaded + 1 idle client each (after GC)', fmtBytes(i.heapLoaded), ''],
    ['heap per loaded doc + idle client', fmtBytes(i.perDoc), `${mark(i.perDoc <= 64 * 1024)} (≤ 64 KiB)`],
    ['heap after they left (after GC)', fmtBytes(i.heapAfter), ''],
  ]);
  const ol = m.openLeave;
  const growth = (ol.heapAfter - ol.heapStart) / ol.heapStart;
  printTable(`${ol.files} open files × ${ol.entries / ol.files} entries: ${ol.connections} connections loaded, then left`, ['figure', 'value', 'target'], [
    ['heap at start (after GC)', fmtBytes(ol.heapStart), ''],
    ['heap peak (sampled, no GC)', fmtBytes(ol.heapPeakRaw), ''],
    ['heap with all loaded (after GC)', fmtBytes(ol.heapPeakGc), ''],
    ['heap after all left (after GC)', fmtBytes(ol.heapAfter), ''],
    ['after vs start', `${growth >= 0 ? '+' : ''}${fmt(growth * 100, 1)} %`, `${mark(Math.abs(growth) <= 0.1)} (within 10 %)`],
    ['connect all, batches of 100 (s)', fmt(ol.connectMs / 1000, 1), ''],
    ['close all → all unloaded (s)', fmt(ol.unloadMs / 1000, 1), ''],
  ]);
  writeLineChart(join(resultsDir, 'collab-heap.svg'), `Server heap: ${ol.connections} docs opened in batches, then left`, 'seconds', 'heap used (MiB)', [
    { name: 'heap used (MiB)', points: ol.samples },
  ]);
  log('Chart: bench/results/collab-heap.svg');
}

writeFileSync(join(resultsDir, 'collab.json'), JSON.stringify(raw, null, 1));
log(`\nRaw figures: bench/results/collab.json. ${failures ? `${failures} target(s) missed (FAIL above).` : 'All targets met.'} Total ${fmt((nowMs() - started) / 1000, 0)} s.`);
process.exit(0);
