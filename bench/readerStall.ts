// How long one change's fan-out to a crowd of readers holds the server's event loop (docs/spec.md
// RD8). The real server in this process (embedded store, demo newsroom, caps off), READERS bare
// websocket readers of /live in a child process; a 1 ms timer probe measures the longest stretch
// the loop was busy while each change went out, and the time until every reader had it.
//   node --import tsx bench/readerStall.ts            READERS=10000 CHANGES=20 READER_FANOUT_TURN_MS=5
//   READER_FANOUT_TURN_MS=0 …                         the same fan-out as one broadcast (no spreading)
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { createServer } from '../server/createServer.js';
import { openEmbeddedStore } from '../server/store/embedded/openEmbeddedStore.js';
import { seedDemo } from '../server/seed/seedDemo.js';

const READERS = Number(process.env.READERS ?? 10_000);
const CHANGES = Number(process.env.CHANGES ?? 20);
const dataDir = await mkdtemp(join(tmpdir(), 'livedesk-reader-stall-'));
const config = loadConfig({
  LOG_LEVEL: 'silent', DATA_DIR: dataDir, MAX_CONNECTIONS_PER_ADDRESS: '0', READER_MAX_CONNECTIONS_PER_ADDRESS: '0',
  READER_FANOUT_TURN_MS: process.env.READER_FANOUT_TURN_MS ?? '5',
});
const store = await openEmbeddedStore({ dir: dataDir });
const server = createServer({ config, logger: createLogger('silent'), store, clientDir: fileURLToPath(new URL('../dist', import.meta.url)) });
await seedDemo({ store, accounts: server.services.accounts, collab: server.collab, workflow: server.services.workflow });
const url = await server.listen(0, '127.0.0.1');
const file = (await store.liveFiles.findByPublicSlug('almaty-floods'))!;

const child = fork(fileURLToPath(new URL('./readerStall/clients.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
const waiters = new Map<string, (v: number) => void>();
child.on('message', (m: { opened?: number; got?: number }) => {
  if (m.opened !== undefined) waiters.get('opened')?.(m.opened);
  if (m.got !== undefined) waiters.get(`got:${m.got}`)?.(m.got);
});
const wait = (key: string) => new Promise<number>((resolve) => waiters.set(key, resolve));

const opened = wait('opened');
child.send({ open: READERS, url, slug: file.slug });
console.log(`readers: ${await opened} connected and subscribed; fan-out turn: ${config.READER_FANOUT_TURN_MS ? `${config.READER_FANOUT_TURN_MS} ms` : 'all at once'}`);

// The probe: the longest gap between 1 ms timer callbacks is the longest the loop was held.
// The CPU the process used in that gap tells a busy loop from one the OS took the cores from.
let last = performance.now();
let lastCpu = process.cpuUsage();
let worst = 0;
let worstCpu: number;
setInterval(() => {
  const now = performance.now();
  const cpu = process.cpuUsage();
  if (now - last > worst) {
    worst = now - last;
    worstCpu = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
  }
  last = now;
  lastCpu = cpu;
}, 1).unref();

// Garbage-collection pauses, to tell them from the fan-out's own writes.
let gcWorst = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcWorst = Math.max(gcWorst, e.duration);
}).observe({ entryTypes: ['gc'] });

// The floor: the same probe with the readers connected and nothing sent (this machine's own noise).
worst = 0;
last = performance.now();
let floor = 0;
for (let i = 0; i < 20; i++) {
  await new Promise((r) => setTimeout(r, 100));
  floor = Math.max(floor, worst);
}
console.log(`idle floor (longest gap in 2 s, nothing sent): ${floor.toFixed(1)} ms`);

const stalls: number[] = [];
const gcs: number[] = [];
const cpus: number[] = [];
const deliveries: number[] = [];
let seq = await store.publishing.lastSeq(file.id);
for (let i = 0; i < CHANGES; i++) {
  await new Promise((r) => setTimeout(r, 150));
  const next = seq + 1;
  const got = wait(`got:${next}`);
  const t0 = performance.now();
  worst = 0;
  worstCpu = 0;
  gcWorst = 0;
  last = t0;
  lastCpu = process.cpuUsage();
  const id = `stall${String(i).padStart(15, '0')}`;
  const at = new Date().toISOString();
  const text = `Update ${i}: ${'a newsroom paragraph of ordinary length. '.repeat(8)}`;
  await server.services.publishing.record({ id, liveFileId: file.id, version: 1 } as never, {
    kind: 'published', revision: 1, html: `<p>${text}</p>`, text, doc: {}, headline: '', bylines: ['Desk'], authorIds: [], approverId: 'bench', at,
  });
  await got;
  deliveries.push(performance.now() - t0);
  stalls.push(worst);
  gcs.push(gcWorst);
  cpus.push(worstCpu);
  seq = next;
}
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const f = (x: number) => `${x.toFixed(1)} ms`;
console.log(`longest stall per change, ms: ${stalls.map((x) => x.toFixed(0)).join(' ')}`);
console.log(`CPU this process used in that gap, ms: ${cpus.map((x) => x.toFixed(0)).join(' ')}`);
console.log(`longest GC pause per change, ms: ${gcs.map((x) => x.toFixed(0)).join(' ')}`);
console.log(`longest loop stall per change: p50 ${f(q(stalls, 0.5))}, max ${f(Math.max(...stalls))}`);
console.log(`all ${READERS} readers have it after: p50 ${f(q(deliveries, 0.5))}, max ${f(Math.max(...deliveries))}`);
child.kill();
await server.close();
await store.close();
await rm(dataDir, { recursive: true, force: true });
process.exit(0);
