import { expect, it } from 'vitest';
import { newId } from '../../../server/ids.js';
import { DuplicateKeyError, type ReaderCursor, type ReaderEntryRecord } from '../../../server/store/Store.js';
import type { ContractContext } from '../storeContract.js';
import { buildAudit, buildChange, buildEntry, buildPendingSteps, buildReaderEntry, buildSnapshot, bytesOf, nextIso } from '../builders.js';

const KK = 'Алматыда су тасқыны: құтқарушылар жұмыс істеп жатыр';
const RU = 'Митинг на площади Абая';
const AR = 'تظاهرات في الساحة الرئيسية';
const MIXED = `${RU} · ${AR} · 👩🏽‍💻 🇰🇿 · e\u0301 vs \u00e9`;

/** The reader order, by UTF-8 bytes (never locale): pinned first, then position, then entryId. */
function readerOrder(a: ReaderEntryRecord, b: ReaderEntryRecord): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  return Buffer.compare(bytesOf(a.position), bytesOf(b.position)) || Buffer.compare(bytesOf(a.entryId), bytesOf(b.entryId));
}

const cursorOf = (e: ReaderEntryRecord): ReaderCursor => ({ pinned: e.pinned, position: e.position, entryId: e.entryId });

export function publishingCases({ store, reopen }: ContractContext): void {
  it('[ST26] appendChange stores at its seq; lastSeq is the highest (0 when none); changesAfter pages ascending', async () => {
    const repo = store().publishing;
    expect(await repo.lastSeq('file-a')).toBe(0);
    const changes = [1, 2, 3, 4, 5].map((seq) => buildChange({ liveFileId: 'file-a', seq }));
    for (const change of [changes[2]!, changes[0]!, changes[4]!, changes[1]!, changes[3]!]) {
      expect(await repo.appendChange(change)).toEqual({ inserted: true });
    }
    await repo.appendChange(buildChange({ liveFileId: 'file-b', seq: 9 }));
    expect(await repo.lastSeq('file-a')).toBe(5);
    expect(await repo.lastSeq('file-b')).toBe(9);
    expect(await repo.changesAfter('file-a', 0, 100)).toEqual(changes);
    expect(await repo.changesAfter('file-a', 1, 2)).toEqual(changes.slice(1, 3));
    expect(await repo.changesAfter('file-a', 5, 10)).toEqual([]);
    expect(await repo.changesAfter('file-c', 0, 10)).toEqual([]);
  });

  it('[ST26] a retried change (same changeKey) is not stored twice; a taken seq throws DuplicateKeyError', async () => {
    const repo = store().publishing;
    const first = buildChange({ seq: 1 });
    await repo.appendChange(first);
    // A retry, at the same seq or at the next one it computed: the stored change comes back.
    expect(await repo.appendChange({ ...first, at: nextIso() })).toEqual({ inserted: false, existing: first });
    expect(await repo.appendChange({ ...first, seq: 2 })).toEqual({ inserted: false, existing: first });
    // Another change at a taken seq is refused: its writer takes the next seq.
    const rival = buildChange({ seq: 1 });
    const refused = await repo.appendChange(rival).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DuplicateKeyError);
    expect((refused as DuplicateKeyError).collection).toBe('readerChanges');
    // The same seq in another live file is free.
    expect(await repo.appendChange(buildChange({ liveFileId: 'file-z', seq: 1 }))).toEqual({ inserted: true });
    expect(await repo.changesAfter(first.liveFileId, 0, 10)).toEqual([first]);
    expect(await repo.lastSeq(first.liveFileId)).toBe(1);
  });

  it('[ST27] 20 concurrent publishers taking lastSeq + 1 and retrying on DuplicateKeyError store seqs 1..20 exactly', async () => {
    const repo = store().publishing;
    const liveFileId = `file-${newId()}`;
    let refusals = 0;
    const publish = async (writer: number) => {
      const changeKey = `writer-${writer}`;
      for (;;) {
        const seq = (await repo.lastSeq(liveFileId)) + 1;
        try {
          const result = await repo.appendChange(buildChange({ liveFileId, seq, changeKey }));
          expect(result).toEqual({ inserted: true });
          return seq;
        } catch (error) {
          if (!(error instanceof DuplicateKeyError)) throw error;
          refusals++;
        }
      }
    };
    const seqs = await Promise.all(Array.from({ length: 20 }, (_, i) => publish(i)));
    const expected = Array.from({ length: 20 }, (_, i) => i + 1);
    expect([...seqs].sort((a, b) => a - b)).toEqual(expected);
    const stored = await repo.changesAfter(liveFileId, 0, 100);
    expect(stored.map((c) => c.seq)).toEqual(expected);
    expect(new Set(stored.map((c) => c.changeKey)).size).toBe(20);
    expect(await repo.lastSeq(liveFileId)).toBe(20);
    expect(refusals).toBeGreaterThan(0); // the writers did race
  });

  it('[ST26] publicationsOf lists an entry’s published, corrected and retracted changes, oldest first', async () => {
    const repo = store().publishing;
    const entryId = newId();
    const kinds = ['published', 'pinned', 'corrected', 'moved', 'keyEvent', 'retracted'] as const;
    const changes = kinds.map((kind, i) => buildChange({ entryId, seq: i + 1, kind, ...(i % 2 === 1 ? { publication: undefined } : {}) }));
    for (const change of [...changes].reverse()) await repo.appendChange(change);
    await repo.appendChange(buildChange({ seq: 7 })); // another entry
    expect(await repo.publicationsOf(entryId)).toEqual([changes[0], changes[2], changes[5]]);
    expect(await repo.publicationsOf('missing-id')).toEqual([]);
  });

  it('[ST28] putReaderEntry inserts, replaces with a newer seq, and ignores an older or equal one', async () => {
    const repo = store().publishing;
    const v5 = buildReaderEntry({ seq: 5, html: '<p>five</p>' });
    await repo.putReaderEntry(v5);
    expect(await repo.findReaderEntry(v5.entryId)).toEqual(v5);
    await repo.putReaderEntry({ ...v5, seq: 3, html: '<p>three</p>' });
    await repo.putReaderEntry({ ...v5, seq: 5, html: '<p>five again</p>' });
    expect(await repo.findReaderEntry(v5.entryId)).toEqual(v5);
    const v6 = { ...v5, seq: 6, html: '<p>six</p>', corrected: true, retracted: { reason: 'Wrong', at: nextIso() } };
    await repo.putReaderEntry(v6);
    expect(await repo.findReaderEntry(v5.entryId)).toEqual(v6);
    expect(await repo.findReaderEntry('missing-id')).toBeNull();
  });

  it('[ST28] of 20 concurrent putReaderEntry calls in any order the highest seq is kept', async () => {
    const repo = store().publishing;
    const base = buildReaderEntry();
    const seqs = [7, 3, 20, 1, 15, 9, 12, 2, 18, 5, 11, 4, 19, 6, 14, 8, 17, 10, 16, 13];
    await Promise.all(seqs.map((seq) => repo.putReaderEntry({ ...base, seq, html: `<p>${seq}</p>` })));
    expect(await repo.findReaderEntry(base.entryId)).toEqual({ ...base, seq: 20, html: '<p>20</p>' });
  });

  it('[ST28] listReaderEntries: pinned first, then position by bytes, then entryId; cursor pages cover each entry once', async () => {
    const repo = store().publishing;
    // Upper case sorts before lower case by bytes (a locale order would interleave them).
    const positions = ['a0', 'Zz', 'a1', 'a0', 'A5', 'b', 'a0V', 'a1'];
    const entries = Array.from({ length: 23 }, (_, i) =>
      buildReaderEntry({ liveFileId: 'file-r', pinned: i % 5 === 0, position: positions[i % positions.length]!, entryId: `e${String(i).padStart(2, '0')}-${newId()}` }),
    );
    await Promise.all(entries.map((e) => repo.putReaderEntry(e)));
    await repo.putReaderEntry(buildReaderEntry({ liveFileId: 'file-other', pinned: true }));
    const expected = [...entries].sort(readerOrder);

    expect(await repo.listReaderEntries('file-r', { limit: 100 })).toEqual(expected);
    for (const limit of [1, 4, 7]) {
      const seen: ReaderEntryRecord[] = [];
      let after: ReaderCursor | undefined;
      for (let page = 0; page < 30; page++) {
        const got = await repo.listReaderEntries('file-r', { after, limit });
        expect(got.length).toBeLessThanOrEqual(limit);
        if (got.length === 0) break;
        seen.push(...got);
        after = cursorOf(got.at(-1)!);
      }
      expect(seen.map((e) => e.entryId)).toEqual(expected.map((e) => e.entryId));
    }
    // A cursor is a place, not a stored entry: strictly after it, in both groups.
    const firstUnpinned = expected.findIndex((e) => !e.pinned);
    expect(await repo.listReaderEntries('file-r', { after: { pinned: true, position: '~', entryId: '' }, limit: 100 })).toEqual(
      expected.slice(firstUnpinned),
    );
    expect(await repo.listReaderEntries('file-r', { after: { pinned: false, position: 'a0', entryId: '~' }, limit: 100 })).toEqual(
      expected.filter((e) => !e.pinned && Buffer.compare(bytesOf(e.position), bytesOf('a0')) > 0),
    );
    expect(await repo.listReaderEntries('file-none', { limit: 10 })).toEqual([]);
  });

  it('[ST28] a reader entry moves in the order when a newer seq pins it or moves it', async () => {
    const repo = store().publishing;
    const a = buildReaderEntry({ liveFileId: 'file-m', position: 'a0', entryId: 'a' });
    const b = buildReaderEntry({ liveFileId: 'file-m', position: 'a1', entryId: 'b' });
    await repo.putReaderEntry(a);
    await repo.putReaderEntry(b);
    await repo.putReaderEntry({ ...b, seq: 2, pinned: true });
    expect((await repo.listReaderEntries('file-m', { limit: 10 })).map((e) => e.entryId)).toEqual(['b', 'a']);
    await repo.putReaderEntry({ ...b, seq: 3, pinned: false, position: 'Z' });
    expect((await repo.listReaderEntries('file-m', { limit: 10 })).map((e) => e.entryId)).toEqual(['b', 'a']);
    await repo.putReaderEntry({ ...b, seq: 2, pinned: false, position: 'b' }); // stale: ignored
    expect(await repo.findReaderEntry('b')).toMatchObject({ seq: 3, position: 'Z' });
  });

  it('[ST31] multilingual html, text and headlines round-trip byte-exact in changes, reader entries and pending publications', async () => {
    const html = `<h2>${KK}</h2><p dir="rtl">${AR}</p><p>${MIXED}</p>`;
    const text = `${KK}\n\n${AR}\n\n${MIXED}`;
    const publication = buildSnapshot({
      html,
      text,
      headline: RU,
      bylines: [KK, AR],
      doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: MIXED }] }] },
    });
    const readerEntry = buildReaderEntry({ html, text, headline: RU, bylines: [KK, AR], retracted: { reason: AR, at: nextIso() } });
    const change = buildChange({ entryId: readerEntry.entryId, entry: readerEntry, publication });
    await store().publishing.appendChange(change);
    await store().publishing.putReaderEntry(readerEntry);
    const { entry } = await store().entries.createOnce(buildEntry({ status: 'submitted' }));
    const at = nextIso();
    await store().entries.transition(entry.id, entry, {
      status: 'published',
      updatedAt: at,
      lastAction: { action: 'publish', actorId: 'chief-1', at },
      pending: buildPendingSteps({ publication, audit: buildAudit({ entryId: entry.id, actorName: KK, note: AR }) }),
      note: null,
    });

    const [storedChange] = await store().publishing.changesAfter(change.liveFileId, 0, 10);
    const storedEntry = await store().publishing.findReaderEntry(readerEntry.entryId);
    const pending = (await store().entries.findById(entry.id))!.pending!;
    expect(bytesOf(pending.audit.actorName).equals(bytesOf(KK))).toBe(true);
    for (const got of [storedChange!.entry, storedEntry!]) {
      expect(bytesOf(got.html).equals(bytesOf(html))).toBe(true);
      expect(bytesOf(got.text).equals(bytesOf(text))).toBe(true);
      expect(bytesOf(got.headline).equals(bytesOf(RU))).toBe(true);
      expect(bytesOf(got.retracted!.reason).equals(bytesOf(AR))).toBe(true);
    }
    for (const got of [storedChange!.publication!, pending.publication!]) {
      expect(bytesOf(got.html).equals(bytesOf(html))).toBe(true);
      expect(bytesOf(got.text).equals(bytesOf(text))).toBe(true);
      expect(got.bylines.map((b) => bytesOf(b).toString('hex'))).toEqual([KK, AR].map((b) => bytesOf(b).toString('hex')));
      expect(got.doc).toEqual(publication.doc);
    }
  });

  it('[ST31] the change log and reader entries survive reopening the store, unique keys included', async () => {
    const first = buildChange({ seq: 1, publication: buildSnapshot({ text: KK }) });
    const second = buildChange({ seq: 2, kind: 'pinned', publication: undefined });
    await store().publishing.appendChange(first);
    await store().publishing.appendChange(second);
    const readerEntry = buildReaderEntry({ seq: 4, headline: KK });
    await store().publishing.putReaderEntry(readerEntry);

    await reopen();

    const repo = store().publishing;
    expect(await repo.lastSeq(first.liveFileId)).toBe(2);
    expect(await repo.changesAfter(first.liveFileId, 0, 10)).toEqual([first, second]);
    expect(await repo.publicationsOf(first.entryId)).toEqual([first]);
    expect(await repo.findReaderEntry(readerEntry.entryId)).toEqual(readerEntry);
    expect(await repo.appendChange(first)).toEqual({ inserted: false, existing: first });
    await expect(repo.appendChange(buildChange({ seq: 2 }))).rejects.toBeInstanceOf(DuplicateKeyError);
    await repo.putReaderEntry({ ...readerEntry, seq: 3, headline: 'older' });
    expect(await repo.findReaderEntry(readerEntry.entryId)).toEqual(readerEntry);
    expect(await repo.listReaderEntries(readerEntry.liveFileId, { limit: 10 })).toEqual([readerEntry]);
  });
}
