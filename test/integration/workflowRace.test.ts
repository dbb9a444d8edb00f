import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { connectIo, waitForConnect } from '../support/ioClient.js';
import { newEntry, transition } from '../support/workflowApi.js';

let server: TestServer;
const people = newsroomPeople(() => server);
let editor: Person;
const chiefs: Person[] = [];

beforeAll(async () => {
  server = await startTestServer();
  editor = await people.newPerson('editor');
  for (let i = 0; i < 20; i++) chiefs.push(await people.newPerson('chief'));
});
afterAll(() => server.close());

describe('concurrent chiefs', () => {
  it('[WF8] 20 concurrent publish attempts on one entry: exactly one publication and one audit record; the others get 409 naming who won', async () => {
    const fileId = await people.newLiveFile(editor, 'Race');
    const entry = await newEntry(server, editor, fileId, 'Гонка двадцати.');
    await transition(server, editor, entry.id, 'submit', { version: entry.version });
    const results = await Promise.all(chiefs.map((c) => transition(server, c, entry.id, 'publish', { version: entry.version + 1 })));
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    const winner = chiefs[results.findIndex((r) => r.status === 200)];
    for (const r of lost) {
      expect(r.json.error?.code).toBe('conflict');
      expect(r.json.error?.message).toContain(winner.account.displayName);
      expect(r.json.error?.details).toMatchObject({ by: { id: winner.account.id } });
    }
    const changes = await server.store.publishing.changesAfter(fileId, 0, 100);
    expect(changes.map((c) => [c.seq, c.kind, c.entryId])).toEqual([[1, 'published', entry.id]]);
    const audit = await server.store.audit.listByEntry(entry.id);
    expect(audit.filter((a) => a.action === 'publish')).toHaveLength(1);
    expect(audit.find((a) => a.action === 'publish')?.actorId).toBe(winner.account.id);
  });

  it('[WF8] [WF9] the same click sent 5 times with its Idempotency-Key while 19 other chiefs race: one publication, every repeat answers the first result', async () => {
    const fileId = await people.newLiveFile(editor, 'Race with retries');
    const entry = await newEntry(server, editor, fileId, 'Retries.');
    await transition(server, editor, entry.id, 'submit', { version: entry.version });
    const key = randomUUID();
    const body = { version: entry.version + 1 };
    const retries = Array.from({ length: 5 }, () => transition(server, chiefs[0], entry.id, 'publish', body, key));
    const others = chiefs.slice(1).map((c) => transition(server, c, entry.id, 'publish', body));
    const [mine, theirs] = [await Promise.all(retries), await Promise.all(others)];
    for (const r of mine) expect({ status: r.status, json: r.json }).toEqual({ status: mine[0].status, json: mine[0].json });
    expect([...mine.slice(0, 1), ...theirs].filter((r) => r.status === 200)).toHaveLength(1);
    expect((await server.store.publishing.changesAfter(fileId, 0, 100)).filter((c) => c.kind === 'published')).toHaveLength(1);
  });

  it('[WF8] 20 chiefs publishing 20 different entries of one file at once: seq 1..20 with no gap and none reused', async () => {
    const fileId = await people.newLiveFile(editor, 'Many');
    const entries = [];
    for (let i = 0; i < 20; i++) {
      const e = await newEntry(server, editor, fileId, `Entry ${i}`);
      await transition(server, editor, e.id, 'submit', { version: e.version });
      entries.push(e);
    }
    const results = await Promise.all(entries.map((e, i) => transition(server, chiefs[i], e.id, 'publish', { version: e.version + 1 })));
    expect(results.map((r) => r.status)).toEqual(entries.map(() => 200));
    const changes = await server.store.publishing.changesAfter(fileId, 0, 100);
    expect(changes.map((c) => c.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(new Set(changes.map((c) => c.entryId)).size).toBe(20);
  });

  it('[WF15] the approval queue lists submitted entries of the chief’s files oldest waiting first, with the wording and revision to approve, and arrives live over queue:watch', async () => {
    const fileId = await people.newLiveFile(editor, 'Queue');
    const a = await newEntry(server, editor, fileId, 'Ждёт дольше всех.');
    const b = await newEntry(server, editor, fileId, '<b>Second</b> waiting.');
    await transition(server, editor, a.id, 'submit', { version: a.version });
    await transition(server, editor, b.id, 'submit', { version: b.version });
    const queue = await api(server, chiefs[0].cookie, 'GET', '/api/queue');
    const mineOnly = (queue.json.items as Array<{ entry: { id: string; revision: number }; currentText: string; currentHtml: string; publishedText: string | null }>).filter((i) => [a.id, b.id].includes(i.entry.id));
    expect(mineOnly.map((i) => i.entry.id)).toEqual([a.id, b.id]);
    expect(mineOnly[0]).toMatchObject({ currentText: 'Ждёт дольше всех.', publishedText: null, entry: { revision: a.revision } });
    expect(mineOnly[1].currentHtml).toContain('&lt;b&gt;Second&lt;/b&gt;');
    // Scheduled: in the queue with the wording approved for its time.
    const s = await newEntry(server, editor, fileId, 'Scheduled wording.');
    await transition(server, editor, s.id, 'submit', { version: s.version });
    await transition(server, chiefs[0], s.id, 'schedule', { version: s.version + 1, publishAt: new Date(Date.now() + 3_600_000).toISOString() });
    const withScheduled = (await api(server, chiefs[0].cookie, 'GET', '/api/queue')).json.items as Array<{ entry: { id: string; status: string }; currentText: string }>;
    expect(withScheduled.find((i) => i.entry.id === s.id)).toMatchObject({ entry: { status: 'scheduled' }, currentText: 'Scheduled wording.' });
    const editorsQueue = await api(server, editor.cookie, 'GET', '/api/queue');
    expect(editorsQueue.json.items).toEqual([]);

    const socket = connectIo(server.url, chiefs[1].cookie);
    await waitForConnect(socket);
    const ack = await socket.emitWithAck('queue:watch', {});
    expect(ack.ok).toBe(true);
    const c = await newEntry(server, editor, fileId, 'Arrives live.');
    const arrived = new Promise<{ id: string; status: string }>((resolve) => socket.on('entry:updated', (e) => { if (e.id === c.id && e.status === 'submitted') resolve(e); }));
    await transition(server, editor, c.id, 'submit', { version: c.version });
    expect((await arrived).status).toBe('submitted');
    socket.close();
  });
});
