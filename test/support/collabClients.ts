// Collab test clients: the stock WebsocketProvider (as browsers use it), raw ws sockets for
// hostile frames, and a minimal HTTP server standing in for upgrade.ts.
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { MESSAGE_READ_ONLY } from '../../shared/collab/closeCodes.js';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { pino } from 'pino';
import type { DocRepo } from '../../server/store/Store.js';
import type { CollabAccess } from '../../server/collab/CollabService.js';
import { openDocLogs } from '../../server/store/embedded/docLogs.js';
import { ROLES, type Role } from '../../shared/roles.js';
import { createCollabService, type CollabServiceHandle, type CollabServiceOptions } from '../../server/collab/createCollabService.js';

// Listener signatures differ per emitter (ws, lib0 Observable); any keeps one helper for all.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;
interface Emitter {
  on(event: string, fn: Listener): unknown;
  off(event: string, fn: Listener): unknown;
}

/** A session end far enough away never to matter in a test (x-session-expires overrides it). */
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

/** Resolves with the event's arguments; rejects with a message naming the event after timeoutMs. */
export function waitFor<T extends unknown[] = unknown[]>(emitter: Emitter, event: string, timeoutMs = 5000, accept?: (...args: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, handler);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for '${event}'`));
    }, timeoutMs);
    const handler: Listener = (...args) => {
      if (accept && !accept(...(args as T))) return;
      clearTimeout(timer);
      emitter.off(event, handler);
      resolve(args as T);
    };
    emitter.on(event, handler);
  });
}

/** Polls a condition on each emitted event (no sleeps): resolves once it holds. */
export async function until(emitter: Emitter, event: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  if (cond()) return;
  await waitFor(emitter, event, timeoutMs, () => cond());
}

function headerSocket(headers: Record<string, string>) {
  // ws accepts headers as a third constructor argument; the stock provider passes two.
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
}

export interface CollabClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Set when the server sent MESSAGE_READ_ONLY (the stock client would only log it). */
  readOnlyReason?: string;
  /** Resolves when (re)connected and synced. */
  ensureConnected(): Promise<void>;
  destroy(): void;
}

export async function openCollabDoc(url: string, docName: string, opts: { headers?: Record<string, string>; doc?: Y.Doc; connect?: boolean } = {}): Promise<CollabClient> {
  const doc = opts.doc ?? new Y.Doc();
  // The provider's type wants the DOM WebSocket; ws's class is the documented Node stand-in.
  const WebSocketPolyfill = headerSocket(opts.headers ?? {}) as unknown as typeof globalThis.WebSocket;
  const provider = new WebsocketProvider(url, docName, doc, { WebSocketPolyfill, disableBc: true, connect: opts.connect ?? true, maxBackoffTime: 300 });
  const ensureConnected = async () => {
    if (!provider.shouldConnect) provider.connect();
    if (!provider.synced) await waitFor(provider as unknown as Emitter, 'sync', 10_000, (s: boolean) => s);
  };
  const client: CollabClient = { doc, provider, ensureConnected, destroy: () => { provider.destroy(); doc.destroy(); } };
  // What client/ controllers do: handle the custom frame instead of "Unable to compute message".
  provider.messageHandlers[MESSAGE_READ_ONLY] = (_enc, dec) => {
    client.readOnlyReason = decoding.readVarString(dec);
  };
  if (opts.connect !== false) await ensureConnected();
  return client;
}

/** A raw socket, open, with every received frame recorded in `frames`. */
export async function openRawCollab(url: string, docName: string, headers: Record<string, string> = {}): Promise<WebSocket & { frames: Uint8Array[] }> {
  const ws = new WebSocket(`${url}/${docName}`, { headers }) as WebSocket & { frames: Uint8Array[] };
  ws.frames = [];
  ws.on('message', (data: Buffer) => ws.frames.push(new Uint8Array(data)));
  await waitFor(ws, 'open');
  return ws;
}

export interface CollabTestServer {
  url: string;
  service: CollabServiceHandle;
  /** The repo the service runs over now: the embedded doc log unless the test passed its own. */
  docs: DocRepo;
  /** Warn+ log records, parsed. */
  logs: Array<Record<string, unknown>>;
  /**
   * Shuts the service down and starts a new one on the same port: over `docs` when given, else
   * over the same repo (the embedded doc log this helper opened is closed and reopened from disk,
   * as a process restart would).
   */
  restart(docs?: DocRepo): Promise<void>;
  close(): Promise<void>;
}

export type CollabTestServerOptions = Partial<CollabServiceOptions>;

/**
 * A stand-in for upgrade.ts: /collab/<docName>, identity from x-account / x-session / x-role
 * headers, read-only when x-read-only is set. No auth: that is upgrade.ts's job and its own tests.
 * Runs over the real embedded doc log (`openDocLogs` in a temp dir, removed on close) unless
 * `docs` is given (a memoryDocRepo for its gates, holds and counters). `authorize` and the other
 * CollabServiceOptions pass through.
 */
export async function startCollabServer(opts: CollabTestServerOptions = {}): Promise<CollabTestServer> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write(chunk, _enc, done) { logs.push(JSON.parse(String(chunk))); done(); } });
  const logger = pino({ level: 'warn' }, sink);
  // The helper's own store, when the test brought none: opened here, closed and removed on close.
  let ownDir: string | null = null;
  let ownLogs: (DocRepo & { close(): Promise<void> }) | null = null;
  if (!opts.docs) {
    ownDir = await mkdtemp(join(tmpdir(), 'livedesk-collab-'));
    ownLogs = await openDocLogs(ownDir);
  }
  const make = (docs: DocRepo) => createCollabService({ compactEvery: 50, heartbeatMs: 0, ...opts, docs, logger });
  let currentDocs: DocRepo = opts.docs ?? ownLogs!;
  const self = { service: make(currentDocs) } as CollabTestServer;
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const match = /^\/collab\/([^/]+)$/.exec(path);
    if (!match) return void socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    const h = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const account = h('x-account') ?? 'acct-editor-1';
    const role = (ROLES as readonly string[]).includes(h('x-role') ?? '') ? (h('x-role') as Role) : 'editor';
    const access: CollabAccess = {
      identity: { accountId: account, sessionId: h('x-session') ?? `sess-${account}`, sessionExpiresAt: h('x-session-expires') ?? FAR_FUTURE, displayName: `Name ${account}`, color: '#123456', role },
      readOnly: h('x-read-only') === '1',
    };
    self.service.handleUpgrade(req, socket, head, decodeURIComponent(match[1]), access);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(self, {
    url: `ws://127.0.0.1:${port}/collab`,
    logs,
    async restart(docs?: DocRepo) {
      await self.service.shutdown();
      if (docs) currentDocs = docs;
      else if (ownLogs && currentDocs === ownLogs) {
        await ownLogs.close();
        ownLogs = await openDocLogs(ownDir!);
        currentDocs = ownLogs;
      }
      self.service = make(currentDocs);
    },
    async close() {
      await self.service.shutdown();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownLogs) await ownLogs.close();
      if (ownDir) await rm(ownDir, { recursive: true, force: true });
    },
  });
  Object.defineProperty(self, 'docs', { get: () => currentDocs, enumerable: true });
  return self;
}

/** What a fresh load would see: the stored doc, encoded (compare before/after hostile frames). */
export async function storedState(docs: DocRepo, docName: string): Promise<Uint8Array> {
  const stored = await docs.load(docName);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u.update);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/** Waits until the server is down to no docs in memory. */
export async function docsUnloaded(service: CollabServiceHandle): Promise<void> {
  await until(service.events, 'unloaded', () => service.stats().loadedDocs === 0);
  await service.idle();
}
