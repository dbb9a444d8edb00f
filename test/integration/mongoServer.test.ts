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

const run = mongoTestTarget.available || mongoTestTarget.mustRun;
if (!run) console.warn('mongo server tests SKIPPED: set MONGODB_TEST_URI or put ferretdb on PATH');

describe.runIf(run)('the same server on MongoDB (FerretDB in CI)', () => {
  let server: TestServer;
  beforeAll(async () => {
    const uri = await mongoTestTarget.uri();
    server = await startTestServer({ mongo: { uri, dbName: `server_${randomBytes(4).toString('hex')}` } });
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
