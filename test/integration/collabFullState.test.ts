import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { docsUnloaded, openCollabDoc, until } from '../support/collabClients.js';
import { entryDocName } from '../../shared/collab/docName.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('the whole state handed to new clients', () => {
  it('[CO24] is cached per version, served from the store while a cold doc builds, and later edits flow both ways', async () => {
    const cookie = await signIn(server, 'editor');
    const fileId = ((await api(server, cookie, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
    const entry = await api(server, cookie, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() });
    const name = entryDocName(entry.json.id as string);
    const url = `${server.wsUrl}/collab`;

    const writer = await openCollabDoc(url, name, { headers: { cookie } });
    const text = writer.doc.getText('t');
    text.insert(0, 'Первый.');
    const second = await openCollabDoc(url, name, { headers: { cookie } }); // served (and cached) now
    expect(second.doc.getText('t').toString()).toBe('Первый.');
    text.insert(text.length, ' Second.');
    await until(second.doc, 'update', () => second.doc.getText('t').toString() === 'Первый. Second.');
    const third = await openCollabDoc(url, name, { headers: { cookie } });
    expect(third.doc.getText('t').toString()).toBe('Первый. Second.');
    for (const c of [writer, second, third]) c.destroy();

    // After the last leaves, the doc is compacted; a cold load serves the lone snapshot as it is.
    await docsUnloaded(server.server.collab);
    const cold = await openCollabDoc(url, name, { headers: { cookie } }); // served from the stored bytes
    expect(cold.doc.getText('t').toString()).toBe('Первый. Second.');
    const later = await openCollabDoc(url, name, { headers: { cookie } });
    later.doc.getText('t').insert(0, '» ');
    cold.doc.getText('t').insert(cold.doc.getText('t').length, ' Third.');
    const both = '» Первый. Second. Third.';
    await until(cold.doc, 'update', () => cold.doc.getText('t').toString() === both);
    await until(later.doc, 'update', () => later.doc.getText('t').toString() === both);
    cold.destroy();
    later.destroy();
  });
});
