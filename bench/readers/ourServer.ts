// Child process for bench/readers.ts: the real Livedesk server (createServer over a temp embedded
// store, the demo newsroom seeded: editors, a chief, the live file 'almaty-floods'), LOG_LEVEL
// silent, on 127.0.0.1:0, with the per-address caps off (every bench reader comes from loopback).
// Its own process, so its memory is its own and its loop is not shared with the readers.
// IPC: 'ready' {url, logins, pid}; requests memory (after GC), cpu, profileStart/profileStop, dropReaders (destroys the TCP
// socket of every Socket.IO connection: the readers see a transport close and reconnect, as after
// a proxy restart or a network blip), shutdown. Start with --expose-gc.
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { createServer } from '../../server/createServer.js';
import { openEmbeddedStore } from '../../server/store/embedded/openEmbeddedStore.js';
import { seedDemo } from '../../server/seed/seedDemo.js';
import { emit, REPO_ROOT, serveRequests } from '../collab/lib/proc.js';
import { profilingRequests } from './profiling.js';

const dataDir = await mkdtemp(join(tmpdir(), 'livedesk-bench-readers-'));
const config = loadConfig({
  ...process.env, LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'silent', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', MONGODB_URI: undefined,
  MAX_CONNECTIONS_PER_ADDRESS: '0', READER_MAX_CONNECTIONS_PER_ADDRESS: '0',
  LOGIN_MAX_FAILURES_PER_ACCOUNT: '0', LOGIN_MAX_FAILURES_PER_ADDRESS: '0',
});
const logger = createLogger(config.LOG_LEVEL);
const store = await openEmbeddedStore({ dir: dataDir });
const server = createServer({ config, logger, store, clientDir: join(REPO_ROOT, 'dist') });
const logins = (await seedDemo({ store, accounts: server.services.accounts, collab: server.collab, workflow: server.services.workflow })) ?? [];

// The TCP sockets of Socket.IO websockets (readers), to drop them all at once. Listened to beside
// upgrade.ts's own listener (it replaced Socket.IO's, in createServer, before this one).
const ioSockets = new Set<Socket>();
server.httpServer.on('upgrade', (req: IncomingMessage, socket: Socket) => {
  if (!(req.url ?? '').startsWith('/socket.io/')) return;
  ioSockets.add(socket);
  socket.once('close', () => ioSockets.delete(socket));
});

// The publish path inside this process: a publish request's arrival → its change stored and handed
// to the reader feed ('reader:change', where the first batch of writes goes out) → its response
// sent. Reported by the 'publishPath' request, so the delivery table can say where the time goes.
const publishArrivals = new Map<string, number>();
const publishPath: Array<{ toChange: number; toResponse: number }> = [];
const toChange = new Map<string, number>();
server.httpServer.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
  const m = req.method === 'POST' ? /^\/api\/entries\/([^/]+)\/publish$/.exec(req.url ?? '') : null;
  if (!m) return;
  const entryId = m[1]!, t0 = performance.now();
  publishArrivals.set(entryId, t0);
  res.once('finish', () => {
    publishArrivals.delete(entryId);
    const changed = toChange.get(entryId);
    toChange.delete(entryId);
    if (changed !== undefined) publishPath.push({ toChange: changed, toResponse: performance.now() - t0 });
  });
});
server.services.events.prependListener('reader:change', (change) => {
  const t0 = publishArrivals.get(change.entryId);
  if (t0 !== undefined) toChange.set(change.entryId, performance.now() - t0);
});
const url = await server.listen(0, '127.0.0.1');
await (server.collab as unknown as { idle?: () => Promise<void> }).idle?.();

const gc = (globalThis as { gc?: () => void }).gc;
let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await server.close().catch(() => {});
  await store.close().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
}

serveRequests({
  memory: () => {
    if (gc) for (let i = 0; i < 4; i++) gc();
    return process.memoryUsage();
  },
  cpu: () => process.cpuUsage(),
  /** The publish path's server-side times since the last call (ms), then forgotten. */
  publishPath: () => publishPath.splice(0),
  ioSockets: () => ioSockets.size,
  dropReaders: () => {
    const n = ioSockets.size;
    for (const s of ioSockets) s.destroy();
    return n;
  },
  ...profilingRequests(), // --profile
  shutdown: async () => {
    await shutdown();
    setImmediate(() => process.exit(0)); // --cpu-prof writes its profile on exit
    return true;
  },
});
process.on('SIGTERM', () => void shutdown().then(() => process.exit(0)));
emit('ready', { url, logins, pid: process.pid });
