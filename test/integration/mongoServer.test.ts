import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { openCollabDoc, until } from '../support/collabClients.js';
import { insertText, textOf } from '../support/entryText.js';
import { mongoTestTarget } from '../support/mongoTestUri.js';
import { findFerretDbBinary, startFerretDb } from '../support/ferretdb.js';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { readDeskOrder } from '../../shared/collab/deskDoc.js';
import { KK, RU, sameBytes } from '../support/fixtures.js';
import { MongoClient } from 'mongodb';
import { newsroomPeople } from '../support/newsroomPeople.js';
import { newEntry, publicGet, slugOf, transition } from '../support/workflowApi.js';

const run = mongoTestTarget.available || mongoTestTarget.mustRun;
if (!run) console.warn('mongo server tests SKIPPED: set MONGODB_TEST_URI or put ferretdb on PATH');

describe.runIf(run)('the same server on MongoDB (FerretDB in CI)', () => {
  let server: TestServer;
  const dbName = `server_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    const uri = await mongoTestTarget.uri();
    server = await startTestServer({ mongo: { uri, dbName } });
  });
  afterAll(() => server?.close());

  it('[MS1] readiness reports the mongo store', async () => {
    const ready = await api(server, null, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json.store).toBe('mongo');
  });

  it('[MS2] the demo newsroom, sign-in, entries and the desk document behave as on the embedded store', async () => {
    const editor = await signIn(server, 'editor');
    const files = (await api(server, editor, 'GET', '/api/live-files')).json.liveFiles as { id: string; entryCount: number }[];
    expect(files[0].entryCount).toBe(12);
    const created = await api(server, editor, 'POST', `/api/live-files/${files[0].id}/entries`, { idempotencyKey: randomUUID(), text: `${RU}\n\n${KK}` });
    expect(created.status).toBe(201);
    expect(sameBytes(created.json.preview as string, `${RU}\n\n${KK}`)).toBe(true);
    const desk = await openCollabDoc(`${server.wsUrl}/collab`, fileDocName(files[0].id), { headers: { cookie: editor } });
    expect(readDeskOrder(desk.doc).map((i) => i.entryId)).toContain(created.json.id);
    desk.destroy();
  });

  it('[MS3] the stock client syncs a document and finds it again after a restart', async () => {
    const editor = await signIn(server, 'editor');
    const files = (await api(server, editor, 'GET', '/api/live-files')).json.liveFiles as { id: string }[];
    const created = await api(server, editor, 'POST', `/api/live-files/${files[0].id}/entries`, { idempotencyKey: randomUUID() });
    const name = entryDocName(created.json.id as string);
    const a = await openCollabDoc(`${server.wsUrl}/collab`, name, { headers: { cookie: editor } });
    insertText(a.doc, 0, KK);
    const b = await openCollabDoc(`${server.wsUrl}/collab`, name, { headers: { cookie: editor } });
    // The first write waits for its client-id claim to be stored: wait for the broadcast.
    await until(b.doc, 'update', () => textOf(b.doc) === KK);
    a.destroy();
    b.destroy();
    await server.restart();
    const c = await openCollabDoc(`${server.wsUrl}/collab`, name, { headers: { cookie: await signIn(server, 'editor') } });
    expect(sameBytes(textOf(c.doc), KK)).toBe(true);
    c.destroy();
  });

  it('[MS5] submitted, raced by 20 chiefs, published once into MongoDB; the public API serves it byte-exact from the reader collections and their indexes', async () => {
    const people = newsroomPeople(() => server);
    const correspondent = await people.demoPerson('correspondent');
    const chiefs = await Promise.all(Array.from({ length: 20 }, () => people.newPerson('chief')));
    const fileId = await people.newLiveFile(await people.demoPerson('editor'), 'Mongo');
    const text = `${RU}\n\n${KK}\n\nمرحبا بالعالم`;
    const entry = await newEntry(server, correspondent, fileId, text, 'Алматы');
    expect((await transition(server, correspondent, entry.id, 'submit', { version: entry.version })).status).toBe(200);
    const results = await Promise.all(chiefs.map((c) => transition(server, c, entry.id, 'publish', { version: entry.version + 1 })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    const page = await publicGet(server, `/api/public/live/${encodeURIComponent(await slugOf(server, fileId))}`);
    const [published] = page.json.entries as Array<{ id: string; text: string; headline: string }>;
    expect(published.id).toBe(entry.id);
    expect(sameBytes(published.text, text)).toBe(true);
    expect(sameBytes(published.headline, 'Алматы')).toBe(true);
    expect((await server.store.publishing.changesAfter(fileId, 0, 100)).map((c) => c.seq)).toEqual([1]);
    expect((await server.store.audit.listByEntry(entry.id)).filter((a) => a.action === 'publish')).toHaveLength(1);
    const client = new MongoClient(await mongoTestTarget.uri());
    try {
      const db = client.db(dbName);
      const indexNames = async (name: string) => (await db.collection(name).indexes()).map((i) => i.name);
      expect(await indexNames('readerChanges')).toEqual(expect.arrayContaining([expect.stringMatching(/seq/i)]));
      expect((await indexNames('readerEntries')).length).toBeGreaterThan(1);
      expect(await db.collection('readerChanges').countDocuments({ entryId: entry.id })).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe.runIf(findFerretDbBinary() !== null || mongoTestTarget.mustRun)('readiness while the database goes away', () => {
  it('[MS4] /readyz turns 503 naming the store when MongoDB stops, /healthz stays 200', async () => {
    const ferret = await startFerretDb();
    const server = await startTestServer({ seed: false, mongo: { uri: ferret.uri, dbName: 'readyz' } });
    try {
      expect((await api(server, null, 'GET', '/readyz')).status).toBe(200);
      await ferret.stop();
      const ready = await api(server, null, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.json.store).toBe('mongo');
      expect((await api(server, null, 'GET', '/healthz')).status).toBe(200);
    } finally {
      await server.server.close();
      await server.store.close().catch(() => undefined);
    }
  });
});
