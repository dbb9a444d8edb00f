// The per-address cap on long-lived connections (MAX_CONNECTIONS_PER_ADDRESS): collab websockets
// and Socket.IO sessions share one budget (anonymous Socket.IO sessions, readers, have their own:
// READER_MAX_CONNECTIONS_PER_ADDRESS); a refusal comes before any work; every close gives its
// place back. All clients here connect from 127.0.0.1.
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { connectIo, waitForConnect, type TestSocket } from '../support/ioClient.js';
import { fileDocName } from '../../shared/collab/docName.js';

const CAP = 5;
const READER_CAP = 3;
const HOME = '127.0.0.1';
let server: TestServer;
let editor: string;
let deskDoc: string;
const toClose: Array<{ close(): void }> = [];

beforeAll(async () => {
  server = await startTestServer({ env: { MAX_CONNECTIONS_PER_ADDRESS: String(CAP), READER_MAX_CONNECTIONS_PER_ADDRESS: String(READER_CAP) } });
  editor = await signIn(server, 'editor');
  const files = (await api(server, editor, 'GET', '/api/live-files')).json.liveFiles as { id: string }[];
  deskDoc = fileDocName(files[0].id);
});
afterEach(async () => {
  for (const c of toClose.splice(0)) c.close();
  await openCount(0);
});
afterAll(() => server.close());

const limiter = () => server.server.connections;

/** Resolves once the server counts `n` open connections from 127.0.0.1 (waits on the limiter, no sleeps). */
function openCount(n: number, timeoutMs = 5000): Promise<void> {
  if (limiter().count(HOME) === n) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`expected ${n} open connections, the server counts ${limiter().count(HOME)}`));
    }, timeoutMs);
    const stop = limiter().subscribe(() => {
      if (limiter().count(HOME) !== n) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

async function openCollab(): Promise<WebSocket> {
  const ws = new WebSocket(`${server.wsUrl}/collab/${deskDoc}`, { headers: { cookie: editor } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  toClose.push(ws);
  return ws;
}

/** A raw upgrade to `path`: the status and body the server answered before (or instead of) a 101. */
function rawUpgrade(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = request({
      host: url.hostname, port: url.port, path,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '', headers: res.headers });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function openIo(opts: { polling?: boolean; cookie?: string | null } = {}): Promise<TestSocket> {
  const socket = connectIo(server.url, opts.cookie === undefined ? editor : opts.cookie, { polling: opts.polling });
  toClose.push({ close: () => socket.disconnect() });
  await waitForConnect(socket);
  return socket;
}

/** An engine.io session over polling: anonymous, as a reader's page would start one, or with a cookie. */
async function pollingHandshake(cookie?: string): Promise<{ status: number; body: string; sid?: string }> {
  const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: cookie ? { cookie } : {} });
  const body = await res.text();
  const sid = res.status === 200 ? (JSON.parse(body.slice(1)) as { sid: string }).sid : undefined;
  if (sid) toClose.push({ close: () => void fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '1' }) });
  return { status: res.status, body, sid };
}

describe('per-address connection cap', () => {
  it('[CG8] past the cap a collab upgrade gets 429 before the 101; a close lets the next one in', async () => {
    const open = [];
    for (let i = 0; i < CAP; i++) open.push(await openCollab());
    await openCount(CAP);
    const refused = await rawUpgrade(`/collab/${deskDoc}`, { cookie: editor });
    expect(refused.status).toBe(429);
    expect(refused.headers.connection).toBe('close');
    expect(refused.body).toBe('too many connections from this address');
    // Refused before the session is even read: no session gets a 429 too, and nothing is counted.
    expect((await rawUpgrade(`/collab/${deskDoc}`)).status).toBe(429);
    expect(limiter().count(HOME)).toBe(CAP);

    open[0].close();
    await openCount(CAP - 1);
    const again = await openCollab();
    expect(again.readyState).toBe(WebSocket.OPEN);
  });

  it('[CG9] past the cap a Socket.IO connection gets connect_error (websocket and polling); a disconnect lets the next one in', async () => {
    const sockets: TestSocket[] = [];
    for (let i = 0; i < CAP; i++) sockets.push(await openIo({ polling: i % 2 === 1 }));
    await openCount(CAP);
    await expect(openIo()).rejects.toThrow();
    await expect(openIo({ polling: true })).rejects.toThrow();
    const handshake = await pollingHandshake(editor);
    expect(handshake.status).toBe(403);
    expect(JSON.parse(handshake.body).message).toBe('too many connections from this address');
    const ws = await rawUpgrade('/socket.io/?EIO=4&transport=websocket', { cookie: editor });
    expect(ws.status).toBe(400);
    expect(ws.body).toBe('too many connections from this address');
    expect(limiter().count(HOME)).toBe(CAP);

    sockets[1].disconnect(); // a polling one
    await openCount(CAP - 1);
    const next = await openIo();
    expect(next.connected).toBe(true);
  });

  it('[CG9] [RD9] collab and Socket.IO share one budget; anonymous engine sessions count in the readers\' budget instead', async () => {
    await openCollab();
    await openCollab();
    await openIo();
    await pollingHandshake(editor);
    await openIo({ polling: true });
    await openCount(CAP);
    // Anonymous sessions (readers) are let in past the desk's cap, up to their own.
    for (let i = 0; i < READER_CAP; i++) expect((await pollingHandshake()).status).toBe(200);
    expect(server.server.readerConnections.count(HOME)).toBe(READER_CAP);
    expect((await pollingHandshake()).status).toBe(403);
    expect(limiter().count(HOME)).toBe(CAP);
    expect((await rawUpgrade(`/collab/${deskDoc}`, { cookie: editor })).status).toBe(429);
    await expect(openIo({ polling: true })).rejects.toThrow();
    // An anonymous transport is let in below the cap, but the desk namespace still wants a session.
    toClose.splice(0).forEach((c) => c.close());
    await openCount(0);
    await expect.poll(() => server.server.readerConnections.count(HOME)).toBe(0);
    await expect(openIo({ cookie: null })).rejects.toThrow(/unauthenticated/);
  });

  it('[CG7] every way a connection ends gives its place back', async () => {
    // Refused after counting (no session, wrong document), cut short by ws (a bad key), an old
    // engine.io protocol, closed by the server (sign-out).
    for (let i = 0; i < 3 * CAP; i++) {
      expect((await rawUpgrade(`/collab/${deskDoc}`)).status).toBe(401);
      expect((await rawUpgrade('/collab/file:aaaaaaaaaaaaaaaa', { cookie: editor })).status).toBe(404);
      expect((await rawUpgrade('/socket.io/?EIO=4&transport=websocket', { 'sec-websocket-key': 'short' })).status).toBe(400);
      expect((await fetch(`${server.url}/socket.io/?EIO=3&transport=polling`)).status).toBe(400);
    }
    await openCount(0);

    const session = await signIn(server, 'editor2');
    const collab = new WebSocket(`${server.wsUrl}/collab/${deskDoc}`, { headers: { cookie: session } });
    await new Promise((resolve) => collab.once('open', resolve));
    await openCount(1);
    expect((await api(server, session, 'DELETE', '/api/session')).status).toBe(204); // the server closes it
    await openCount(0);

    for (let i = 0; i < CAP; i++) await openCollab();
    await openCount(CAP);
  });
});
