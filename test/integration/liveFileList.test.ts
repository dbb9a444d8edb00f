import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { connectIo, recordEvents, waitForConnect, type EventLog, type TestSocket } from '../support/ioClient.js';

// The live-file list says what its viewer can see: counts of the entries she can open, and an
// "updated" time that moves when one of them changes, over HTTP and live over Socket.IO.

let server: TestServer;
const sockets: TestSocket[] = [];
const people = newsroomPeople(() => server);
const { demoPerson, newPerson, createEntry } = people;
const newLiveFile = (by: Person) => people.newLiveFile(by, 'List');

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server.close();
});

interface Listener extends Person {
  log: EventLog;
}

/** Connected, on the list page (no file watched). */
async function listening(person: Person): Promise<Listener> {
  const socket = connectIo(server.url, person.cookie);
  sockets.push(socket);
  const log = recordEvents(socket);
  await waitForConnect(socket);
  return { ...person, log };
}

async function listAs(p: Person): Promise<LiveFileView[]> {
  const res = await api(server, p.cookie, 'GET', '/api/live-files');
  expect(res.status).toBe(200);
  return res.json.liveFiles as LiveFileView[];
}
const rowOf = async (p: Person, fileId: string) => (await listAs(p)).find((f) => f.id === fileId)!;

const rowUpdate = (fileId: string, match: (f: LiveFileView) => boolean = () => true) => (f: LiveFileView) => f.id === fileId && match(f);
const rowUpdatesOf = (l: Listener, fileId: string) =>
  l.log.seen.filter(({ event, payload }) => event === 'liveFile:updated' && (payload as LiveFileView).id === fileId).map(({ payload }) => payload as LiveFileView);

