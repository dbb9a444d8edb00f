import { fileDocName } from '../../../shared/collab/docName.js';
import { readDeskOrder, type DeskItem } from '../../../shared/collab/deskDoc.js';
import type { DomainEvents } from '../../events.js';
import { DuplicateKeyError } from '../../store/Store.js';
import type { EntryRecord } from '../../store/ports/entries.js';
import type {
  PublicationSnapshot,
  PublishingRepo,
  ReaderChangeKind,
  ReaderChangeRecord,
  ReaderEntryRecord,
} from '../../store/ports/publishing.js';
import type { EntryDocs } from '../entries/EntryDocs.js';
import { SerialQueue } from '../entries/SerialQueue.js';

/**
 * Writes what readers see: the change log with its gap-free per-file seq, and the reader record
 * of each published entry. Every write is idempotent under a changeKey, so the workflow may retry
 * a step after a crash. Within a process one file's changes are written one at a time (no seq
 * contention); across processes the unique (liveFileId, seq) index decides and the loser takes
 * the next seq.
 */
export function createPublishingService(deps: { publishing: PublishingRepo; entryDocs: Pick<EntryDocs, 'view'>; events: DomainEvents }) {
  const { publishing, entryDocs, events } = deps;
  const perFile = new SerialQueue();
  /**
   * Per live file, the last seq this process stored: the next append tries the seq after it
   * without asking the store first (one read less per publish, inside the file's queue). Only a
   * hint, never ahead of the store (set after an insert succeeded; changes are never deleted): if
   * another process took that seq since, the unique (liveFileId, seq) index refuses it, the hint is
   * dropped and the store asked. So seqs stay gap-free.
   */
  const lastStored = new Map<string, number>();

  /** The desk's places, read on the desk document itself (no encode and decode of its state). */
  function deskPlaces(liveFileId: string): Promise<Map<string, DeskItem>> {
    return entryDocs.view(fileDocName(liveFileId), (doc) => new Map(readDeskOrder(doc).map((i) => [i.entryId, i])));
  }

  function remember(liveFileId: string, seq: number): void {
    lastStored.delete(liveFileId); // re-inserted: the map is kept in last-use order
    lastStored.set(liveFileId, seq);
    if (lastStored.size > LAST_STORED_MAX) lastStored.delete(lastStored.keys().next().value!);
  }

  /**
   * Appends at the next free seq; a change already stored under its key is returned as is.
   * The reader record is written before the change: the page reads lastSeq first, then the
   * records, so a page either shows the entry or ends before its change (which the reader then
   * receives and applies by id). The other order could give a page lastSeq = N without entry N:
   * missed for good.
   */
  async function append(change: Omit<ReaderChangeRecord, 'seq' | 'entry'> & { entry: Omit<ReaderEntryRecord, 'seq'> }): Promise<ReaderChangeRecord> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const seq = (lastStored.get(change.liveFileId) ?? (await publishing.lastSeq(change.liveFileId))) + 1;
      const record: ReaderChangeRecord = { ...change, seq, entry: { ...change.entry, seq } };
      try {
        await publishing.putReaderEntry(record.entry);
        const result = await publishing.appendChange(record);
        if (result.inserted) remember(change.liveFileId, seq);
        // A retry of a change stored before (crash recovery): same wording, its record stands.
        const stored = result.inserted ? record : result.existing;
        if (result.inserted) events.emit('reader:change', stored);
        return stored;
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
        // Another process took this seq: ask the store, take the next one.
        lastStored.delete(change.liveFileId);
      }
    }
    throw new Error(`could not find a free seq in live file ${change.liveFileId}`);
  }

  /**
   * Stores a publication (first publish, correction or retraction) of `entry` at `entry.version`.
   * Safe to call again for the same version: nothing is written twice.
   */
  function record(entry: EntryRecord, snapshot: PublicationSnapshot): Promise<ReaderChangeRecord> {
    return perFile.run(entry.liveFileId, async () => {
      const [previous, places] = await Promise.all([publishing.findReaderEntry(entry.id), deskPlaces(entry.liveFileId)]);
      const place = places.get(entry.id);
      const retracted = snapshot.kind === 'retracted';
      const base = retracted && previous ? previous : null;
      return append({
        liveFileId: entry.liveFileId,
        kind: snapshot.kind,
        entryId: entry.id,
        changeKey: `${entry.id}:v${entry.version}`,
        at: snapshot.at,
        publication: snapshot,
        entry: {
          entryId: entry.id,
          liveFileId: entry.liveFileId,
          revision: base?.revision ?? snapshot.revision,
          // A retraction withdraws the words: readers get the note in their place, never the text.
          html: retracted ? '' : snapshot.html,
          text: retracted ? '' : snapshot.text,
          headline: retracted ? '' : snapshot.headline,
          ...(!retracted && snapshot.place ? { place: snapshot.place } : {}),
          bylines: base?.bylines ?? snapshot.bylines,
          publishedAt: previous?.publishedAt ?? snapshot.at,
          updatedAt: snapshot.at,
          pinned: place?.pinned ?? previous?.pinned ?? false,
          keyEvent: place?.keyEvent ?? previous?.keyEvent ?? false,
          position: place?.position ?? previous?.position ?? '',
          corrected: snapshot.kind === 'corrected' || (previous?.corrected ?? false),
          retracted: retracted ? (snapshot.retraction ?? { reason: '', at: snapshot.at }) : null,
        },
      });
    });
  }

  /**
   * The desk document changed: each published entry whose pin, key-event flag or place moved
   * becomes a reader change. Idempotent: the change key names the reader record's seq it follows.
   */
  function syncDesk(liveFileId: string): Promise<ReaderChangeRecord[]> {
    return perFile.run(liveFileId, async () => {
      const places = await deskPlaces(liveFileId);
      const written: ReaderChangeRecord[] = [];
      for (const current of await allReaderEntries(liveFileId)) {
        const place = places.get(current.entryId);
        if (!place) continue; // off the desk: readers keep its last place
        let entry = current;
        for (const [kind, next] of deskChanges(entry, place)) {
          const stored = await append({
            liveFileId,
            kind,
            entryId: entry.entryId,
            changeKey: `${entry.entryId}:after${entry.seq}:${kind}`,
            at: new Date().toISOString(),
            entry: { ...next, updatedAt: entry.updatedAt },
          });
          written.push(stored);
          entry = stored.entry;
        }
      }
      return written;
    });
  }

  async function allReaderEntries(liveFileId: string): Promise<ReaderEntryRecord[]> {
    const out: ReaderEntryRecord[] = [];
    for (;;) {
      const last = out.at(-1);
      const page = await publishing.listReaderEntries(liveFileId, { limit: 500, ...(last ? { after: { pinned: last.pinned, position: last.position, entryId: last.entryId } } : {}) });
      out.push(...page);
      if (page.length < 500) return out;
    }
  }

  return { record, syncDesk };
}
export type PublishingService = ReturnType<typeof createPublishingService>;

/** Live files whose last seq is kept (the least recently published are dropped, then read again). */
const LAST_STORED_MAX = 10_000;

/** The reader changes that take `entry` to the desk's `place`, in a fixed order. */
function deskChanges(entry: ReaderEntryRecord, place: DeskItem): Array<[ReaderChangeKind, Omit<ReaderEntryRecord, 'seq'>]> {
  const out: Array<[ReaderChangeKind, Omit<ReaderEntryRecord, 'seq'>]> = [];
  let next: Omit<ReaderEntryRecord, 'seq'> = entry;
  if (place.pinned !== next.pinned) {
    next = { ...next, pinned: place.pinned, position: place.position };
    out.push([place.pinned ? 'pinned' : 'unpinned', next]);
  }
  if (place.keyEvent !== next.keyEvent) {
    next = { ...next, keyEvent: place.keyEvent };
    out.push(['keyEvent', next]);
  }
  if (place.position !== next.position) {
    next = { ...next, position: place.position };
    out.push(['moved', next]);
  }
  return out;
}
