// npm run bench:publish [-- --help]
// Publish latency: click → stored and in /changes. The real server in this process on 127.0.0.1
// port 0, once over the embedded store and once over FerretDB (SQLite backend, started like the
// tests start it). 20 chiefs and an editor; entries are created and submitted beforehand (not
// timed). Scenario A: one chief publishes 100 entries in a row. Scenario B: 20 chiefs at once, each
// its own entry, 5 rounds. Each publish is timed from sending POST /api/entries/:id/publish to its
// response, and to one GET /api/public/live/:slug/changes?after=<seq before> that shows the change.
// The peer, in the same run on the same store: the bare minimum a publish must write, one
// conditional update of the entry (store.entries.transition) plus one insert into the change log
// (store.publishing.appendChange), through the store ports, no HTTP. Target: p99 ≤ 50 ms on both.
// Everything is bounded and stops on its own; results go to bench/results/publish.{json,svg}.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Session } from 'node:inspector/promises';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { createServer, type LivedeskServer } from '../server/createServer.js';
import { newId } from '../server/ids.js';
import { openEmbeddedStore } from '../server/store/embedded/openEmbeddedStore.js';
import { openMongoStore } from '../server/store/mongo/openMongoStore.js';
import type { ReaderChangeRecord, Store } from '../server/store/Store.js';
import { contentHash, renderEntry } from '../server/features/publishing/renderEntry.js';
import { writeParagraphs } from '../server/features/entries/entryText.js';
import { findFerretDbBinary, startFerretDb, type FerretDb } from '../test/support/ferretdb.js';
import { fmt, percentile, sortNumbers } from './collab/lib/stats.js';
import { printTable, verdict } from './collab/lib/table.js';
import { writeBarChart, type BarGroup } from './collab/lib/svg.js';
import { run as runJobs, type PublishJob, type RunReply, type RunRequest, type Sample } from './publishClients.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench/results');
const TARGET_P99_MS = 50;
const REQUEST_TIMEOUT_MS = 60_000; // a publish this slow is a FAIL; the bench still ends
const VISIBLE_WITHIN_MS = 2_000;

const HELP = `npm run bench:publish [-- options]
  --stores=LIST     embedded,ferretdb (default both; ferretdb is skipped with a note when its binary is missing, never under CI=true)
  --serial=N        scenario A: publishes in a row by one chief (default 100)
  --chiefs=N        scenario B: chiefs publishing at once (default 20)
  --rounds=N        scenario B: rounds of N concurrent publishes (default 5)
  --warmup=N        untimed publishes (and peer writes) before measuring (default 10)
  --no-breakdown    do not time the steps inside the server (wraps store ports and services)
  --clients=WHERE   worker (default: the chiefs' HTTP clients in a worker thread, their own loop) or main (on the server's loop)
  --profile         CPU-profile the measured windows only: bench/results/prof/publish-<store>-<A|B>.cpuprofile`;

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string, dflt: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
if (flag('help')) {
  console.log(HELP);
  process.exit(0);
}
for (const a of argv) if (!/^--(stores|serial|chiefs|rounds|warmup)=|^--clients=(worker|main)$|^--(no-breakdown|profile)$/.test(a)) throw new Error(`unknown option ${a}\n${HELP}`);
const O = {
  stores: opt('stores', 'embedded,ferretdb').split(',').filter(Boolean) as Array<'embedded' | 'ferretdb'>,
  serial: Math.max(1, Number(opt('serial', '100'))),
  chiefs: Math.max(1, Number(opt('chiefs', '20'))),
  rounds: Math.max(1, Number(opt('rounds', '5'))),
  warmup: Math.max(0, Number(opt('warmup', '10'))),
  breakdown: !flag('no-breakdown'),
  profile: flag('profile'),
  clients: opt('clients', 'worker') as 'worker' | 'main',
};
const COMMAND = `npm run bench:publish${argv.length ? ' -- ' + argv.join(' ') : ''}`;

// ---------------------------------------------------------------------------------------------
// Step timing inside the server: every store-port method, the collab reads, settle, record,
// reauthorize and the service call, attributed to the publish request they ran for through
// AsyncLocalStorage (entered in the HTTP 'request' listener). Costs two performance.now() a call.

interface Span { label: string; start: number; end: number }
interface Trace { entryId: string; start: number; end: number; spans: Span[] }
const als = new AsyncLocalStorage<Trace>();
/** Set inside a store call: a port method calling another (or itself) is timed once, at the top. */
const inStore = new AsyncLocalStorage<boolean>();
const traces = new Map<string, Trace>();
const lastSeqMs: Record<string, number> = {};

