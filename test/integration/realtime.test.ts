import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { connectIo, nextEvent, waitForConnect, type TestSocket } from '../support/ioClient.js';

let server: TestServer;
const sockets: TestSocket[] = [];
const open = (cookie: string | null, opts?: Parameters<typeof connectIo>[2]) => {
  const s = connectIo(server.url, cookie, opts);
  sockets.push(s);
  return s;
};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server.close();
});

describe('Socket.IO', () => {
  it('[RT1] refuses a connection without a session', async () => {
    await expect(waitForConnect(open(null))).rejects.toThrow(/unauthenticated/);
  });

  it('[RT2] refuses a browser origin that is not allowed (polling and websocket)', async () => {
    const cookie = await signIn(server, 'editor');
    await expect(waitForConnect(open(cookie, { origin: 'https://evil.example' }))).rejects.toThrow();
    await expect(waitForConnect(open(cookie, { origin: 'https://evil.example', polling: true }))).rejects.toThrow();
  });

  it('[RT3] a second desk sees a new live file and a new entry without reload', async () => {
    const editorA = await signIn(server, 'editor');
    const editorB = await signIn(server, 'editor2');
    const watcher = open(editorB);
    await waitForConnect(watcher);
    const created = nextEvent(watcher, 'liveFile:created');
    const file = await api(server, editorA, 'POST', '/api/live-files', { title: 'Election night' });
    expect((await created).id).toBe(file.json.id);

    const ack = await watcher.emitWithAck('liveFile:watch', { liveFileId: file.json.id as string });
    expect(ack.ok).toBe(true);
    const entryCreated = nextEvent(watcher, 'entry:created');
    const entry = await api(server, editorA, 'POST', `/api/live-files/${file.json.id as string}/entries`, {
      idempotencyKey: randomUUID(),
      text: 'Polls closed at 20:00.',
    });
    const seen = await entryCreated;
    expect(seen.id).toBe(entry.json.id);
    expect(seen.preview).toBe('Polls closed at 20:00.');
  });

  it('[RT4] a command with a bad payload is acked with invalid_input', async () => {
    const s = open(await signIn(server, 'editor'));
    await waitForConnect(s);
    // Deliberately untyped payload: the server must not trust TypeScript.
    const ack = await (s as unknown as { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; error?: { code: string } }> }).emitWithAck(
      'liveFile:watch',
      { liveFileId: 12 },
    );
    expect(ack.ok).toBe(false);
    expect(ack.error?.code).toBe('invalid_input');
  });

  it('[RT5] signing out disconnects that session’s sockets', async () => {
    const cookie = await signIn(server, 'chief');
    const s = open(cookie);
    await waitForConnect(s);
    const revoked = nextEvent(s, 'session:revoked');
    const disconnected = new Promise((resolve) => s.once('disconnect', resolve));
    await api(server, cookie, 'DELETE', '/api/session');
    expect((await revoked).reason).toBe('signed-out');
    await disconnected;
  });

  it('[RT6] the HTTP server has exactly one upgrade listener', () => {
    expect(server.server.httpServer.listenerCount('upgrade')).toBe(1);
  });
});
