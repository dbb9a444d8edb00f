// Child process: our server (createServer over a temp embedded store, demo seed, LOG_LEVEL silent)
// on 127.0.0.1:0. Answers the bench over IPC: url and logins, heap (after gc), cpu, collab stats,
// and a fast setup path for many live files and entries. Start with --expose-gc.
import { mkdtemp, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { createServer } from '../../server/createServer.js';
import { openEmbeddedStore } from '../../server/store/embedded/openEmbeddedStore.js';
import { seedDemo } from '../../server/seed/seedDemo.js';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { addEntryToDesk } from '../../shared/collab/deskDoc.js';
import { writeParagraphs } from '../../server/features/entries/entryText.js';
import { newId } from '../../server/ids.js';
import { emit, REPO_ROOT, serveRequests } from './lib/proc.js';

const dataDir = await mkdtemp(join(tmpdir(), 'livedesk-bench-'));
// Every bench client comes from 127.0.0.1: no per-address cap (the memory job opens 4,200 connections).
const config = loadConfig({
  ...process.env, LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'silent', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', MONGODB_URI: undefined,
  MAX_CONNECTIONS_PER_ADDRESS: '0',
});
const logger = createLogger(config.LOG_LEVEL);
const store = await openEmbeddedStore({ dir: dataDir });
const server = createServer({ config, logger, store, clientDir: join(REPO_ROOT, 'dist') });
const logins = (await seedDemo({ store, accounts: server.services.accounts, collab: server.collab, workflow: server.services.workflow })) ?? [];
const url = await server.listen(0, '127.0.0.1');
await (server.collab as unknown as { idle?: () => Promise<void> }).idle?.();

const gc = (globalThis as { gc?: () => void }).gc;
function heapAfterGc(): number {
  if (!gc) throw new Error('start the server child with --expose-gc');
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await server.close().catch(() => {});
  await store.close().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
}

serveRequests({
  heap: (a) => (a.gc === false ? process.memoryUsage().heapUsed : heapAfterGc()),
  memory: () => process.memoryUsage(),
  cpu: () => process.cpuUsage(),
  stats: () => server.collab.stats(),
  idle: async () => {
    await (server.collab as unknown as { idle?: () => Promise<void> }).idle?.();
    return server.collab.stats();
  },
  /** `files` live files with `entriesPerFile` entries each, written through the store port (setup, not measured). */
  seedFiles: async (a) => {
    const files = Number(a.files), perFile = Number(a.entriesPerFile), text = String(a.text ?? '');
    const editor = await store.accounts.findByUsername('editor');
    if (!editor) throw new Error('no demo editor');
    const body = new Y.Doc();
    if (text) writeParagraphs(body, text);
    const entryUpdate = Y.encodeStateAsUpdate(body);
    const out: Array<{ liveFileId: string; entryIds: string[] }> = [];
    for (let f = 0; f < files; f++) {
      const file = await server.services.liveFiles.create(editor, { title: `Bench file ${f} ${randomUUID().slice(0, 8)}` });
      const now = new Date().toISOString();
      const entryIds = await Promise.all(
        Array.from({ length: perFile }, async () => {
          const { entry } = await store.entries.createOnce({
            id: newId(), liveFileId: file.id, newsroomId: file.newsroomId, authorId: editor.id, status: 'draft',
            preview: text.slice(0, 500), bylines: [editor.displayName], contributorIds: [editor.id],
            idempotencyKey: randomUUID(), createdAt: now, updatedAt: now,
          });
          if (text) await store.docs.append(entryDocName(entry.id), entryUpdate);
          return entry.id;
        }),
      );
      await server.collab.change(fileDocName(file.id), (doc) => {
        for (const id of entryIds) addEntryToDesk(doc, id, { label: '' });
      });
      out.push({ liveFileId: file.id, entryIds });
    }
    await (server.collab as unknown as { idle?: () => Promise<void> }).idle?.();
    return out;
  },
  /** Editor accounts for the load job (distinct people on one entry). */
  seedAccounts: async (a) => {
    const count = Number(a.count);
    const editor = await store.accounts.findByUsername('editor');
    if (!editor) throw new Error('no demo editor');
    const made: Array<{ username: string; password: string }> = [];
    for (let i = 0; i < count; i += 8) {
      const batch = Array.from({ length: Math.min(8, count - i) }, (_, j) => ({
        username: `bench${i + j}-${randomUUID().slice(0, 6)}`, password: `bench-pass-${randomUUID()}`,
      }));
      await Promise.all(batch.map((b) => server.services.accounts.createAccount({
        newsroomId: editor.newsroomId, username: b.username, displayName: b.username, role: 'editor', password: b.password,
      })));
      made.push(...batch);
    }
    return made;
  },
  shutdown: async () => {
    await shutdown();
    setImmediate(() => process.exit(0)); // --cpu-prof writes its profile on exit
    return true;
  },
});

process.on('SIGTERM', () => void shutdown().then(() => process.exit(0)));
emit('ready', { url, logins, pid: process.pid });
