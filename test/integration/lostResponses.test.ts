import { randomUUID } from 'node:crypto';
import { createServer as createTcpServer, connect, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { photoWithSecrets } from '../support/photos.js';
import { connectIo, nextDisconnect, waitForConnect } from '../support/ioClient.js';

/**
 * A proxy that forwards each request to the server whole, then cuts the client off the moment
 * the server starts answering: the request was done, its response is lost. What a phone on one
 * bar sees. Resolves `answered` when the server's first response byte reached the proxy.
 */
function responseDropper(target: URL): Promise<{ url: string; answered: () => Promise<void>; close(): Promise<void> }> {
  let signal: (() => void) | null = null;
  const server: Server = createTcpServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.pipe(upstream);
    upstream.once('data', () => {
      client.destroy();
      upstream.destroy();
      signal?.();
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as { port: number }).port;
    resolve({
      url: `http://127.0.0.1:${port}`,
      answered: () => new Promise<void>((r) => { signal = r; }),
      close: () => new Promise<void>((r) => server.close(() => r())),
    });
  }));
}

let server: TestServer;
const people = newsroomPeople(() => server);
let correspondent: Person;
let admin: Person;
let fileId: string;

beforeAll(async () => {
  server = await startTestServer();
  correspondent = await people.newPerson('correspondent');
  admin = await people.newPerson('admin');
  fileId = await people.newLiveFile(await people.newPerson('editor'), 'Lost responses');
});
afterAll(() => server.close());

describe('exactly once over a network that loses responses', () => {
  it('[FS4] a filing, a photo and a submit whose responses were lost are done once: the retry under the same key answers the first result', async () => {
    const drop = await responseDropper(new URL(server.url));
    const lost = async (path: string, init: RequestInit) => {
      const answered = drop.answered();
      await expect(fetch(`${drop.url}${path}`, init)).rejects.toThrow();
      await answered; // the server did the work: its answer started
    };
    const photoBytes = await photoWithSecrets({ width: 900, height: 600 });
    const photoKey = randomUUID();
    const photoInit = () => ({ method: 'POST', headers: { 'content-type': 'image/jpeg', 'idempotency-key': photoKey, cookie: correspondent.cookie }, body: photoBytes });
    await lost('/api/media', photoInit());
    const photo = await fetch(`${server.url}/api/media`, photoInit());
    expect(photo.status).toBe(200); // the first, stored while its response was lost
    const media = (await photo.json()) as { id: string };

    const filing = { idempotencyKey: randomUUID(), text: 'Сеть пропадает.', photos: [{ mediaId: media.id, caption: 'Площадь', credit: 'Д. С.' }] };
    const filingInit = () => ({ method: 'POST', headers: { 'content-type': 'application/json', cookie: correspondent.cookie }, body: JSON.stringify(filing) });
    await lost(`/api/live-files/${fileId}/entries`, filingInit());
    const created = await fetch(`${server.url}/api/live-files/${fileId}/entries`, filingInit());
    expect(created.status).toBe(200);
    const entry = (await created.json()) as { id: string; version: number };

    const submitKey = randomUUID();
    const submitInit = () => ({ method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': submitKey, cookie: correspondent.cookie }, body: JSON.stringify({ version: entry.version }) });
    await lost(`/api/entries/${entry.id}/submit`, submitInit());
    const submitted = await fetch(`${server.url}/api/entries/${entry.id}/submit`, submitInit());
    expect(submitted.status).toBe(200);
    expect(((await submitted.json()) as { status: string }).status).toBe('submitted');

    const mine = (await server.store.entries.listByLiveFile(fileId)).filter((e) => e.authorId === correspondent.account.id);
    expect(mine).toHaveLength(1);
    expect((await server.store.audit.listByEntry(entry.id)).filter((a) => a.action === 'submit')).toHaveLength(1);
    expect(await server.store.media.findByIdempotencyKey(correspondent.account.id, photoKey)).toMatchObject({ id: media.id });
    await drop.close();
  });

  it('[FS5] a lost phone: an admin ends every session of the correspondent; her open socket is told and cut within a second, and nothing more can be sent with them', async () => {
    const phone = await people.signInWith(correspondent.account.username, (await Promise.resolve(correspondent)).password!);
    const socket = connectIo(server.url, phone);
    await waitForConnect(socket);
    const cut = nextDisconnect(socket, 1000);
    const started = Date.now();
    const res = await api(server, admin.cookie, 'DELETE', `/api/accounts/${correspondent.account.id}/sessions`);
    expect(res.status).toBe(200);
    await cut;
    expect(Date.now() - started).toBeLessThan(1000);
    const after = await api(server, phone, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID(), text: 'From a stolen phone.' });
    expect(after.status).toBe(401);
    const byEditor = await api(server, (await people.newPerson('editor')).cookie, 'DELETE', `/api/accounts/${correspondent.account.id}/sessions`);
    expect(byEditor.status).toBe(403);
  });
});
