import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { moveEntry, readDeskOrder, setKeyEvent, setPinned } from '../../shared/collab/deskDoc.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { openCollabDoc, until } from '../support/collabClients.js';
import { appendText } from '../support/entryText.js';
import { newEntry, publicGet, slugOf, transition, watchReaderChanges } from '../support/workflowApi.js';

let server: TestServer;
const people = newsroomPeople(() => server);
let editor: Person;
let chief: Person;

beforeAll(async () => {
  server = await startTestServer();
  editor = await people.newPerson('editor');
  chief = await people.newPerson('chief');
});
afterAll(() => server.close());

interface PublicEntry { id: string; seq: number; revision: number; html: string; text: string; headline: string; pinned: boolean; keyEvent: boolean; corrected: boolean; retracted: null | { reason: string; at: string } }
interface Change { seq: number; kind: string; entryId: string; entry: PublicEntry }

async function publish(fileId: string, text: string, headline?: string): Promise<string> {
  const entry = await newEntry(server, editor, fileId, text, headline);
  expect((await transition(server, editor, entry.id, 'submit', { version: entry.version })).status).toBe(200);
  expect((await transition(server, chief, entry.id, 'publish', { version: entry.version + 1 })).status).toBe(200);
  return entry.id;
}
const page = async (slug: string, query = '') => (await publicGet(server, `/api/public/live/${encodeURIComponent(slug)}${query}`)).json as { liveFile: { lastSeq: number; slug: string; title: string; status: string }; entries: PublicEntry[]; nextCursor: string | null };
const changes = async (slug: string, after: number) => (await publicGet(server, `/api/public/live/${encodeURIComponent(slug)}/changes?after=${after}`)).json as { changes: Change[]; lastSeq: number };

/** Applies changes the way a reader does: by seq, replacing the entry. */
function apply(state: Map<string, PublicEntry>, list: Change[]): void {
  for (const c of list) state.set(c.entryId, c.entry);
}
const readerOrder = (list: PublicEntry[]) => [...list].sort((a, b) => (a.pinned !== b.pinned ? (a.pinned ? -1 : 1) : 0)).map((e) => e.id);

