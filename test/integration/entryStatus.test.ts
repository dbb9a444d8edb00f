import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntryStatus } from '../../shared/workflow.js';
import { AppError } from '../../server/errors.js';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('entry state changes', () => {
  it('[EN13] an entry moves only along the shared transition table: another move is a conflict and changes nothing', async () => {
    const cookie = await signIn(server, 'editor');
    const fileId = ((await api(server, cookie, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
    const draft = (await api(server, cookie, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() })).json as unknown as { id: string; version: number };
    const entries = server.server.services.entries;
    const skipped = entries.changeStatus(draft.id, { status: EntryStatus.Draft, version: draft.version }, EntryStatus.Published);
    await expect(skipped).rejects.toBeInstanceOf(AppError);
    await expect(skipped).rejects.toMatchObject({ code: 'conflict' });
    expect(await server.store.entries.findById(draft.id)).toMatchObject({ status: EntryStatus.Draft, version: draft.version });
    const submitted = await entries.changeStatus(draft.id, { status: EntryStatus.Draft, version: draft.version }, EntryStatus.Submitted);
    expect(submitted).toMatchObject({ status: EntryStatus.Submitted, version: draft.version + 1 });
  });
});
