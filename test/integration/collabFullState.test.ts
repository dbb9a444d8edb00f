import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { docsUnloaded, openCollabDoc, until } from '../support/collabClients.js';
import { appendText, insertText, textOf } from '../support/entryText.js';
import { entryDocName } from '../../shared/collab/docName.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('the whole state handed to new clients', () => {
  it('[CO24] is cached per version, after a cold load is the stored snapshot as it is, and later edits flow both ways', async () => {
    const cookie = await signIn(server, 'editor');
    const fileId = (await api(server, cookie, 'POST', '/api/live-files', { title: 'Full state' })).json.id as string;
    const entry = await api(server, cookie, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() });
    const name = entryDocName(entry.json.id as string);
    const url = `${server.wsUrl}/collab`;

    const writer = await openCollabDoc(url, name, { headers: { cookie } });
    insertText(writer.doc, 0, 'Первый.');
    // A first write waits for its client-id claim to be stored, so it may land just after this sync.
    const second = await openCollabDoc(url, name, { headers: { cookie } });
    await until(second.doc, 'update', () => textOf(second.doc) === 'Первый.');
    appendText(writer.doc, ' Second.');
    await until(second.doc, 'update', () => textOf(second.doc) === 'Первый. Second.');
    const third = await openCollabDoc(url, name, { headers: { cookie } }); // served (and cached) now
    expect(textOf(third.doc)).toBe('Первый. Second.');
    for (const c of [writer, second, third]) c.destroy();

    // After the last leaves, the doc is compacted; a cold load serves the lone snapshot as it is.
    await docsUnloaded(server.server.collab);
    const cold = await openCollabDoc(url, name, { headers: { cookie } }); // the stored snapshot, not re-encoded
    expect(textOf(cold.doc)).toBe('Первый. Second.');
    const later = await openCollabDoc(url, name, { headers: { cookie } });
    insertText(later.doc, 0, '» ');
    appendText(cold.doc, ' Third.');
    const both = '» Первый. Second. Third.';
    await until(cold.doc, 'update', () => textOf(cold.doc) === both);
    await until(later.doc, 'update', () => textOf(later.doc) === both);
    cold.destroy();
    later.destroy();
  });
});