describe('the live-file list, as each viewer sees it', () => {
  it('[RL4] a correspondent’s count is of the entries she can open; a desk role’s of them all (demo file)', async () => {
    const reporter = await demoPerson('correspondent');
    const desk = await demoPerson('editor');
    const demo = (await server.store.liveFiles.findBySlug(reporter.account.newsroomId, 'almaty-floods'))!;
    const all = await server.store.entries.listByLiveFile(demo.id);
    const hers = all.filter((e) => e.authorId === reporter.account.id);
    expect(hers.length).toBeGreaterThan(0);
    expect(hers.length).toBeLessThan(all.length);

    expect((await rowOf(reporter, demo.id)).entryCount).toBe(hers.length);
    expect((await rowOf(desk, demo.id)).entryCount).toBe(all.length);
    // The file's own page agrees with its row.
    const opened = await api(server, reporter.cookie, 'GET', `/api/live-files/${demo.id}`);
    expect((opened.json.liveFile as LiveFileView).entryCount).toBe(hers.length);
    expect((opened.json.entries as unknown[]).length).toBe(hers.length);
  });

  it('[RL4] "updated" moves when an entry is created or edited, and only for viewers who can see that entry', async () => {
    const editor = await demoPerson('editor');
    const reporter = await newPerson('correspondent');
    const fileId = await newLiveFile(editor);
    const fresh = await rowOf(editor, fileId);
    expect(fresh.entryCount).toBe(0);

    const byEditor = await createEntry(editor, fileId);
    const afterCreate = await rowOf(editor, fileId);
    expect(afterCreate.entryCount).toBe(1);
    expect(afterCreate.updatedAt > fresh.updatedAt).toBe(true);
    expect(afterCreate.updatedAt).toBe(byEditor.updatedAt);
    // The reporter cannot open the editor's entry: her row neither counts it nor moves for it.
    expect(await rowOf(reporter, fileId)).toMatchObject({ entryCount: 0, updatedAt: fresh.updatedAt });

    const edited = await api(server, editor.cookie, 'PATCH', `/api/entries/${byEditor.id}`, { headline: 'Edited' });
    expect(edited.status).toBe(200);
    const afterEdit = await rowOf(editor, fileId);
    expect(afterEdit.updatedAt > afterCreate.updatedAt).toBe(true);
    expect(afterEdit.updatedAt).toBe((edited.json as { updatedAt: string }).updatedAt);

    const own = await createEntry(reporter, fileId);
    expect(await rowOf(reporter, fileId)).toMatchObject({ entryCount: 1, updatedAt: own.updatedAt });
    expect(await rowOf(editor, fileId)).toMatchObject({ entryCount: 2, updatedAt: own.updatedAt });
  });

  it('[RL5] an open list is told live: the desk gets the desk’s row, the author her own, another correspondent nothing', async () => {
    const editor = await demoPerson('editor');
    const desk = await listening(await demoPerson('chief'));
    const author = await listening(await newPerson('correspondent'));
    const bystander = await listening(await newPerson('correspondent'));
    const fileId = await newLiveFile(editor);

    const byEditor = await createEntry(editor, fileId);
    await desk.log.waitFor('liveFile:updated', rowUpdate(fileId, (f) => f.entryCount === 1 && f.updatedAt === byEditor.updatedAt));

    const byAuthor = await createEntry(author, fileId);
    const hers = await author.log.waitFor('liveFile:updated', rowUpdate(fileId));
    expect(hers).toMatchObject({ entryCount: 1, updatedAt: byAuthor.updatedAt });
    await desk.log.waitFor('liveFile:updated', rowUpdate(fileId, (f) => f.entryCount === 2 && f.updatedAt === byAuthor.updatedAt));

    const edited = await api(server, author.cookie, 'PATCH', `/api/entries/${byAuthor.id}`, { headline: 'Hers, edited' });
    const editedAt = (edited.json as { updatedAt: string }).updatedAt;
    await author.log.waitFor('liveFile:updated', rowUpdate(fileId, (f) => f.updatedAt === editedAt && f.entryCount === 1));
    await desk.log.waitFor('liveFile:updated', rowUpdate(fileId, (f) => f.updatedAt === editedAt && f.entryCount === 2));

    // The bystander's own entry: once her row arrives, anything sent before it has arrived too.
    await createEntry(bystander, fileId);
    await bystander.log.waitFor('liveFile:updated', rowUpdate(fileId, (f) => f.entryCount === 1));
    expect(rowUpdatesOf(bystander, fileId)).toHaveLength(1);
    // The author never saw the desk's count, nor a row moved by the editor's entry.
    expect(rowUpdatesOf(author, fileId).every((f) => f.entryCount === 1)).toBe(true);
    expect(rowUpdatesOf(author, fileId).some((f) => f.updatedAt === byEditor.updatedAt)).toBe(false);
    // A desk role gets one row per change, never a correspondent's own count.
    await desk.log.waitFor('liveFile:updated', rowUpdate(fileId, (f) => f.entryCount === 3));
    expect(rowUpdatesOf(desk, fileId).every((f) => f.entryCount >= 1)).toBe(true);
  });

  it('[RL5] a change of the file itself sends each viewer her own row; a burst of edits is coalesced, the last row carries the last change', async () => {
    const editor = await demoPerson('editor');
    const desk = await listening(await demoPerson('editor2'));
    const author = await listening(await newPerson('correspondent'));
    const fileId = await newLiveFile(editor);
    await createEntry(editor, fileId);
    const own = await createEntry(author, fileId);
    await author.log.waitFor('liveFile:updated', rowUpdate(fileId, (f) => f.entryCount === 1));

    // No feature changes a file's own record yet (titles, ending): the broadcast is ready for it.
    const record = (await server.store.liveFiles.findById(fileId))!;
    const seenBefore = rowUpdatesOf(author, fileId).length;
    server.server.services.events.emit('liveFile:updated', record);
    await desk.log.waitFor('liveFile:updated', rowUpdate(fileId, (f) => f.entryCount === 2 && f.updatedAt === own.updatedAt));
    await expect.poll(() => rowUpdatesOf(author, fileId).length).toBe(seenBefore + 1);
    expect(rowUpdatesOf(author, fileId).at(-1)).toMatchObject({ entryCount: 1, updatedAt: own.updatedAt });

    const deskBefore = rowUpdatesOf(desk, fileId).length;
    const edits = await Promise.all(Array.from({ length: 8 }, (_, i) => api(server, author.cookie, 'PATCH', `/api/entries/${own.id}`, { headline: `Burst ${i}` })));
    const last = edits.map((r) => (r.json as { updatedAt: string }).updatedAt).sort().at(-1)!;
    await desk.log.waitFor('liveFile:updated', rowUpdate(fileId, (f) => f.updatedAt === last));
    await author.log.waitFor('liveFile:updated', rowUpdate(fileId, (f) => f.updatedAt === last && f.entryCount === 1));
    expect(rowUpdatesOf(desk, fileId).length - deskBefore).toBeLessThanOrEqual(8);
  });
});
