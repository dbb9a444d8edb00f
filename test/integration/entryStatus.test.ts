import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntryStatus } from '../../shared/workflow.js';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('entry state changes', () => {
  it('[EN13] an entry moves only along the shared transition table: another move is a conflict and changes nothing', async () => {
    const editor = await signIn(server, 'editor');
    const chief = await signIn(server, 'chief');
    const fileId = ((await api(server, editor, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
    const draft = (await api(server, editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() })).json as unknown as { id: string; version: number };
    const skipped = await api(server, chief, 'POST', `/api/entries/${draft.id}/publish`, { version: draft.version });
    expect(skipped.status).toBe(409);
    expect(skipped.json.error?.code).toBe('conflict');
    expect(await server.store.entries.findById(draft.id)).toMatchObject({ status: EntryStatus.Draft, version: draft.version });
    const submitted = await api(server, editor, 'POST', `/api/entries/${draft.id}/submit`, { version: draft.version });
    expect(submitted.status).toBe(200);
    expect(submitted.json).toMatchObject({ status: EntryStatus.Submitted, version: draft.version + 1 });
  });
});