describe('public live API', () => {
  it('[PL1] [PL5] published entries, newest on top, byte-exact in three scripts; cursor pages skip nothing and repeat nothing', async () => {
    const fileId = await people.newLiveFile(editor, 'Public');
    const slug = await slugOf(server, fileId);
    const texts = ['Митинг на площади Республики.', 'Қазақстан: шеру басталды.', 'مرحبا بالعالم — تحديث 🚨', 'Fourth.', 'Fifth.'];
    const ids: string[] = [];
    for (const t of texts) ids.push(await publish(fileId, t, t.slice(0, 8)));
    const first = await page(slug, '?limit=2');
    expect(first.liveFile).toMatchObject({ slug, title: expect.any(String), status: 'live', lastSeq: 5 });
    expect(first.entries.map((e) => e.id)).toEqual([ids[4], ids[3]]);
    const all: PublicEntry[] = [...first.entries];
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await page(slug, `?limit=2&before=${encodeURIComponent(cursor)}`);
      all.push(...next.entries);
      cursor = next.nextCursor;
    }
    expect(all.map((e) => e.id)).toEqual([...ids].reverse());
    for (const [i, t] of texts.entries()) {
      const e = all.find((x) => x.id === ids[i])!;
      expect(e.text).toBe(t);
      expect(e.headline).toBe(t.slice(0, 8));
      expect(e.html).toContain(t.replace('—', '—'));
      expect(e).toMatchObject({ corrected: false, retracted: null, pinned: false, keyEvent: false });
      expect(Object.keys(e).sort()).toEqual(['bylines', 'corrected', 'headline', 'html', 'id', 'keyEvent', 'pinned', 'position', 'publishedAt', 'retracted', 'revision', 'seq', 'text', 'updatedAt'].sort());
    }
    expect((await publicGet(server, '/api/public/live/no-such-file')).status).toBe(404);
    expect(Object.keys(first.liveFile)).not.toContain('id');
    expect((await publicGet(server, `/api/public/live/${encodeURIComponent(slug)}?before=forged`)).status).toBe(400);
  });

  it('[PL2] [PL3] [WF5] [WF6] changes after a seq, no gaps: a correction stays invisible until published, then replaces the entry marked corrected; a retraction keeps the slot with its reason', async () => {
    const fileId = await people.newLiveFile(editor, 'Changes');
    const slug = await slugOf(server, fileId);
    const a = await publish(fileId, 'Первое сообщение.');
    const seen = await changes(slug, 0);
    expect(seen.changes.map((c) => [c.seq, c.kind])).toEqual([[1, 'published']]);
    const state = new Map<string, PublicEntry>();
    apply(state, seen.changes);

    // A correction typed on the desk: readers see nothing until it is published.
    const draft = await newEntry(server, editor, fileId, 'Never submitted draft.');
    const doc = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(a), { headers: { cookie: editor.cookie } });
    appendText(doc.doc, ' Исправлено: 200 человек.');
    await server.server.services.entries.settle(a);
    expect((await changes(slug, 1)).changes).toEqual([]);
    expect((await page(slug)).entries[0].text).toBe('Первое сообщение.');
    const current = (await server.store.entries.findById(a))!;
    expect((await transition(server, editor, a, 'submit', { version: current.version })).status).toBe(200);
    expect((await page(slug)).entries[0].text).toBe('Первое сообщение.');
    expect((await transition(server, chief, a, 'publish', { version: current.version + 1 })).status).toBe(200);
    const corrected = await changes(slug, 1);
    expect(corrected.changes.map((c) => [c.seq, c.kind])).toEqual([[2, 'corrected']]);
    expect(corrected.changes[0].entry).toMatchObject({ text: 'Первое сообщение. Исправлено: 200 человек.', corrected: true });
    apply(state, corrected.changes);
    doc.destroy();

    const r = (await server.store.entries.findById(a))!;
    expect((await transition(server, chief, a, 'retract', { version: r.version })).status).toBe(400);
    expect((await transition(server, chief, a, 'retract', { version: r.version, reason: 'Данные не подтвердились' })).status).toBe(200);
    const retracted = await changes(slug, 2);
    expect(retracted.changes.map((c) => [c.seq, c.kind])).toEqual([[3, 'retracted']]);
    expect(retracted.changes[0].entry).toMatchObject({ text: '', html: '', retracted: { reason: 'Данные не подтвердились' } });
    apply(state, retracted.changes);

    const final = await page(slug);
    expect(final.liveFile.lastSeq).toBe(3);
    expect(final.entries).toEqual([...state.values()]);
    const body = JSON.stringify(await publicGet(server, `/api/public/live/${encodeURIComponent(slug)}/changes?after=0`));
    expect(body).not.toContain('Never submitted draft');
    expect(body).not.toContain(editor.account.id);
    expect(body).not.toContain('"doc"');
    expect(body).not.toContain('approverId');
    // The earlier wording stays retrievable in the entry's history.
    const history = await api(server, editor.cookie, 'GET', `/api/entries/${a}/history`);
    expect((history.json.publications as Array<{ text: string }>).map((p) => p.text)).toEqual(['Первое сообщение.', 'Первое сообщение. Исправлено: 200 человек.', '']);
    void draft;
  });

  it('[PL4] pins, moves and key-event flags of published entries become reader changes; unpublished entries never do', async () => {
    const fileId = await people.newLiveFile(editor, 'Desk changes');
    const slug = await slugOf(server, fileId);
    const older = await publish(fileId, 'Older.');
    const newer = await publish(fileId, 'Newer.');
    const unpublished = await newEntry(server, editor, fileId, 'Unpublished.');
    const desk = await openCollabDoc(`${server.wsUrl}/collab`, fileDocName(fileId), { headers: { cookie: editor.cookie } });
    await until(desk.doc, 'update', () => readDeskOrder(desk.doc).length === 3);
    const before = (await changes(slug, 0)).lastSeq;
    const stored = watchReaderChanges(server, fileId);
    const waitFor = async (n: number) => {
      await stored.count(n);
      return (await changes(slug, before)).changes;
    };
    setPinned(desk.doc, older, true);
    setKeyEvent(desk.doc, newer, true);
    setPinned(desk.doc, unpublished.id, true);
    const got = await waitFor(2);
    expect(got.map((c) => [c.kind, c.entryId])).toEqual(expect.arrayContaining([['pinned', older], ['keyEvent', newer]]));
    expect(got.every((c) => c.entryId !== unpublished.id)).toBe(true);
    expect((await page(slug)).entries.map((e) => e.id)).toEqual([older, newer]);
    setPinned(desk.doc, older, false);
    moveEntry(desk.doc, older, { toTop: true });
    const more = await waitFor(3);
    expect(more.map((c) => c.kind)).toContain('unpinned');
    const seqs = (await changes(slug, 0)).changes.map((c) => c.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const shown = (await page(slug)).entries;
    expect(shown.find((e) => e.id === newer)?.keyEvent).toBe(true);
    expect(readerOrder(shown)).toEqual(shown.map((e) => e.id));
    desk.destroy();
    stored.stop();
  });
});
