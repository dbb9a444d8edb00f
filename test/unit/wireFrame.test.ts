import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { sendWireFrame, WireFrame } from '../../server/edgeSupport/wireFrame.js';

// A real ws server and client on loopback: the client's ws parser is the judge of the frames.
let wss: WebSocketServer;
let serverSide: WebSocket;
let client: WebSocket;
const received: Buffer[] = [];
let onReceive: (() => void) | null = null;

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as { port: number };
  const connected = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false, maxPayload: 1 << 24 });
  client.on('message', (data: Buffer) => {
    received.push(data);
    onReceive?.();
  });
  serverSide = await connected;
});

afterAll(async () => {
  client.close();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

function nextMessages(n: number): Promise<Buffer[]> {
  const start = received.length;
  return new Promise((resolve) => {
    const check = () => {
      if (received.length >= start + n) {
        onReceive = null;
        resolve(received.slice(start, start + n));
      }
    };
    onReceive = check;
    check();
  });
}

const payloadOf = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);

describe('wire frames (one encoding per broadcast)', () => {
  it('[CO25] frames of every length class arrive byte-exact, in order', async () => {
    // 7-bit, 16-bit and 64-bit length fields, at and around each boundary.
    const lengths = [0, 1, 125, 126, 127, 65535, 65536, 200_000];
    const arriving = nextMessages(lengths.length);
    for (const length of lengths) sendWireFrame(serverSide, new WireFrame(payloadOf(length)));
    const got = await arriving;
    expect(got.map((b) => b.length)).toEqual(lengths);
    got.forEach((b, i) => expect(Buffer.compare(b, Buffer.from(payloadOf(lengths[i])))).toBe(0));
  });

  it('[CO25] an idle ws takes the one-write path (if a ws upgrade renames its internals, this fails)', async () => {
    const viaWs = vi.spyOn(serverSide, 'send');
    const arriving = nextMessages(1);
    sendWireFrame(serverSide, new WireFrame(payloadOf(300)));
    expect(viaWs).not.toHaveBeenCalled();
    expect((await arriving)[0]!.length).toBe(300);
    viaWs.mockRestore();
  });

  it('[CO25] the wire bytes are built once and shared', () => {
    const frame = new WireFrame(payloadOf(10));
    expect(frame.wire).toBe(frame.wire);
    expect([...frame.wire.subarray(0, 2)]).toEqual([0x82, 10]);
  });

  it('[CO25] while ws has frames queued, it falls back to ws.send so nothing overtakes', async () => {
    const sender = (serverSide as unknown as { _sender: { _state: number } })._sender;
    const arriving = nextMessages(3);
    serverSide.send(Buffer.from('first'));
    sender._state = 1; // what ws does while it deflates or reads a Blob: later sends queue
    const queued = new Promise<void>((resolve) => serverSide.send(Buffer.from('second'), () => resolve()));
    sendWireFrame(serverSide, new WireFrame(Buffer.from('third')));
    sender._state = 0;
    (serverSide as unknown as { _sender: { dequeue(): void } })._sender.dequeue();
    await queued;
    expect((await arriving).map((b) => b.toString())).toEqual(['first', 'second', 'third']);
  });

  it('[CO25] [RD8] a text frame (opcode 1) arrives as the UTF-8 text it was built from, Cyrillic, Kazakh and Arabic byte-exact', async () => {
    const text = '42/live,["change",{"headline":"Алматы: су тасқыны — فيضانات"}]';
    const frame = new WireFrame(Buffer.from(text, 'utf8'), true);
    expect(frame.wire[0]).toBe(0x81);
    const arriving = new Promise<{ data: Buffer; isBinary: boolean }>((resolve) => client.once('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary })));
    const counted = nextMessages(1);
    sendWireFrame(serverSide, frame);
    const got = await arriving;
    await counted;
    expect(got.isBinary).toBe(false);
    expect(got.data.toString('utf8')).toBe(text);
  });
});
