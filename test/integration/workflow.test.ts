import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryDocName } from '../../shared/collab/docName.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { connectIo, nextEvent, waitForConnect } from '../support/ioClient.js';
import { openCollabDoc, until } from '../support/collabClients.js';
import { appendText, textOf } from '../support/entryText.js';
import { entryOf, newEntry, publicGet, slugOf, transition } from '../support/workflowApi.js';

let server: TestServer;
const people = newsroomPeople(() => server);
let correspondent: Person;
let editor: Person;
let chief: Person;
let chief2: Person;
let fileId: string;

beforeAll(async () => {
  server = await startTestServer();
  correspondent = await people.newPerson('correspondent');
  editor = await people.newPerson('editor');
  chief = await people.newPerson('chief');
  chief2 = await people.newPerson('chief');
  fileId = await people.newLiveFile(editor, 'Workflow');
});
afterAll(() => server.close());

describe('workflow over HTTP', () => {
  it('[WF1] [WF2] draft → submitted → published through POST /api/entries/:id/<action>: 200 with the entry, its status and new version', async () => {
    const entry = await newEntry(server, correspondent, fileId, 'Толпа собирается на площади.');
    const submitted = await transition(server, correspondent, entry.id, 'submit', { version: entry.version });
    expect(submitted.status).toBe(200);
    expect(submitted.json).toMatchObject({ id: entry.id, status: 'submitted', version: entry.version + 1 });
    const published = await transition(server, chief, entry.id, 'publish', { version: entry.version + 1 });
    expect(published.status).toBe(200);
    expect(published.json).toMatchObject({ status: 'published', version: entry.version + 2, publishedRevision: entry.revision });
  });

  it('[WF2] an action from the wrong state is 409 conflict and changes nothing; an unknown action or entry is 404', async () => {
    const entry = await newEntry(server, editor, fileId, 'Draft only.');
    for (const [action, body] of [['publish', {}], ['reject', { note: 'no' }], ['retract', { reason: 'no' }], ['schedule', { publishAt: new Date(Date.now() + 60_000).toISOString() }]] as const) {
      const res = await transition(server, chief, entry.id, action, { version: entry.version, ...body });
      expect(res.status, action).toBe(409);
      expect(res.json.error?.code).toBe('conflict');
    }
    expect(await server.store.entries.findById(entry.id)).toMatchObject({ status: 'draft', version: entry.version });
    expect((await transition(server, chief, entry.id, 'approve', { version: entry.version })).status).toBe(404);
    expect((await transition(server, chief, 'no-such-entry-00', 'submit', { version: 0 })).status).toBe(404);
    expect((await server.store.audit.listByEntry(entry.id))).toHaveLength(0);
  });

  it('[WF3] a rejection needs a note; the author sees the note live and may write again', async () => {
    const entry = await newEntry(server, correspondent, fileId, 'Число задержанных: 40.');
    await transition(server, correspondent, entry.id, 'submit', { version: entry.version });
    const noNote = await transition(server, chief, entry.id, 'reject', { version: entry.version + 1 });
    expect(noNote.status).toBe(400);
    const blank = await transition(server, chief, entry.id, 'reject', { version: entry.version + 1, note: '   ' });
    expect(blank.status).toBe(400);
    const socket = connectIo(server.url, correspondent.cookie);
    await waitForConnect(socket);
    const told = nextEvent(socket, 'entry:updated');
    const rejected = await transition(server, chief, entry.id, 'reject', { version: entry.version + 1, note: 'Источник? Назовите его.' });
    expect(rejected.status).toBe(200);
    const seen = await told;
    expect(seen).toMatchObject({ id: entry.id, status: 'rejected', note: 'Источник? Назовите его.' });
    expect(seen.lastAction).toMatchObject({ action: 'reject', actorName: chief.account.displayName });
    socket.close();
    const mine = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(entry.id), { headers: { cookie: correspondent.cookie } });
    expect(mine.readOnlyReason).toBeUndefined();
    mine.destroy();
    const again = await transition(server, correspondent, entry.id, 'submit', { version: entry.version + 2 });
    expect(again.json).toMatchObject({ status: 'submitted' });
    expect(again.json.note).toBeUndefined();
  });

  it('[WF7] publish with the revision the chief was shown; an edit since is 409 naming who changed it, and nothing is published', async () => {
    const entry = await newEntry(server, correspondent, fileId, 'Первая версия.');
    await transition(server, correspondent, entry.id, 'submit', { version: entry.version });
    const shown = await entryOf(server, chief, entry.id);
    const doc = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(entry.id), { headers: { cookie: editor.cookie } });
    appendText(doc.doc, ' Уточнение редактора.');
    const probe = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(entry.id), { headers: { cookie: chief2.cookie } });
    await until(probe.doc, 'update', () => textOf(probe.doc).includes('Уточнение'));
    const stale = await transition(server, chief, entry.id, 'publish', { version: shown.version, revision: shown.revision });
    expect(stale.status).toBe(409);
    expect(stale.json.error?.message).toContain(editor.account.displayName);
    expect(stale.json.error?.details).toMatchObject({ reason: 'changed-since-shown', by: { id: editor.account.id } });
    expect(await publicEntries(fileId)).not.toContainEqual(expect.objectContaining({ id: entry.id }));
    const fresh = await entryOf(server, chief, entry.id);
    expect(fresh.revision).toBeGreaterThan(shown.revision);
    const ok = await transition(server, chief, entry.id, 'publish', { version: fresh.version, revision: fresh.revision });
    expect(ok.status).toBe(200);
    const [published] = (await publicEntries(fileId)).filter((e) => e.id === entry.id);
    expect(published.text).toBe('Первая версия. Уточнение редактора.');
    expect(published.revision).toBe(fresh.revision);
    doc.destroy();
    probe.destroy();
  });

  it('[WF7] without revision the current content is published', async () => {
    const entry = await newEntry(server, editor, fileId, 'Current content.');
    await transition(server, editor, entry.id, 'submit', { version: entry.version });
    const res = await transition(server, chief, entry.id, 'publish', { version: entry.version + 1 });
    expect(res.status).toBe(200);
    expect((await publicEntries(fileId)).find((e) => e.id === entry.id)?.text).toBe('Current content.');
  });

  it('[WF8] a stale version is 409 conflict saying who won', async () => {
    const entry = await newEntry(server, editor, fileId, 'Two chiefs.');
    await transition(server, editor, entry.id, 'submit', { version: entry.version });
    const first = await transition(server, chief, entry.id, 'publish', { version: entry.version + 1 });
    expect(first.status).toBe(200);
    const second = await transition(server, chief2, entry.id, 'reject', { version: entry.version + 1, note: 'Too late' });
    expect(second.status).toBe(409);
    expect(second.json.error?.message).toContain(chief.account.displayName);
    expect(second.json.error?.details).toMatchObject({ reason: 'stale-version', by: { id: chief.account.id }, entry: { status: 'published' } });
  });

  it('[WF9] the same Idempotency-Key answers the first result and publishes nothing twice; another body under it is a conflict', async () => {
    const entry = await newEntry(server, editor, fileId, 'Once only.');
    await transition(server, editor, entry.id, 'submit', { version: entry.version });
    const key = randomUUID();
    const body = { version: entry.version + 1 };
    const first = await transition(server, chief, entry.id, 'publish', body, key);
    const repeat = await transition(server, chief, entry.id, 'publish', body, key);
    expect(first.status).toBe(200);
    expect(repeat.status).toBe(200);
    expect(repeat.json).toEqual(first.json);
    const changes = await server.store.publishing.changesAfter(fileId, 0, 1000);
    expect(changes.filter((c) => c.entryId === entry.id && c.kind === 'published')).toHaveLength(1);
    expect((await server.store.audit.listByEntry(entry.id)).filter((a) => a.action === 'publish')).toHaveLength(1);
    const other = await transition(server, chief, entry.id, 'publish', { version: entry.version + 2 }, key);
    expect(other.status).toBe(409);
    expect(other.json.error?.message).toMatch(/different request/);
  });

  it('[WF10] four-eyes: with it on, nobody publishes or schedules an entry they wrote or co-wrote (403); another chief may', async () => {
    const strictFile = await people.newLiveFile(editor, 'Four eyes');
    const setAccess = await api(server, chief.cookie, 'PATCH', `/api/live-files/${strictFile}/access`, { fourEyes: true });
    expect(setAccess.status).toBe(200);
    expect(setAccess.json.fourEyes).toBe(true);
    const own = await newEntry(server, chief, strictFile, 'Chief wrote this.');
    await transition(server, chief, own.id, 'submit', { version: own.version });
    const refused = await transition(server, chief, own.id, 'publish', { version: own.version + 1 });
    expect(refused.status).toBe(403);
    expect(refused.json.error?.code).toBe('forbidden');
    const scheduled = await transition(server, chief, own.id, 'schedule', { version: own.version + 1, publishAt: new Date(Date.now() + 60_000).toISOString() });
    expect(scheduled.status).toBe(403);
    // Co-writing counts: chief2 edits an editor's entry, then may not publish it.
    const cowritten = await newEntry(server, editor, strictFile, 'Editor wrote this.');
    const doc = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(cowritten.id), { headers: { cookie: chief2.cookie } });
    appendText(doc.doc, ' Chief2 polished it.');
    await transition(server, editor, cowritten.id, 'submit', { version: cowritten.version });
    const coRefused = await transition(server, chief2, cowritten.id, 'publish', { version: cowritten.version + 1 });
    expect(coRefused.status).toBe(403);
    doc.destroy();
    expect((await transition(server, chief2, own.id, 'publish', { version: own.version + 1 })).status).toBe(200);
    const view = await entryOf(server, chief, cowritten.id);
    expect((await transition(server, chief, cowritten.id, 'publish', { version: view.version })).status).toBe(200);
  });

  it('[WF12] editors and correspondents never publish, reject, schedule or retract; a correspondent submits only her own entry', async () => {
    const entry = await newEntry(server, editor, fileId, 'Roles.');
    const theirs = await newEntry(server, editor, fileId, 'Not hers.');
    expect((await transition(server, correspondent, theirs.id, 'submit', { version: theirs.version })).status).toBe(404);
    await transition(server, editor, entry.id, 'submit', { version: entry.version });
    for (const who of [editor, correspondent]) {
      for (const [action, extra] of [['publish', {}], ['reject', { note: 'n' }], ['schedule', { publishAt: new Date(Date.now() + 60_000).toISOString() }]] as const) {
        const res = await transition(server, who, entry.id, action, { version: entry.version + 1, ...extra });
        expect(res.status, `${who.account.role} ${action}`).toBe(who === correspondent ? 404 : 403);
      }
    }
    expect(await server.store.entries.findById(entry.id)).toMatchObject({ status: 'submitted', version: entry.version + 1 });
  });

  it('[WF13] every transition appends one audit record; the log exports as CSV and JSON, to the desk only', async () => {
    const auditFile = await people.newLiveFile(editor, 'Audit');
    const entry = await newEntry(server, correspondent, auditFile, 'Аудит.');
    await transition(server, correspondent, entry.id, 'submit', { version: entry.version });
    await transition(server, chief, entry.id, 'reject', { version: entry.version + 1, note: '=HYPERLINK("x")' });
    await transition(server, correspondent, entry.id, 'submit', { version: entry.version + 2 });
    await transition(server, chief, entry.id, 'publish', { version: entry.version + 3 });
    await transition(server, chief, entry.id, 'retract', { version: entry.version + 4, reason: 'Ошибка в цифрах' });
    const history = await api(server, correspondent.cookie, 'GET', `/api/entries/${entry.id}/history`);
    const trail = history.json.audit as Array<{ action: string; from: string; to: string; actorName: string; note?: string }>;
    expect(trail.map((a) => `${a.action}:${a.from}>${a.to}`)).toEqual(['submit:draft>submitted', 'reject:submitted>rejected', 'submit:rejected>submitted', 'publish:submitted>published', 'retract:published>retracted']);
    expect(trail[1]).toMatchObject({ actorName: chief.account.displayName, note: '=HYPERLINK("x")' });
    const json = await api(server, editor.cookie, 'GET', `/api/live-files/${auditFile}/audit.json`);
    expect(json.status).toBe(200);
    expect((json.json.audit as unknown[]).length).toBe(5);
    const csv = await fetch(`${server.url}/api/live-files/${auditFile}/audit.csv`, { headers: { cookie: editor.cookie } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('at,entryId,action,from,to,actor,actorId,note,revision,version');
    expect(lines).toHaveLength(6);
    expect(lines.join('\n')).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines.join('\n')).toContain('Ошибка в цифрах');
    expect((await api(server, correspondent.cookie, 'GET', `/api/live-files/${auditFile}/audit.json`)).status).toBe(403);
    expect((await api(server, correspondent.cookie, 'GET', `/api/live-files/${auditFile}/audit.csv`)).status).toBe(403);
  });

  it('[WF14] operator injection and unknown fields are refused by the schemas before the store', async () => {
    const entry = await newEntry(server, editor, fileId, 'Injection.');
    for (const body of [{ version: { $gt: '' } }, { version: entry.version, $set: { status: 'published' } }, { version: entry.version, 'a.b': 1 }, { version: '0' }]) {
      const res = await transition(server, editor, entry.id, 'submit', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error?.code).toBe('invalid_input');
    }
    const badKey = await transition(server, editor, entry.id, 'submit', { version: entry.version }, '$where');
    expect(badKey.status).toBe(400);
    expect(await server.store.entries.findById(entry.id)).toMatchObject({ status: 'draft', version: entry.version });
  });
});

async function publicEntries(liveFileId: string): Promise<Array<{ id: string; text: string; revision: number }>> {
  const res = await publicGet(server, `/api/public/live/${encodeURIComponent(await slugOf(server, liveFileId))}?limit=100`);
  return res.json.entries as Array<{ id: string; text: string; revision: number }>;
}
