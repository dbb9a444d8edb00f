import { closeSync, openSync, writeSync } from 'node:fs';
import { open, readdir, readFile, rename, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { DocRepo, StoredDoc } from '../ports/docLogs.js';
import { decodeOwner, decodeRecords, encodeOwner, encodeRecord, RecordKind, type LogRecord } from './docLogFormat.js';

/** Open append handles kept at once; the least recently used is closed beyond this. */
const MAX_OPEN_HANDLES = 128;
/** Documents whose client-id owners are kept in memory; the log file stays the truth. */
const MAX_CACHED_OWNERS = 1024;
const LOG_SUFFIX = '.ydoc';

/**
 * Yjs persistence for the embedded store: one append-only file per document under `<dir>/docs`.
 * An append is one write on a handle kept open (nedb would open and close its datafile per
 * insert and hold every document in memory); a document is read only when it is loaded.
 * Operations on one document run one at a time; different documents proceed in parallel.
 * Client-id owners are records of the same log (kept by compaction, deleted with it): read only
 * when asked for, and a claim is one synchronous append, so the first claim of an id wins.
 */
export async function openDocLogs(dir: string): Promise<DocRepo & { close(): Promise<void> }> {
  const root = join(dir, 'docs');
  await mkdir(root, { recursive: true });
  const handles = new Map<string, number>(); // file descriptors; insertion order = recency
  const nextSeq = new Map<string, number>();
  const queues = new Map<string, Promise<unknown>>();
  const owners = new Map<string, Map<number, string>>(); // insertion order = recency
  const fileOf = (docName: string) => join(root, `${encodeURIComponent(docName)}${LOG_SUFFIX}`);

  function exclusive<T>(docName: string, run: () => Promise<T>): Promise<T> {
    const previous = queues.get(docName) ?? Promise.resolve();
    const result = previous.then(run, run);
    const tail = result.catch(() => undefined);
    queues.set(docName, tail);
    void tail.then(() => {
      if (queues.get(docName) === tail) queues.delete(docName);
    });
    return result;
  }

  /** Reads the log, cutting off a torn last record so later appends follow whole ones. */
  async function readRecords(docName: string): Promise<LogRecord[]> {
    let file: Buffer;
    try {
      file = await readFile(fileOf(docName));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      nextSeq.set(docName, 1);
      return [];
    }
    const { records, validLength } = decodeRecords(file);
    if (validLength < file.length) {
      await closeHandle(docName);
      await truncate(fileOf(docName), validLength);
    }
    nextSeq.set(docName, records.reduce((max, r) => Math.max(max, r.seq), 0) + 1);
    return records;
  }

  function handleFor(docName: string): number {
    const known = handles.get(docName);
    if (known !== undefined) {
      handles.delete(docName);
      handles.set(docName, known);
      return known;
    }
    const fd = openSync(fileOf(docName), 'a');
    handles.set(docName, fd);
    if (handles.size > MAX_OPEN_HANDLES) {
      const [oldest] = handles.keys();
      // Closed in that document's own turn, never under one of its writes.
      if (oldest !== docName) void exclusive(oldest, () => closeHandle(oldest));
    }
    return fd;
  }

  /** The document's owners, from memory or its log; call inside the document's turn. */
  async function ownersOf(docName: string): Promise<Map<number, string>> {
    let known = owners.get(docName);
    if (known) {
      owners.delete(docName);
    } else {
      known = new Map();
      for (const r of await readRecords(docName)) {
        const owner = r.kind === RecordKind.Owner ? decodeOwner(r.bytes) : null;
        if (owner && !known.has(owner.clientId)) known.set(owner.clientId, owner.accountId);
      }
    }
    owners.set(docName, known);
    if (owners.size > MAX_CACHED_OWNERS) {
      const [oldest] = owners.keys();
      owners.delete(oldest); // safe at any time: the log has every owner
    }
    return known;
  }

  async function closeHandle(docName: string): Promise<void> {
    const fd = handles.get(docName);
    handles.delete(docName);
    if (fd !== undefined) closeSync(fd);
  }

  return {
    load: (docName) =>
      exclusive(docName, async (): Promise<StoredDoc> => {
        const records = await readRecords(docName);
        const snapshot = records.find((r) => r.kind === RecordKind.Snapshot)?.bytes ?? null;
        const updates = records.filter((r) => r.kind === RecordKind.Update).map((r) => ({ id: String(r.seq), update: r.bytes }));
        return { snapshot, updates };
      }),

    append: (docName, update) =>
      exclusive(docName, async () => {
        if (!nextSeq.has(docName)) await readRecords(docName);
        const seq = nextSeq.get(docName)!;
        // Written to the OS before resolving: survives a process crash (no fsync, like nedb).
        // A synchronous append of a few hundred bytes to the page cache costs microseconds; the
        // thread-pool round trip of an async write cost more CPU than the write itself.
        writeAll(handleFor(docName), encodeRecord(RecordKind.Update, seq, update));
        nextSeq.set(docName, seq + 1);
        return String(seq);
      }),

    compact: (docName, snapshot, coveredUpdateIds) =>
      exclusive(docName, async () => {
        const covered = new Set(coveredUpdateIds);
        // Owners are not in the snapshot: they are carried over whole.
        const kept = (await readRecords(docName)).filter(
          (r) => r.kind === RecordKind.Owner || (r.kind === RecordKind.Update && !covered.has(String(r.seq))),
        );
        const temp = `${fileOf(docName)}.compacting`;
        const fh = await open(temp, 'w');
        try {
          await fh.write(Buffer.concat([encodeRecord(RecordKind.Snapshot, 0, snapshot), ...kept.map((r) => encodeRecord(r.kind, r.seq, r.bytes))]));
          await fh.sync(); // the rename must never expose a half-written snapshot
        } finally {
          await fh.close();
        }
        await closeHandle(docName); // its handle points at the file being replaced
        await rename(temp, fileOf(docName));
      }),

    delete: (docName) =>
      exclusive(docName, async () => {
        await closeHandle(docName);
        nextSeq.delete(docName);
        owners.delete(docName);
        await unlink(fileOf(docName)).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
      }),

    async listNames() {
      const files = await readdir(root);
      return files.filter((f) => f.endsWith(LOG_SUFFIX)).map((f) => decodeURIComponent(f.slice(0, -LOG_SUFFIX.length)));
    },

    loadClientOwners: (docName) => exclusive(docName, async () => new Map(await ownersOf(docName))),

    claimClientIds: (docName, clientIds, accountId) =>
      exclusive(docName, async () => {
        for (const id of clientIds) if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`not a Yjs client id: ${id}`);
        const known = await ownersOf(docName);
        const fresh = [...new Set(clientIds)].filter((id) => !known.has(id));
        if (fresh.length > 0) {
          // One write for the whole claim, to the OS before resolving (as appends are).
          writeAll(handleFor(docName), Buffer.concat(fresh.map((id) => encodeRecord(RecordKind.Owner, 0, encodeOwner(id, accountId)))));
          for (const id of fresh) known.set(id, accountId);
        }
        return new Map(clientIds.map((id) => [id, known.get(id)!]));
      }),

    async close() {
      await Promise.all([...queues.values()]);
      await Promise.all([...handles.keys()].map(closeHandle));
    },
  };
}

function writeAll(fd: number, data: Buffer): void {
  for (let written = 0; written < data.length; ) written += writeSync(fd, data, written, data.length - written);
}
