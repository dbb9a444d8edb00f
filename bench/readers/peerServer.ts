// Child process for bench/readers.ts: the floor and the peer, each alone in its own process.
//   --kind=ws  a bare `ws` WebSocketServer: on POST /trigger it writes the same bytes a /live
//              `change` carries (the Socket.IO packet text `42/live,["change",{…}]`, encoded once
//              into one Buffer) to every open socket as a text frame. Nothing else: the floor.
//   --kind=sio plain Socket.IO 4.8 (perMessageDeflate off, as ours): readers connect to the
//              namespace /live and join one room (the CONNECT auth's `room`, else 'readers');
//              POST /trigger {seq, entryId, room} does io.of('/live').to(room).emit.
// Both answer the trigger after the sends are queued, as one small HTTP request like a publish.
// IPC: 'ready' {url, pid}; requests memory (after GC), clients, profileStart/profileStop, shutdown. Start with --expose-gc.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { Server as SocketIoServer } from 'socket.io';
import { emit, serveRequests } from '../collab/lib/proc.js';
import { profilingRequests } from './profiling.js';

const kind = process.argv.find((a) => a.startsWith('--kind='))?.slice(7);
if (kind !== 'ws' && kind !== 'sio') throw new Error('--kind=ws|sio');

let template: Record<string, unknown> = {};
const ROOM = 'readers';

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

let broadcast: (change: Record<string, unknown>, room: string) => void = () => undefined;
let clientCount: () => number = () => 0;

const http = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (req.method === 'POST' && req.url === '/trigger') {
    body(req).then((b) => {
      broadcast({ ...template, seq: Number(b.seq), entryId: String(b.entryId) }, typeof b.room === 'string' ? b.room : ROOM);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }, (err: unknown) => res.writeHead(400).end(String(err)));
    return;
  }
  // engine.io answers its own paths (sio); everything else is a 404.
  if (!req.url?.startsWith('/socket.io/')) res.writeHead(404).end();
});
http.keepAliveTimeout = 60_000;

if (kind === 'ws') {
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: true });
  wss.on('connection', (ws: WebSocket) => ws.on('error', () => ws.terminate()));
  broadcast = (change) => {
    const bytes = Buffer.from('42/live,' + JSON.stringify(['change', change]));
    for (const ws of wss.clients) if (ws.readyState === 1) ws.send(bytes, { binary: false });
  };
  clientCount = () => wss.clients.size;
} else {
  const io = new SocketIoServer(http, { serveClient: false, perMessageDeflate: false, transports: ['websocket'] });
  const live = io.of('/live');
  // A reader asks for its room in the CONNECT packet's auth (the bench's wire clients: 'wire').
  live.on('connection', (socket) => void socket.join(typeof socket.handshake.auth.room === 'string' ? socket.handshake.auth.room : ROOM));
  broadcast = (change, room) => void live.to(room).emit('change', change);
  clientCount = () => live.sockets.size;
}

const gc = (globalThis as { gc?: () => void }).gc;
serveRequests({
  ...profilingRequests(),
  setTemplate: (a) => {
    template = a.change as Record<string, unknown>;
    return true;
  },
  memory: () => {
    if (gc) for (let i = 0; i < 4; i++) gc();
    return process.memoryUsage();
  },
  clients: () => clientCount(),
  cpu: () => process.cpuUsage(),
  shutdown: () => {
    setImmediate(() => process.exit(0));
    return true;
  },
});
process.on('SIGTERM', () => process.exit(0));

http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as { port: number };
  emit('ready', { url: `http://127.0.0.1:${port}`, pid: process.pid });
});
