import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { newEntry, publicGet, slugOf, transition } from '../support/workflowApi.js';
import { entryDocName } from '../../shared/collab/docName.js';
import { openCollabDoc } from '../support/collabClients.js';
import { appendText } from '../support/entryText.js';

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

/** Resolves with the time the entry's first reader change was stored. */
function published(entryId: string, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`entry ${entryId} was not published`)), timeoutMs);
    const onChange = (c: { entryId: string; kind: string }) => {
      if (c.entryId !== entryId || c.kind !== 'published') return;
      clearTimeout(timer);
      server.server.services.events.off('reader:change', onChange);
      resolve(Date.now());
    };
    server.server.services.events.on('reader:change', onChange);
  });
}

async function submitted(fileId: string, text: string) {
  const entry = await newEntry(server, editor, fileId, text);
  await transition(server, editor, entry.id, 'submit', { version: entry.version });
  return { ...entry, version: entry.version + 1 };
}

describe('scheduled publishing', () => {
  it('[WF4] [WF16] a scheduled entry is published within a second of its time, once, with the wording approved when it was scheduled', async () => {
    const fileId = await people.newLiveFile(editor, 'Schedule');
    const entry = await submitted(fileId, 'В 12:00 начнётся брифинг.');
    const at = Date.now() + 1500;
    const res = await transition(server, chief, entry.id, 'schedule', { version: entry.version, revision: entry.revision, publishAt: new Date(at).toISOString() });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'scheduled', publishAt: new Date(at).toISOString() });
    const out = published(entry.id);
    // Typed after scheduling: a later correction, never part of what was approved.
    const doc = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(entry.id), { headers: { cookie: editor.cookie } });
    appendText(doc.doc, ' Not approved yet.');
    await server.server.services.entries.settle(entry.id);
    const firedAt = await out;
    expect(firedAt).toBeGreaterThanOrEqual(at);
    expect(firedAt - at).toBeLessThan(1000);
    doc.destroy();
    const page = await publicGet(server, `/api/public/live/${encodeURIComponent(await slugOf(server, fileId))}`);
    expect((page.json.entries as Array<{ text: string }>).map((e) => e.text)).toEqual(['В 12:00 начнётся брифинг.']);
    const record = (await server.store.entries.findById(entry.id))!;
    expect(record).toMatchObject({ status: 'published' });
    expect(record.scheduled).toBeUndefined();
    const changes = await server.store.publishing.changesAfter(fileId, 0, 100);
    expect(changes.filter((c) => c.entryId === entry.id)).toHaveLength(1);
    const audit = await server.store.audit.listByEntry(entry.id);
    expect(audit.map((a) => a.action)).toEqual(['submit', 'schedule', 'publish']);
    expect(audit[2]).toMatchObject({ actorId: chief.account.id, from: 'scheduled', to: 'published' });
  });

  it('[WF16] a publishAt in the past is 400; rejecting a scheduled entry cancels it', async () => {
    const fileId = await people.newLiveFile(editor, 'Cancel');
    const entry = await submitted(fileId, 'Cancelled.');
    const past = await transition(server, chief, entry.id, 'schedule', { version: entry.version, publishAt: new Date(Date.now() - 1000).toISOString() });
    expect(past.status).toBe(400);
    const notIso = await transition(server, chief, entry.id, 'schedule', { version: entry.version, publishAt: 'tomorrow' });
    expect(notIso.status).toBe(400);
    const at = Date.now() + 800;
    await transition(server, chief, entry.id, 'schedule', { version: entry.version, publishAt: new Date(at).toISOString() });
    const rejected = await transition(server, chief, entry.id, 'reject', { version: entry.version + 1, note: 'Hold it.' });
    expect(rejected.json).toMatchObject({ status: 'rejected' });
    expect(rejected.json.publishAt).toBeUndefined();
    // A later entry scheduled after the cancelled time: once it fires, the cancelled one would have.
    const later = await submitted(fileId, 'Later.');
    const out = published(later.id);
    await transition(server, chief, later.id, 'schedule', { version: later.version, publishAt: new Date(at + 300).toISOString() });
    await out;
    expect((await server.store.publishing.changesAfter(fileId, 0, 100)).map((c) => c.entryId)).toEqual([later.id]);
  });

  it('[WF4] a schedule survives a restart that happens in between, and fires within a second of its time', async () => {
    const fileId = await people.newLiveFile(editor, 'Restart');
    const entry = await submitted(fileId, 'Переживёт перезапуск.');
    const at = Date.now() + 2000;
    expect((await transition(server, chief, entry.id, 'schedule', { version: entry.version, publishAt: new Date(at).toISOString() })).status).toBe(200);
    await server.restart();
    const firedAt = await published(entry.id);
    expect(firedAt - at).toBeLessThan(1000);
    expect(firedAt).toBeGreaterThanOrEqual(at);
    const changes = await server.store.publishing.changesAfter(fileId, 0, 100);
    expect(changes.map((c) => [c.entryId, c.kind])).toEqual([[entry.id, 'published']]);
  });

  it('[WF4] an entry whose time passed while the server was down is published at start-up, once', async () => {
    const fileId = await people.newLiveFile(editor, 'Overdue');
    const entry = await submitted(fileId, 'Overdue.');
    const at = Date.now() + 300;
    await transition(server, chief, entry.id, 'schedule', { version: entry.version, publishAt: new Date(at).toISOString() });
    // The process "goes down" for publishing: its timers stop, the time passes, then it starts again.
    server.server.services.scheduler.stop();
    await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now()) + 50)); // wall-clock time must pass while nothing runs
    expect((await server.store.entries.findById(entry.id))?.status).toBe('scheduled');
    await server.restart();
    expect((await server.store.entries.findById(entry.id))?.status).toBe('published');
    const changes = await server.store.publishing.changesAfter(fileId, 0, 100);
    expect(changes.map((c) => [c.entryId, c.kind])).toEqual([[entry.id, 'published']]);
  });
});
