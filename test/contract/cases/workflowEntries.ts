import { expect, it } from 'vitest';
import { ENTRY_STATUSES, type EntryStatus, type WorkflowAction } from '../../../shared/workflow.js';
import type { EntryTransitionPatch } from '../../../server/store/Store.js';
import type { ContractContext } from '../storeContract.js';
import { buildEntry, buildLiveFile, buildPendingSteps, buildSnapshot, nextIso } from '../builders.js';

function move(status: EntryStatus, action: WorkflowAction, extra: Partial<EntryTransitionPatch> = {}): EntryTransitionPatch {
  const at = nextIso();
  return { status, updatedAt: at, lastAction: { action, actorId: 'chief-1', at }, ...extra };
}

export function workflowEntryCases({ store, reopen }: ContractContext): void {
  it('[ST22] a transition sets every field of its patch in one update, and null removes a field', async () => {
    const { entry } = await store().entries.createOnce(buildEntry({ status: 'submitted', note: 'old note' }));
    const pending = buildPendingSteps({ publication: buildSnapshot({ revision: 1 }) });
    const publish = move('published', 'publish', { note: null, publishedRevision: 1, pending });
    const published = await store().entries.transition(entry.id, entry, publish);
    const { note: _gone, ...withoutNote } = entry;
    expect(published).toEqual({ ...withoutNote, ...publish, note: undefined, version: entry.version + 1 });
    expect(published).not.toHaveProperty('note');
    expect(await store().entries.findById(entry.id)).toEqual(published);

    // undefined leaves a field alone: the publication and its revision stay; null removes pending.
    const retraction = { reason: 'Wrong district named', at: nextIso() };
    const retract = move('retracted', 'retract', { retraction, pending: null, note: undefined });
    const retracted = await store().entries.transition(entry.id, published!, retract);
    expect(retracted).toMatchObject({ status: 'retracted', version: entry.version + 2, retraction, publishedRevision: 1 });
    expect(retracted!.lastAction).toEqual(retract.lastAction);
    expect(retracted).not.toHaveProperty('pending');
    expect(retracted).not.toHaveProperty('note');
    expect(await store().entries.findById(entry.id)).toEqual(retracted);
  });

  it('[ST22] schedule sets publishAt and the approved wording; a later transition with null removes them', async () => {
    const { entry } = await store().entries.createOnce(buildEntry({ status: 'submitted' }));
    const publishAt = '2030-05-01T09:00:00.000Z';
    const wording = buildSnapshot({ revision: 1 });
    const scheduled = await store().entries.transition(entry.id, entry, move('scheduled', 'schedule', { publishAt, scheduled: wording }));
    expect(scheduled).toMatchObject({ status: 'scheduled', publishAt, scheduled: wording, version: 1 });
    const patch = move('rejected', 'reject', { publishAt: null, scheduled: null, note: 'Hold it' });
    const rejected = await store().entries.transition(entry.id, scheduled!, patch);
    expect(rejected).toMatchObject({ status: 'rejected', note: 'Hold it', version: 2 });
    expect(rejected).not.toHaveProperty('publishAt');
    expect(rejected).not.toHaveProperty('scheduled');
    expect(await store().entries.findById(entry.id)).toEqual(rejected);
  });

  it('[ST22] a stale version or status changes nothing, not even the patch’s other fields', async () => {
    const { entry } = await store().entries.createOnce(buildEntry({ status: 'submitted', note: 'keep me' }));
    const patch = move('published', 'publish', { note: null, publishedRevision: 1, pending: buildPendingSteps() });
    expect(await store().entries.transition(entry.id, { status: 'submitted', version: 5 }, patch)).toBeNull();
    expect(await store().entries.transition(entry.id, { status: 'draft', version: entry.version }, patch)).toBeNull();
    expect(await store().entries.findById(entry.id)).toEqual(entry);
  });

  it('[ST22] of 20 concurrent transitions from the same state exactly one wins, and only its patch is stored', async () => {
    const { entry } = await store().entries.createOnce(buildEntry({ status: 'submitted' }));
    const targets = ENTRY_STATUSES.filter((s) => s !== 'submitted');
    const patches = Array.from({ length: 20 }, (_, i) =>
      move(targets[i % targets.length]!, 'publish', { note: `attempt ${i}`, publishedRevision: i }),
    );
    const results = await Promise.all(patches.map((patch) => store().entries.transition(entry.id, entry, patch)));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const patch = patches[results.findIndex((r) => r !== null)]!;
    expect(winners[0]).toEqual({ ...entry, ...patch, version: entry.version + 1 });
    expect(await store().entries.findById(entry.id)).toEqual(winners[0]);
  });

  it('[ST23] bumpRevision: with no stored fingerprint only fromHash undefined applies; then it compares the hash', async () => {
    const { entry } = await store().entries.createOnce(buildEntry({ status: 'published' }));
    const bump = (fromHash: string | undefined, toHash: string, editorId?: string) =>
      store().entries.bumpRevision(entry.id, { fromHash, toHash, editorId, preview: `text ${toHash}`, updatedAt: nextIso() });

    expect(await bump('h0', 'h1', 'editor-1')).toBeNull();
    const first = await bump(undefined, 'h1', 'editor-1');
    expect(first).toMatchObject({ revision: 2, revisionHash: 'h1', lastEditorId: 'editor-1', preview: 'text h1' });
    expect(first).toMatchObject({ status: 'published', version: entry.version }); // workflow fields untouched
    expect(await bump(undefined, 'h2')).toBeNull();
    expect(await bump('h0', 'h2')).toBeNull();
    // No editor (a server-side change): the previous editor is not kept.
    const second = await bump('h1', 'h2');
    expect(second).toMatchObject({ revision: 3, revisionHash: 'h2', preview: 'text h2' });
    expect(second).not.toHaveProperty('lastEditorId');
    expect(await store().entries.findById(entry.id)).toEqual(second);
    expect(await store().entries.bumpRevision('missing-id', { fromHash: undefined, toHash: 'x', editorId: undefined, preview: '', updatedAt: nextIso() })).toBeNull();
  });

  it('[ST23] of 20 concurrent bumps from one fingerprint exactly one applies', async () => {
    const { entry } = await store().entries.createOnce(buildEntry({ revision: 3, revisionHash: 'base' }));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store().entries.bumpRevision(entry.id, { fromHash: 'base', toHash: `h${i}`, editorId: `e${i}`, preview: `p${i}`, updatedAt: nextIso() }),
      ),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.revision).toBe(4);
    expect(await store().entries.findById(entry.id)).toEqual(winners[0]);
  });

  it('[ST24] clearPending removes pending only at the given version; listPending finds the unfinished', async () => {
    const a = (await store().entries.createOnce(buildEntry({ status: 'submitted' }))).entry;
    const b = (await store().entries.createOnce(buildEntry({ status: 'submitted' }))).entry;
    await store().entries.createOnce(buildEntry({ status: 'submitted' }));
    const pubA = await store().entries.transition(a.id, a, move('published', 'publish', { pending: buildPendingSteps(), publishedRevision: 1 }));
    const pubB = await store().entries.transition(b.id, b, move('published', 'publish', { pending: buildPendingSteps() }));
    expect((await store().entries.listPending()).map((e) => e.id)).toEqual([a.id, b.id]);

    await store().entries.clearPending(a.id, a.version); // stale: another transition since
    expect(await store().entries.findById(a.id)).toEqual(pubA);
    await store().entries.clearPending(a.id, pubA!.version);
    const { pending: _cleared, ...cleared } = pubA!;
    expect(await store().entries.findById(a.id)).toEqual(cleared);
    await store().entries.clearPending('missing-id', 1);
    expect((await store().entries.listPending()).map((e) => e.id)).toEqual([b.id]);
    expect((await store().entries.listPending())[0]).toEqual(pubB);
  });

  it('[ST24] listByStatus lists one status oldest first, across the store or in one newsroom', async () => {
    const make = async (status: EntryStatus, newsroomId: string) =>
      (await store().entries.createOnce(buildEntry({ status, newsroomId }))).entry.id;
    const s1 = await make('scheduled', 'room-a');
    await make('submitted', 'room-a');
    const s2 = await make('scheduled', 'room-b');
    const s3 = await make('scheduled', 'room-a');
    expect((await store().entries.listByStatus('scheduled')).map((e) => e.id)).toEqual([s1, s2, s3]);
    expect((await store().entries.listByStatus('scheduled', 'room-a')).map((e) => e.id)).toEqual([s1, s3]);
    expect(await store().entries.listByStatus('retracted')).toEqual([]);
    // A transition moves it between lists.
    const entry = (await store().entries.findById(s2))!;
    await store().entries.transition(s2, entry, move('published', 'publish'));
    expect((await store().entries.listByStatus('scheduled')).map((e) => e.id)).toEqual([s1, s3]);
    expect((await store().entries.listByStatus('published', 'room-b')).map((e) => e.id)).toEqual([s2]);
  });

  it('[ST25] a live file keeps members and fourEyes; null members means the whole newsroom', async () => {
    const created = await store().liveFiles.create(buildLiveFile({ members: ['account-1', 'account-2'], fourEyes: true }));
    expect(await store().liveFiles.findById(created.id)).toEqual(created);
    const opened = await store().liveFiles.update(created.id, { members: null, fourEyes: false });
    expect(opened).toEqual({ ...created, members: null, fourEyes: false });
    const restricted = await store().liveFiles.update(created.id, { members: ['account-3'] });
    expect(restricted).toEqual({ ...created, members: ['account-3'], fourEyes: false });
    expect(await store().liveFiles.findById(created.id)).toEqual(restricted);
  });

  it('[ST25] findByPublicSlug finds a file by slug alone, in any newsroom', async () => {
    const file = await store().liveFiles.create(buildLiveFile({ newsroomId: 'room-b', slug: 'almaty-floods' }));
    await store().liveFiles.create(buildLiveFile({ newsroomId: 'room-b', slug: 'almaty-floods-2' }));
    expect(await store().liveFiles.findByPublicSlug('almaty-floods')).toEqual(file);
    expect(await store().liveFiles.findByPublicSlug('almaty')).toBeNull();
  });

  it('[ST31] pending publications, revisions and live-file members survive reopening the store', async () => {
    const file = await store().liveFiles.create(buildLiveFile({ slug: 'durable-file', members: ['account-1'], fourEyes: true }));
    const { entry } = await store().entries.createOnce(buildEntry({ liveFileId: file.id, status: 'submitted' }));
    const bumped = await store().entries.bumpRevision(entry.id, { fromHash: undefined, toHash: 'h1', editorId: 'e1', preview: 'p', updatedAt: nextIso() });
    const published = await store().entries.transition(entry.id, bumped!, move('published', 'publish', { pending: buildPendingSteps({ publication: buildSnapshot({ revision: 2 }) }), publishedRevision: 2 }));

    await reopen();

    expect(await store().liveFiles.findByPublicSlug('durable-file')).toEqual(file);
    expect(await store().entries.findById(entry.id)).toEqual(published);
    expect(await store().entries.listPending()).toEqual([published]);
    expect(await store().entries.listByStatus('published')).toEqual([published]);
    expect(await store().entries.bumpRevision(entry.id, { fromHash: undefined, toHash: 'h2', editorId: 'e1', preview: 'p', updatedAt: nextIso() })).toBeNull();
  });
}
