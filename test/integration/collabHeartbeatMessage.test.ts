import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { openRawCollab, until } from '../support/collabClients.js';
import { fileDocName } from '../../shared/collab/docName.js';
import { HEARTBEAT_PARAM, MESSAGE_HEARTBEAT } from '../../shared/collab/closeCodes.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { COLLAB_HEARTBEAT_MS: '200' } });
});
afterAll(() => server.close());

const heartbeats = (frames: Uint8Array[]) => frames.filter((f) => f[0] === MESSAGE_HEARTBEAT);

describe('heartbeat messages a browser can see', () => {
  it('[HB1] a connection that asks gets message 102 with the period on join and every period; one that does not ask gets none', async () => {
    const cookie = await signIn(server, 'editor');
    const fileId = ((await api(server, cookie, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
    const url = `${server.wsUrl}/collab`;
    const asking = await openRawCollab(url, `${fileDocName(fileId)}?${HEARTBEAT_PARAM}=1`, { cookie });
    const stock = await openRawCollab(url, fileDocName(fileId), { cookie });
    const opened = Date.now();
    const emptyStep1 = Uint8Array.of(0, 0, 1, 0); // sync • step 1 • the empty state vector
    asking.send(emptyStep1);
    stock.send(emptyStep1);

    await until(asking, 'message', () => heartbeats(asking.frames).length >= 1, 2000);
    const first = heartbeats(asking.frames)[0]!;
    const dec = decoding.createDecoder(first);
    expect(decoding.readVarUint(dec)).toBe(MESSAGE_HEARTBEAT);
    expect(decoding.readVarUint(dec)).toBe(200);
    expect(decoding.hasContent(dec)).toBe(false);
    expect(Date.now() - opened, 'the first heartbeat comes on join, before any period passed').toBeLessThan(200);

    await until(asking, 'message', () => heartbeats(asking.frames).length >= 5, 3000);
    // The connection served normally meanwhile (step 1 and step 2 arrived), and is still open.
    expect(asking.frames.some((f) => f[0] === 0)).toBe(true);
    expect(asking.readyState).toBe(asking.OPEN);
    // The stock client would log "Unable to compute message" for each: it gets none.
    expect(heartbeats(stock.frames)).toEqual([]);
    expect(stock.frames.some((f) => f[0] === 0)).toBe(true);
    asking.close();
    stock.close();
  });
});
