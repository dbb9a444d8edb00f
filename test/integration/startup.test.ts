import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../support/serverProcess.js';
import { openCollabDoc, until } from '../support/collabClients.js';
import { insertText, textOf } from '../support/entryText.js';
import { entryDocName } from '../../shared/collab/docName.js';
import { KK } from '../support/fixtures.js';

const running: ServerProcess[] = [];
afterEach(() => {
  for (const s of running.splice(0)) s.child.kill('SIGKILL');
});

async function signInTo(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

describe('start-up and shutdown of the real process', () => {
  it('[SU1] a bad configuration value stops start-up naming the variable', async () => {
    const s = spawnServer({ PORT: 'eighty', DATA_DIR: await mkdtemp(join(tmpdir(), 'ld-su-')) });
    running.push(s);
    expect(await s.exited).toBe(2);
    expect(s.output()).toMatch(/PORT/);
    expect(s.output()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('[SU2] an unreachable MongoDB is named, retried, then start-up exits with a clear message', async () => {
    const s = spawnServer({ MONGODB_URI: 'mongodb://127.0.0.1:1/', STORE_CONNECT_TIMEOUT_S: '1' });
    running.push(s);
    expect(await s.exited).toBe(1);
    expect(s.output()).toMatch(/127\.0\.0\.1:1/);
    expect(s.output()).toMatch(/cannot open the MongoDB store/);
  });

  it('[SU3] first start prints the demo logins once; a second start keeps the data and prints none', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ld-su-'));
    const first = spawnServer({ DATA_DIR: dataDir });
    running.push(first);
    await first.ready;
    expect([...first.logins.keys()].sort()).toEqual(['admin', 'chief', 'correspondent', 'editor', 'editor2']);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = spawnServer({ DATA_DIR: dataDir });
    running.push(second);
    await second.ready;
    expect(second.logins.size).toBe(0);
    const cookie = await signInTo(second.url, 'editor', first.logins.get('editor')!);
    const files = (await (await fetch(`${second.url}/api/live-files`, { headers: { cookie } })).json()) as { liveFiles: { entryCount: number }[] };
    expect(files.liveFiles[0].entryCount).toBe(12);
  });

  it('[SU4] a killed server (SIGKILL) loses no update another client already received', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ld-su-'));
    const first = spawnServer({ DATA_DIR: dataDir });
    running.push(first);
    await first.ready;
    const password = first.logins.get('editor')!;
    const cookie = await signInTo(first.url, 'editor', password);
    const files = (await (await fetch(`${first.url}/api/live-files`, { headers: { cookie } })).json()) as { liveFiles: { id: string }[] };
    const entry = (await (
      await fetch(`${first.url}/api/live-files/${files.liveFiles[0].id}/entries`, {
        method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ idempotencyKey: randomUUID() }),
      })
    ).json()) as { id: string };
    const wsUrl = `${first.url.replace(/^http/, 'ws')}/collab`;
    const writer = await openCollabDoc(wsUrl, entryDocName(entry.id), { headers: { cookie } });
    const reader = await openCollabDoc(wsUrl, entryDocName(entry.id), { headers: { cookie } });
    insertText(writer.doc, 0, KK);
    await until(reader.doc, 'update', () => textOf(reader.doc) === KK);
    writer.provider.destroy();
    reader.provider.destroy();
    first.child.kill('SIGKILL');
    await first.exited;

    const second = spawnServer({ DATA_DIR: dataDir });
    running.push(second);
    await second.ready;
    const again = await openCollabDoc(`${second.url.replace(/^http/, 'ws')}/collab`, entryDocName(entry.id), {
      headers: { cookie: await signInTo(second.url, 'editor', password) },
    });
    expect(textOf(again.doc)).toBe(KK);
    again.destroy();
  });
});