function wrapMethod(obj: Record<string, unknown>, method: string, label: (args: unknown[]) => string): void {
  const orig = obj[method];
  if (typeof orig !== 'function') return;
  obj[method] = function (this: unknown, ...args: unknown[]) {
    const trace = als.getStore();
    const name = trace ? label(args) : '';
    const isStore = name.startsWith('store.');
    if (!trace || (isStore && inStore.getStore())) return (orig as (...a: unknown[]) => unknown).apply(this, args);
    const span: Span = { label: name, start: performance.now(), end: NaN };
    trace.spans.push(span);
    const run = () => (orig as (...a: unknown[]) => unknown).apply(this, args);
    const out = isStore ? inStore.run(true, run) : run();
    if (out && typeof (out as Promise<unknown>).then === 'function') {
      return (out as Promise<unknown>).then(
        (v) => { span.end = performance.now(); return v; },
        (e: unknown) => { span.end = performance.now(); throw e; },
      );
    }
    span.end = performance.now();
    return out;
  };
}

function methodsOf(obj: object): string[] {
  const names = new Set<string>(Object.keys(obj));
  let proto = Object.getPrototypeOf(obj) as object | null;
  while (proto && proto !== Object.prototype) {
    for (const n of Object.getOwnPropertyNames(proto)) if (n !== 'constructor') names.add(n);
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return [...names].filter((n) => typeof (obj as Record<string, unknown>)[n] === 'function');
}

function instrument(server: LivedeskServer, store: Store): void {
  for (const repo of ['entries', 'liveFiles', 'accounts', 'sessions', 'audit', 'idempotency', 'publishing', 'docs', 'rateLimits'] as const) {
    const r = store[repo] as unknown as Record<string, unknown>;
    for (const m of methodsOf(r)) wrapMethod(r, m, () => `store.${repo}.${m}`);
  }
  const collab = server.collab as unknown as Record<string, unknown>;
  const docKind = (args: unknown[]) => (String(args[0]).startsWith('entry') ? 'entry doc' : 'desk doc');
  wrapMethod(collab, 'read', (a) => `collab.read (${docKind(a)})`);
  wrapMethod(collab, 'view', (a) => `collab.view (${docKind(a)})`);
  wrapMethod(collab, 'settleEdits', () => 'collab.settleEdits');
  wrapMethod(collab, 'reauthorize', () => 'collab.reauthorize');
  const s = server.services as unknown as Record<string, Record<string, unknown>>;
  wrapMethod(s.entries!, 'settle', () => 'entries.settle');
  wrapMethod(s.entries!, 'present', () => 'entries.present');
  wrapMethod(s.publishing!, 'record', () => 'publishing.record');
  wrapMethod(s.workflow!, 'transition', () => 'workflow.transition');
  // Every 'request' listener (Express, and engine.io's, which wraps it) runs inside the trace.
  const http = server.httpServer;
  const listeners = http.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  http.removeAllListeners('request');
  http.on('request', (req, res) => {
    const m = /^\/api\/entries\/([^/]+)\/publish$/.exec(req.url ?? '');
    if (!m || req.method !== 'POST') {
      for (const l of listeners) l.call(http, req, res);
      return;
    }
    const trace: Trace = { entryId: m[1]!, start: performance.now(), end: NaN, spans: [] };
    traces.set(trace.entryId, trace);
    res.once('finish', () => (trace.end = performance.now()));
    als.run(trace, () => { for (const l of listeners) l.call(http, req, res); });
  });
}

/** One publish's time per step (ms). Steps nest: the indented ones are inside the one above. */
function stepsOf(t: Trace): Record<string, number> {
  const sum = (label: string | RegExp) => t.spans.filter((s) => (typeof label === 'string' ? s.label === label : label.test(s.label))).reduce((a, s) => a + (s.end - s.start), 0);
  const first = (label: string) => t.spans.find((s) => s.label === label);
  const wf = first('workflow.transition');
  const rec = first('publishing.record');
  const entryRead = first('collab.read (entry doc)');
  const tr = first('store.entries.transition');
  const inRecord = rec ? t.spans.filter((s) => s !== rec && s.start >= rec.start && s.end <= rec.end) : [];
  const recordStart = inRecord.length ? Math.min(...inRecord.map((s) => s.start)) : NaN;
  const deskView = inRecord.find((s) => s.label === 'collab.view (desk doc)');
  const findPrev = inRecord.find((s) => s.label === 'store.publishing.findReaderEntry');
  // The first write after the reads: lastSeq when the seq is not known yet, else the insert.
  const lastSeq = inRecord.find((s) => s.label === 'store.publishing.lastSeq' || s.label === 'store.publishing.appendChange');
  const outsideRecord = (label: string) => t.spans.filter((s) => s.label === label && !inRecord.includes(s)).reduce((a, s) => a + (s.end - s.start), 0);
  const wfMs = wf ? wf.end - wf.start : NaN;
  const steps: Record<string, number> = {
    'request total (server: headers in → response sent)': t.end - t.start,
    '  HTTP, session check, JSON in/out (outside the service)': t.end - t.start - wfMs,
    '    of which store.sessions.* + accounts (session check)': t.spans.filter((s) => s.start < (wf?.start ?? Infinity) && /^store\.(sessions|accounts)\./.test(s.label)).reduce((a, s) => a + (s.end - s.start), 0),
    '  workflow.transition (the service)': wfMs,
    '    idempotency claim + complete': sum(/^store\.idempotency\./),
    '    load: entry + live file': 0,
    '    entries.settle (collab.settleEdits + entry re-read)': sum('entries.settle'),
    '    collab.read (entry doc)': entryRead ? entryRead.end - entryRead.start : NaN,
    '    render + contentHash (linkedom, sanitize)': entryRead && tr ? tr.start - entryRead.end : NaN,
    '    store.entries.transition (the conditional update)': tr ? tr.end - tr.start : NaN,
    '    store.audit.append': sum('store.audit.append'),
    '    publishing.record': rec ? rec.end - rec.start : NaN,
    '      waiting for the file\'s queue': rec ? recordStart - rec.start : NaN,
    '      findReaderEntry ‖ desk places': deskView && lastSeq && findPrev ? lastSeq.start - recordStart : NaN,
    '        collab.view (desk doc, loaded by the transition; readDeskOrder on it)': deskView ? deskView.end - deskView.start : NaN,
    '      store.publishing.lastSeq': sum('store.publishing.lastSeq'),
    '      store.publishing.appendChange': sum('store.publishing.appendChange'),
    '      store.publishing.putReaderEntry': sum('store.publishing.putReaderEntry'),
    '    store.entries.clearPending': sum('store.entries.clearPending'),
    '    collab.reauthorize': sum('collab.reauthorize'),
    // The first call is the answer; the others are 'entry:updated' listeners (rows, rooms), in the background.
    '    entries.present (the answer)': first('entries.present') ? first('entries.present')!.end - first('entries.present')!.start : NaN,
  };
  // The load: the first entry read and the live file read, before settle.
  const settle = first('entries.settle');
  steps['    load: entry + live file'] = t.spans.filter((s) => (s.label === 'store.entries.findById' || s.label === 'store.liveFiles.findById') && s.end <= (settle?.start ?? Infinity) && s.start >= (wf?.start ?? 0)).reduce((a, s) => a + (s.end - s.start), 0);
  const accounted = ['    idempotency claim + complete', '    load: entry + live file', '    entries.settle (collab.settleEdits + entry re-read)', '    collab.read (entry doc)', '    render + contentHash (linkedom, sanitize)', '    store.entries.transition (the conditional update)', '    store.audit.append', '    publishing.record', '    store.entries.clearPending', '    collab.reauthorize', '    entries.present (the answer)']
    .reduce((a, k) => a + (Number.isFinite(steps[k]!) ? steps[k]! : 0), 0);
  steps['    rest of the service (checks, patch, events)'] = wfMs - accounted;
  steps['store calls per publish (count)'] = t.spans.filter((s) => s.label.startsWith('store.')).length;
  // BENCH_DUMP_TRACE=1: one publish's spans (ms from its request's start), to read the overlaps.
  if (process.env.BENCH_DUMP_TRACE && t.entryId === [...traces.keys()].at(-3)) console.log(t.spans.map((s) => `${(s.start - t.start).toFixed(2).padStart(8)} ${(s.end - t.start).toFixed(2).padStart(8)} ${s.label}`).join('\n'));
  void outsideRecord;
  return steps;
}

// ---------------------------------------------------------------------------------------------
// The server and the people.

interface Chief { id: string; cookie: string }
interface Prepared { id: string; version: number; revision: number }
interface Env {
  name: string;
  store: Store;
  server: LivedeskServer;
  url: string;
  close(): Promise<void>;
}

async function startEnv(kind: 'embedded' | 'ferretdb', ferret: FerretDb | null): Promise<Env> {
  const dataDir = await mkdtemp(join(tmpdir(), 'livedesk-bench-publish-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, MAX_CONNECTIONS_PER_ADDRESS: '0' });
  const store = kind === 'embedded' ? await openEmbeddedStore({ dir: dataDir }) : await openMongoStore({ uri: ferret!.uri, dbName: `bench_publish_${Date.now()}` });
  const server = createServer({ config, logger: createLogger('silent'), store, clientDir: join(ROOT, 'dist') });
  const url = await server.listen(0, '127.0.0.1');
  return {
    name: kind === 'embedded' ? 'embedded (nedb)' : 'FerretDB 1.x (SQLite)',
    store, server, url,
    async close() {
      await server.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function call(url: string, method: string, path: string, cookie: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function signIn(url: string, username: string, password: string): Promise<string> {
  // Sign-in may be briefly broken while the rate-limit wiring lands: retry for a bounded while.
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${url}/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (res.status === 200) return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const text = await res.text();
    if (attempt >= 2) throw new Error(`sign-in as ${username}: ${res.status} ${text}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const TEXT = (i: number) =>
  `Update ${i}: emergency services say the river rose another 40 cm overnight near the Sayran reservoir; ` +
  `two districts are being evacuated and schools are closed until Monday.\n\n` +
  `The city akimat opened 14 shelters. “We ask residents to follow official channels only,” the press service said. Entry ${i}.`;

async function people(env: Env) {
  const newsroomId = newId();
  const password = randomUUID();
  const accounts = env.server.services.accounts;
  const editorAccount = await accounts.createAccount({ newsroomId, username: 'bench-editor', displayName: 'Bench Editor', role: 'editor', password });
  const chiefAccounts = [];
  for (let i = 0; i < O.chiefs; i++) {
    chiefAccounts.push(await accounts.createAccount({ newsroomId, username: `bench-chief-${i}`, displayName: `Bench Chief ${i}`, role: 'chief', password }));
  }
  // Each person signs in once; the cookies are reused (the login rate limiter counts sign-ins).
  const editor = await signIn(env.url, 'bench-editor', password);
  const chiefs: Chief[] = [];
  for (const a of chiefAccounts) chiefs.push({ id: a.id, cookie: await signIn(env.url, a.username, password) });
  void editorAccount;
  return { editor, chiefs };
}

async function newFile(env: Env, editor: string, title: string): Promise<{ id: string; slug: string }> {
  const res = await call(env.url, 'POST', '/api/live-files', editor, { title: `${title} ${randomUUID().slice(0, 6)}` });
  if (res.status !== 201) throw new Error(`live file: ${res.status} ${JSON.stringify(res.json)}`);
  const id = res.json.id as string;
  return { id, slug: (await env.store.liveFiles.findById(id))!.slug };
}

/** Entries written by the editor and submitted: ready for a chief's publish (not timed). */
async function prepare(env: Env, editor: string, fileId: string, n: number): Promise<Prepared[]> {
  const out: Prepared[] = [];
  for (let i = 0; i < n; i++) {
    const created = await call(env.url, 'POST', `/api/live-files/${fileId}/entries`, editor, { idempotencyKey: randomUUID(), text: TEXT(i), headline: `Floods: update ${i}` });
    if (created.status !== 201) throw new Error(`entry: ${created.status} ${JSON.stringify(created.json)}`);
    const e = created.json as { id: string; version: number };
    const submitted = await call(env.url, 'POST', `/api/entries/${e.id}/submit`, editor, { version: e.version });
    if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.json)}`);
    const s = submitted.json as { version: number; revision: number };
    out.push({ id: e.id, version: s.version, revision: s.revision });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// One timed publish, ours and the peer's.

/** The chiefs' HTTP clients: in a worker thread (default) or on the server's own loop (--clients=main). */
async function clients(): Promise<{ run(r: RunRequest): Promise<Sample[]>; close(): Promise<void> }> {
  if (O.clients === 'main') return { run: runJobs, close: async () => undefined };
  // A worker does not inherit tsx's loader: it registers it, then imports the clients.
  const url = new URL('./publishClients.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`, { eval: true });
  let pending: { resolve: (s: Sample[]) => void; reject: (e: Error) => void } | null = null;
  let failed: Error | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the clients worker did not start within 20 s')), 20_000);
    worker.once('message', () => { clearTimeout(timer); resolve(); });
    worker.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
  await ready;
  worker.on('message', (m: RunReply) => {
    const p = pending;
    pending = null;
    if (m.ok) p?.resolve(m.samples);
    else p?.reject(new Error(m.error));
  });
  worker.on('error', (e) => { failed = e; pending?.reject(e); });
  return {
    run: (r) => new Promise((resolve, reject) => {
      if (failed) return reject(failed);
      const timer = setTimeout(() => reject(new Error('clients worker: no answer within 180 s')), 180_000);
      pending = { resolve: (v) => { clearTimeout(timer); resolve(v); }, reject: (e) => { clearTimeout(timer); reject(e); } };
      worker.postMessage(r);
    }),
    close: async () => { await worker.terminate(); },
  };
}

/** The bare minimum of a publish, on the same store: one conditional update, one change insert. */
function peer(env: Env, fileId: string) {
  let seq = 0; // assigned synchronously: concurrent peers never contend for a seq
  return async (e: Prepared, by: string): Promise<number> => {
    const t0 = performance.now();
    const now = new Date().toISOString();
    const text = TEXT(e.version);
    const html = text.split('\n\n').map((p) => `<p>${p}</p>`).join('');
    const s = ++seq;
    const updated = await env.store.entries.transition(e.id, { status: 'submitted', version: e.version }, {
      status: 'published', updatedAt: now, lastAction: { action: 'publish', actorId: by, at: now }, publishedRevision: e.revision,
    });
    if (!updated) throw new Error(`peer transition of ${e.id} lost`);
    const entry = { entryId: e.id, liveFileId: fileId, seq: s, revision: e.revision, html, text, headline: 'Floods', bylines: [], publishedAt: now, updatedAt: now, pinned: false, keyEvent: false, position: 'a0', corrected: false, retracted: null };
    const change: ReaderChangeRecord = {
      liveFileId: fileId, seq: s, kind: 'published', entryId: e.id, changeKey: `${e.id}:v${e.version + 1}`, at: now, entry,
      publication: { kind: 'published', revision: e.revision, html, text, doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }, headline: 'Floods', bylines: [], authorIds: [], approverId: by, at: now },
    };
    const r = await env.store.publishing.appendChange(change);
    if (!r.inserted) throw new Error('peer change not inserted');
    return performance.now() - t0;
  };
}

// ---------------------------------------------------------------------------------------------

interface Figures { n: number; p50: number; p99: number; max: number; mean: number }
const figures = (xs: number[]): Figures => {
  const s = sortNumbers(xs);
  return { n: xs.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN, mean: xs.reduce((a, b) => a + b, 0) / xs.length };
};

interface ScenarioResult {
  store: string;
  scenario: 'A' | 'B';
  label: string;
  response: Figures;
  visible: Figures;
  peer: Figures;
  ratioP50: number;
  ratioP99: number;
  pass: boolean;
  visibleFirstTry: number;
  seqGapFree: boolean;
  eachOnce: boolean;
  cpuMsPerPublish: number;
  wallMs: number;
  steps: Record<string, Figures>;
}

function checkLog(list: Array<{ seq: number; entryId: string; kind: string }>, expected: string[]): { gapFree: boolean; eachOnce: boolean } {
  const gapFree = list.every((c, i) => c.seq === i + 1);
  const published = list.filter((c) => c.kind === 'published').map((c) => c.entryId);
  const counts = new Map<string, number>();
  for (const id of published) counts.set(id, (counts.get(id) ?? 0) + 1);
  const eachOnce = expected.every((id) => counts.get(id) === 1) && published.length === expected.length;
  return { gapFree, eachOnce };
}

async function allChanges(env: Env, slug: string) {
  const ch = await call(env.url, 'GET', `/api/public/live/${encodeURIComponent(slug)}/changes?after=0`, null);
  return { list: ch.json.changes as Array<{ seq: number; entryId: string; kind: string }>, lastSeq: ch.json.lastSeq as number };
}

function stepFigures(ids: string[]): Record<string, Figures> {
  if (!O.breakdown) return {};
  const per = ids.map((id) => traces.get(id)).filter((t): t is Trace => !!t && Number.isFinite(t.end)).map(stepsOf);
  const out: Record<string, Figures> = {};
  for (const k of Object.keys(per[0] ?? {})) out[k] = figures(per.map((p) => p[k]!).filter(Number.isFinite));
  return out;
}

/** --profile: the V8 CPU profile of one measured window, written next to the results. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!O.profile) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(join(RESULTS, 'prof'), { recursive: true });
    writeFileSync(join(RESULTS, 'prof', `publish-${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** Pushes each scenario's result into `results` as it ends: a later failure keeps the earlier ones. */
async function runStore(kind: 'embedded' | 'ferretdb', ferret: FerretDb | null, log: (s: string) => void, results: ScenarioResult[]): Promise<void> {
  const env = await startEnv(kind, ferret);
  const cl = await clients();
  try {
    if (O.breakdown) instrument(env.server, env.store);
    const setupStart = performance.now();
    const { editor, chiefs } = await people(env);
    const warmFile = await newFile(env, editor, 'Warm-up');
    const fileA = await newFile(env, editor, 'Scenario A');
    const fileB = await newFile(env, editor, 'Scenario B');
    const peerFileA = await newFile(env, editor, 'Peer A');
    const peerFileB = await newFile(env, editor, 'Peer B');
    const nB = O.chiefs * O.rounds;
    const warm = await prepare(env, editor, warmFile.id, O.warmup * 2);
    const entriesA = await prepare(env, editor, fileA.id, O.serial);
    const entriesB = await prepare(env, editor, fileB.id, nB);
    const peerA = await prepare(env, editor, peerFileA.id, O.serial);
    const peerB = await prepare(env, editor, peerFileB.id, nB);
    log(`  ${env.name}: set up ${O.chiefs} chiefs, an editor, ${warm.length + O.serial * 2 + nB * 2} submitted entries in ${fmt((performance.now() - setupStart) / 1000, 1)} s (not timed)`);

    // Warm-up: the same paths, untimed.
    const job = (c: Chief, e: Prepared): PublishJob => ({ cookie: c.cookie, id: e.id, version: e.version, revision: e.revision });
    const req = (slug: string, seqBefore: number, jobs: PublishJob[]): RunRequest => ({ url: env.url, slug, seqBefore, jobs, timeoutMs: REQUEST_TIMEOUT_MS, visibleWithinMs: VISIBLE_WITHIN_MS });
    let seqWarm = 0;
    for (const e of warm.slice(0, O.warmup)) seqWarm = (await cl.run(req(warmFile.slug, seqWarm, [job(chiefs[0]!, e)])))[0]!.seq;
    const warmPeer = peer(env, warmFile.id + '-peer');
    for (const e of warm.slice(O.warmup)) await warmPeer(e, chiefs[0]!.id);

    // A: one chief, one after another; ours and the peer alternate so both see the same machine.
    {
      const doPeer = peer(env, peerFileA.id);
      const samples: Sample[] = [];
      const peerMs: number[] = [];
      let seq = 0;
      const t0 = performance.now();
      let oursMs = 0;
      await profiled(`${kind}-A`, async () => {
        for (let i = 0; i < O.serial; i++) {
          const e0 = performance.eventLoopUtilization();
          const [s] = await cl.run(req(fileA.slug, seq, [job(chiefs[0]!, entriesA[i]!)]));
          oursMs += performance.eventLoopUtilization(e0).active;
          samples.push(s!);
          seq = s!.seq;
          peerMs.push(await doPeer(peerA[i]!, chiefs[0]!.id));
        }
      });
      const wallMs = performance.now() - t0;
      const log_ = await allChanges(env, fileA.slug);
      const check = checkLog(log_.list, entriesA.map((e) => e.id));
      results.push(summarize(env.name, 'A', `${O.serial} publishes in a row, one chief`, samples, peerMs, check, oursMs / O.serial, wallMs, stepFigures(entriesA.map((e) => e.id))));
    }
    // B: all chiefs at once, each its own entry; rounds of ours and the peer's alternate.
    {
      const doPeer = peer(env, peerFileB.id);
      const samples: Sample[] = [];
      const peerMs: number[] = [];
      let seq = 0;
      let cpuMs = 0;
      const t0 = performance.now();
      await profiled(`${kind}-B`, async () => {
        for (let r = 0; r < O.rounds; r++) {
          const round = entriesB.slice(r * O.chiefs, (r + 1) * O.chiefs);
          const e0 = performance.eventLoopUtilization();
          const got = await cl.run(req(fileB.slug, seq, round.map((e, i) => job(chiefs[i]!, e))));
          cpuMs += performance.eventLoopUtilization(e0).active;
          samples.push(...got);
          seq = Math.max(...got.map((g) => g.seq));
          const peerRound = peerB.slice(r * O.chiefs, (r + 1) * O.chiefs);
          peerMs.push(...(await Promise.all(peerRound.map((e, i) => doPeer(e, chiefs[i]!.id)))));
        }
      });
      const wallMs = performance.now() - t0;
      const log_ = await allChanges(env, fileB.slug);
      const check = checkLog(log_.list, entriesB.map((e) => e.id));
      // What asking the store for a file's last seq costs now (publishing keeps it instead).
      const probe: number[] = [];
      for (let i = 0; i < 9; i++) {
        const p0 = performance.now();
        await env.store.publishing.lastSeq(fileB.id);
        probe.push(performance.now() - p0);
      }
      lastSeqMs[env.name] = figures(probe).p50;
      results.push(summarize(env.name, 'B', `${O.chiefs} chiefs at once × ${O.rounds} rounds`, samples, peerMs, check, cpuMs / nB, wallMs, stepFigures(entriesB.map((e) => e.id))));
    }
  } finally {
    await cl.close();
    await env.close();
  }
}

function summarize(store: string, scenario: 'A' | 'B', label: string, samples: Sample[], peerMs: number[], check: { gapFree: boolean; eachOnce: boolean }, cpuMsPerPublish: number, wallMs: number, steps: Record<string, Figures>): ScenarioResult {
  const response = figures(samples.map((s) => s.responseMs));
  const visible = figures(samples.map((s) => s.visibleMs));
  const p = figures(peerMs);
  return {
    store, scenario, label, response, visible, peer: p,
    ratioP50: visible.p50 / p.p50, ratioP99: visible.p99 / p.p99,
    pass: visible.p99 <= TARGET_P99_MS && check.gapFree && check.eachOnce,
    visibleFirstTry: samples.filter((s) => s.visibleFirstTry).length,
    seqGapFree: check.gapFree, eachOnce: check.eachOnce, cpuMsPerPublish, wallMs, steps,
  };
}

/** Render + hash alone, outside the server, on the bench's entry text: what the linkedom/sanitize step costs on a quiet loop. */
function renderAlone(): Figures {
  const doc = new Y.Doc();
  writeParagraphs(doc, TEXT(7));
  const xs: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    contentHash(renderEntry(doc), 'Floods', []);
    xs.push(performance.now() - t0);
  }
  doc.destroy();
  return figures(xs.slice(50));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const log = (s: string) => console.log(s);
  console.log(`$ ${COMMAND}`);
  console.log(`Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; server on the main thread, the chiefs' HTTP clients ${O.clients === 'main' ? 'on the same loop' : 'in a worker thread'}; 127.0.0.1 only`);
  mkdirSync(RESULTS, { recursive: true });
  const all: ScenarioResult[] = [];
  const notes: string[] = [];
  for (const kind of O.stores) {
    let ferret: FerretDb | null = null;
    if (kind === 'ferretdb') {
      if (!findFerretDbBinary()) {
        if (process.env.CI === 'true') throw new Error('ferretdb not found (CI=true: not skipped). Set FERRETDB_BIN, put it on PATH or in ~/go/bin.');
        const note = 'FerretDB SKIPPED: no ferretdb binary (FERRETDB_BIN, PATH, ~/go/bin). Install it (go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.0) to measure it.';
        console.log(`\n${note}`);
        notes.push(note);
        continue;
      }
      ferret = await startFerretDb();
    }
    log(`\n[${kind}]`);
    try {
      await runStore(kind, ferret, log, all);
    } catch (error) {
      console.error(`\n${kind} failed:`, error);
      process.exitCode = 2;
    } finally {
      // The FerretDB child is unref'd: hold the loop open (bounded) until it has exited.
      const hold = setTimeout(() => undefined, 10_000);
      await ferret?.stop();
      clearTimeout(hold);
    }
  }

  printTable(`Publish latency, click → stored and in /changes (ms). "answered": the publish response; "visible": answered + one GET /changes showing it. Peer: store.entries.transition + store.publishing.appendChange, same store, same run.`,
    ['store', 'scenario', 'n', 'answered p50', 'answered p99', 'visible p50', 'visible p99', 'max', 'peer p50', 'peer p99', 'ours/peer p50', 'ours/peer p99', `p99 ≤ ${TARGET_P99_MS} ms`],
    all.map((r) => [r.store, `${r.scenario}: ${r.label}`, r.visible.n, fmt(r.response.p50, 1), fmt(r.response.p99, 1), fmt(r.visible.p50, 1), fmt(r.visible.p99, 1), fmt(r.visible.max, 1), fmt(r.peer.p50, 2), fmt(r.peer.p99, 2), `${fmt(r.ratioP50, 1)}×`, `${fmt(r.ratioP99, 1)}×`, verdict(r.visible.p99 <= TARGET_P99_MS)]));
  printTable('Checks', ['store', 'scenario', 'seq 1..N gap-free', 'each entry once', 'in /changes at first look', `server loop busy ms per publish${O.clients === 'main' ? ' (incl. clients)' : ''}`, 'wall (s)'],
    all.map((r) => [r.store, r.scenario, verdict(r.seqGapFree), verdict(r.eachOnce), `${r.visibleFirstTry}/${r.visible.n}`, fmt(r.cpuMsPerPublish, 2), fmt(r.wallMs / 1000, 2)]));
  if (O.breakdown && all.length) {
    const keys = Object.keys(all[0]!.steps);
    printTable('Where a publish spends its time inside the server (ms per publish, p50 / p99; indented rows are inside the row above)',
      ['step', ...all.map((r) => `${r.store.split(' ')[0]} ${r.scenario}`)],
      keys.map((k) => [k, ...all.map((r) => (r.steps[k] ? (k.includes('(count)') ? fmt(r.steps[k]!.p50, 0) : `${fmt(r.steps[k]!.p50, 2)} / ${fmt(r.steps[k]!.p99, 2)}`) : '–'))]));
    const ra = renderAlone();
    console.log(`\nrenderEntry + contentHash alone on the same text, quiet loop: p50 ${fmt(ra.p50, 2)} ms, p99 ${fmt(ra.p99, 2)} ms`);
  }

  console.log('');
  for (const [store, ms] of Object.entries(lastSeqMs)) console.log(`${store}: asking the store for a file's last seq (store.publishing.lastSeq, ${O.serial * 2 + O.chiefs * O.rounds * 2 + O.warmup * 2} reader changes stored) takes ${fmt(ms, 2)} ms p50 at the end; publishing keeps the last seq it stored instead`);

  const groups: BarGroup[] = all.flatMap((r) => [
    { label: `${r.store}, ${r.scenario}: ${r.label}: p50 (ms)`, bars: [
      { name: 'answered', value: r.response.p50, text: `${fmt(r.response.p50)} ms` },
      { name: 'visible in /changes', value: r.visible.p50, text: `${fmt(r.visible.p50)} ms` },
      { name: 'peer (2 writes)', value: r.peer.p50, text: `${fmt(r.peer.p50, 2)} ms (ours ${fmt(r.ratioP50, 1)}×)` },
    ] },
    { label: `${r.store}, ${r.scenario}: ${r.label}: p99 (ms), target ≤ ${TARGET_P99_MS}`, bars: [
      { name: 'answered', value: r.response.p99, text: `${fmt(r.response.p99)} ms` },
      { name: 'visible in /changes', value: r.visible.p99, text: `${fmt(r.visible.p99)} ms ${verdict(r.visible.p99 <= TARGET_P99_MS)}` },
      { name: 'peer (2 writes)', value: r.peer.p99, text: `${fmt(r.peer.p99, 2)} ms (ours ${fmt(r.ratioP99, 1)}×)` },
      { name: `target`, value: TARGET_P99_MS, text: `${TARGET_P99_MS} ms` },
    ] },
  ]);
  writeBarChart(join(RESULTS, 'publish.svg'), 'Publish latency: click → stored and in /changes', groups, `${COMMAND}; ${new Date().toISOString()}${notes.length ? '; ' + notes.join(' ') : ''}`);
  writeFileSync(join(RESULTS, 'publish.json'), JSON.stringify({ command: COMMAND, options: O, lastSeqMs, node: process.version, cpus: cpus().length, at: new Date().toISOString(), notes, results: all }, null, 1));
  const failed = all.filter((r) => !r.pass);
  console.log(`\nChart: bench/results/publish.svg; raw figures: bench/results/publish.json`);
  console.log(`${failed.length ? `${failed.length} case(s) missed the target or a check (FAIL above).` : `All cases: p99 ≤ ${TARGET_P99_MS} ms, seq gap-free, each entry once.`}`);
  console.log(`Command: ${COMMAND}`);
  if (!process.exitCode) process.exitCode = failed.length ? 1 : 0;
}

await main();
process.exit(process.exitCode ?? 0);
