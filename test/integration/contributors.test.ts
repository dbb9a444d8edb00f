import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { openCollabDoc } from '../support/collabClients.js';
import { connectIo, nextEvent, waitForConnect } from '../support/ioClient.js';
import { entryDocName } from '../../shared/collab/docName.js';
import { AR, sameBytes } from '../support/fixtures.js';

let server: TestServer;
let fileId: string;
beforeAll(async () => {
  server = await startTestServer();
  const editor = await signIn(server, 'editor');
  fileId = ((await api(server, editor, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
});
afterAll(() => server.close());

describe('contributors, preview, bylines and headline', () => {
  it('[EN5] an entry records who changed it from the connection identity, and its preview follows the text', async () => {
    const editor = await signIn(server, 'editor');
    const editor2 = await signIn(server, 'editor2');
    const created = await api(server, editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID(), text: 'First line.' });
    const entryId = created.json.id as string;
    const watcher = connectIo(server.url, editor);
    await waitForConnect(watcher);
    await watcher.emitWithAck('liveFile:watch', { liveFileId: fileId });

    const client = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(entryId), { headers: { cookie: editor2 } });
    const updated = nextEvent(watcher, 'entry:updated', 10_000);
    const fragment = client.doc.getXmlFragment('prosemirror');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(AR)]);
    fragment.insert(fragment.length, [paragraph]);

    const seen = await updated;
    expect(seen.id).toBe(entryId);
    const me2 = (await api(server, editor2, 'GET', '/api/session')).json.account as { id: string };
    expect(seen.contributorIds).toContain(me2.id);
    expect(sameBytes(seen.preview, `First line.\n\n${AR}`)).toBe(true);
    client.destroy();
    watcher.disconnect();
  });

  it('[EN9] an edit that changes nothing the desk lists writes nothing and broadcasts nothing', async () => {
    const editor = await signIn(server, 'editor');
    const long = 'Долгий текст. '.repeat(50); // past the 500-character preview
    const created = await api(server, editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID(), text: long });
    const entryId = created.json.id as string;
    const watcher = connectIo(server.url, editor);
    await waitForConnect(watcher);
    await watcher.emitWithAck('liveFile:watch', { liveFileId: fileId });
    const seen: string[] = [];
    watcher.on('entry:updated', (e) => {
      if (e.id === entryId) seen.push(e.preview);
    });

    const client = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(entryId), { headers: { cookie: editor } });
    const text = (client.doc.getXmlFragment('prosemirror').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(text.length, ' конец'); // beyond the preview: invisible on the desk
    // Then a visible edit, far enough apart to be reported on its own (the hook fires at most every 500 ms).
    const visible = nextEvent(watcher, 'entry:updated', 10_000);
    setTimeout(() => text.insert(0, 'СРОЧНО. '), 700);
    expect((await visible).preview.startsWith('СРОЧНО. ')).toBe(true);
    expect(seen).toHaveLength(1); // the invisible edit produced no broadcast of its own
    client.destroy();
    watcher.disconnect();
  });

  it('[EN6] an entry carries several bylines and an optional headline', async () => {
    const editor = await signIn(server, 'editor');
    const created = await api(server, editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() });
    const path = `/api/entries/${created.json.id as string}`;
    const patched = await api(server, editor, 'PATCH', path, { headline: 'Dam breach', bylines: ['Arman Nurlanov', 'Айжан Бекова'] });
    expect(patched.status).toBe(200);
    expect(patched.json.headline).toBe('Dam breach');
    expect(patched.json.bylines).toEqual(['Arman Nurlanov', 'Айжан Бекова']);
    const cleared = await api(server, editor, 'PATCH', path, { headline: null });
    expect(cleared.json.headline).toBeUndefined();
    expect((await api(server, editor, 'PATCH', path, { bylines: [''] })).status).toBe(400);
  });

  it('[EN8] a correspondent edits their draft’s metadata, not once it is submitted', async () => {
    const correspondent = await signIn(server, 'correspondent');
    const me = ((await api(server, correspondent, 'GET', '/api/session')).json.account as { id: string }).id;
    const mine = (await api(server, correspondent, 'GET', `/api/live-files/${fileId}`)).json.entries as { id: string; status: string; authorId: string }[];
    const draft = mine.find((e) => e.authorId === me && e.status === 'draft')!;
    const submitted = mine.find((e) => e.authorId === me && e.status === 'submitted')!;
    expect((await api(server, correspondent, 'PATCH', `/api/entries/${draft.id}`, { headline: 'Медеу' })).status).toBe(200);
    const refused = await api(server, correspondent, 'PATCH', `/api/entries/${submitted.id}`, { headline: 'late change' });
    expect(refused.status).toBe(403);
    expect(refused.json.error?.code).toBe('forbidden');
  });

  it('[EN7] a correspondent cannot touch someone else’s entry', async () => {
    const editor = await signIn(server, 'editor');
    const correspondent = await signIn(server, 'correspondent');
    const created = await api(server, editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() });
    const res = await api(server, correspondent, 'PATCH', `/api/entries/${created.json.id as string}`, { headline: 'mine now' });
    expect(res.status).toBe(404);
  });
});
