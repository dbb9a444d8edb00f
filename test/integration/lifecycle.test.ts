import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newEntry, publicGet, slugOf, transition } from '../support/workflowApi.js';

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

describe('live-file lifecycle', () => {
  it('[LC1] a file announced for later is scheduled; chiefs take it live, end it and archive it along the allowed moves; the public API says which', async () => {
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await api(server, editor.cookie, 'POST', '/api/live-files', { title: `Election night ${randomUUID().slice(0, 6)}`, coverageStartsAt: startsAt });
    expect(created.json).toMatchObject({ status: 'scheduled', coverageStartsAt: startsAt });
    const id = created.json.id as string;
    const slug = await slugOf(server, id);
    expect((await publicGet(server, `/api/public/live/${encodeURIComponent(slug)}`)).json.liveFile).toMatchObject({ status: 'scheduled', coverageStartsAt: startsAt });
    // The desk prepares while coverage has not started.
    const prepared = await newEntry(server, editor, id, 'Prepared in advance.');
    const path = `/api/live-files/${id}/lifecycle`;
    expect((await api(server, editor.cookie, 'PATCH', path, { status: 'live' })).status).toBe(403);
    expect((await api(server, chief.cookie, 'PATCH', path, { status: 'archived' })).status).toBe(409);
    expect((await api(server, chief.cookie, 'PATCH', path, { status: 'live' })).json).toMatchObject({ status: 'live' });
    await transition(server, editor, prepared.id, 'submit', { version: prepared.version });
    await transition(server, chief, prepared.id, 'publish', { version: prepared.version + 1 });
    const ended = await api(server, chief.cookie, 'PATCH', path, { status: 'ended' });
    expect(ended.json).toMatchObject({ status: 'ended', endedAt: expect.any(String) });
    const page = await publicGet(server, `/api/public/live/${encodeURIComponent(slug)}`);
    expect(page.json.liveFile).toMatchObject({ status: 'ended', endedAt: ended.json.endedAt });
    expect((page.json.entries as unknown[]).length).toBe(1);
    // Ended: no new entries, but a published one can still be corrected or retracted.
    expect((await api(server, editor.cookie, 'POST', `/api/live-files/${id}/entries`, { idempotencyKey: randomUUID() })).status).toBe(409);
    const current = (await server.store.entries.findById(prepared.id))!;
    expect((await transition(server, chief, prepared.id, 'retract', { version: current.version, reason: 'Withdrawn after the count.' })).status).toBe(200);
    expect((await api(server, chief.cookie, 'PATCH', path, { status: 'archived' })).json).toMatchObject({ status: 'archived' });
    expect((await api(server, chief.cookie, 'PATCH', path, { status: 'live' })).status).toBe(409);
    expect((await api(server, chief.cookie, 'PATCH', path, { status: 'gone' })).status).toBe(400);
  });
});
