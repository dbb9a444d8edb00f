// A store written by an earlier build (with the history squash) still opens (docs/spec.md SU5, SU6).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { entryDocName } from '../../shared/collab/docName.js';
import { openCollabDoc, until } from '../support/collabClients.js';
import { insertText, textOf } from '../support/entryText.js';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('stores from earlier builds', () => {
  it('[SU5] leftover retired lineages (<doc>#lineage-n) are deleted at start-up; other documents stay', async () => {
    const cookie = await signIn(server, 'editor');
    const fileId = ((await api(server, cookie, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
    const entry = (await api(server, cookie, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID(), text: 'Живой текст' })).json as unknown as { id: string };
    const name = entryDocName(entry.id);
    const old = new Y.Doc();
    insertText(old, 0, 'retired history');
    await server.store.docs.compact(`${name}#lineage-1`, Y.encodeStateAsUpdate(old), []);
    await server.store.docs.compact(`${name}#lineage-2`, Y.encodeStateAsUpdate(old), []);
    expect((await server.store.docs.listNames()).filter((n) => n.includes('#lineage-'))).toHaveLength(2);
    await server.restart();
    const names = await server.store.docs.listNames();
    expect(names.filter((n) => n.includes('#lineage-'))).toEqual([]);
    expect(names).toContain(name);
    const reader = await openCollabDoc(`${server.wsUrl}/collab`, name, { headers: { cookie: await signIn(server, 'editor') } });
    expect(textOf(reader.doc)).toBe('Живой текст');
    reader.destroy();
  });

  it('[SU6] a leftover lineage map inside an entry is ignored: the entry opens and editors keep writing', async () => {
    const cookie = await signIn(server, 'editor');
    const fileId = ((await api(server, cookie, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
    const entry = (await api(server, cookie, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() })).json as unknown as { id: string };
    const name = entryDocName(entry.id);
    const legacy = new Y.Doc();
    insertText(legacy, 0, 'Squashed once. ');
    legacy.getMap('lineage').set('retired', [1, 2, 3]); // what the squash wrote
    await server.store.docs.append(name, Y.encodeStateAsUpdate(legacy));
    await server.restart();
    const again = await signIn(server, 'editor');
    const a = await openCollabDoc(`${server.wsUrl}/collab`, name, { headers: { cookie: again } });
    const b = await openCollabDoc(`${server.wsUrl}/collab`, name, { headers: { cookie: again } });
    expect(textOf(a.doc)).toBe('Squashed once. ');
    insertText(a.doc, textOf(a.doc).length, 'Still editable.');
    await until(b.doc, 'update', () => textOf(b.doc) === 'Squashed once. Still editable.');
    expect(a.provider.wsconnected).toBe(true);
    a.destroy();
    b.destroy();
  });
});
