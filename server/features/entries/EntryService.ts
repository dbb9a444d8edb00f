import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { CreateEntryRequest, ReplaceContentRequest, UpdateEntryMetaRequest } from '../../../shared/schemas/entry.js';
import type { EntryView } from '../../../shared/schemas/entry.js';
import { entryDocName, fileDocName } from '../../../shared/collab/docName.js';
import { addEntryToDesk } from '../../../shared/collab/deskDoc.js';
import { EntryStatus } from '../../../shared/workflow.js';
import { conflict, forbidden, invalidInput, notFound } from '../../errors.js';
import type { DomainEvents } from '../../events.js';
import { newId } from '../../ids.js';
import type { AccountRecord, AccountRepo } from '../../store/ports/accounts.js';
import type { EntryRecord, EntryRepo } from '../../store/ports/entries.js';
import type { LiveFileRepo } from '../../store/ports/liveFiles.js';
import { assertCanSeeLiveFile, canSeeEntry, canSeeLiveFile, entryDocAccess } from '../access.js';
import type { EntryDocs } from './EntryDocs.js';
import { presentEntry } from './presentEntry.js';
import { ENTRY_FRAGMENT, readPlainText, writeFiledContent, type FiledContent } from './entryText.js';
import type { MediaService } from '../media/MediaService.js';
import { contentHash, readEntryJson, type RenderedEntry } from '../publishing/renderEntry.js';
import { SerialQueue } from './SerialQueue.js';

export interface EntryServiceDeps {
  entries: EntryRepo;
  liveFiles: Pick<LiveFileRepo, 'findById'>;
  accounts: Pick<AccountRepo, 'findById'>;
  events: DomainEvents;
  /** The entry and desk documents, through the port collab/ implements. */
  entryDocs: EntryDocs;
  /** Photos a filing names must exist in the author's newsroom. */
  media: Pick<MediaService, 'lookup'>;
  /** The byline of an entry filed "as the desk" (DESK_BYLINE). */
  deskByline: string;
}

export function createEntryService(deps: EntryServiceDeps) {
  const { entries, liveFiles, accounts, events, entryDocs, media, deskByline } = deps;
  /** Setups running in this process, by entry id: a concurrent repeat waits for it instead of redoing it. */
  const settingUp = new Map<string, Promise<EntryRecord>>();
  /** Revision bookkeeping runs one at a time per entry, so `settle` can wait for all of it. */
  const revisions = new SerialQueue();

  async function present(records: EntryRecord[]): Promise<EntryView[]> {
    const names = new Map<string, string>();
    for (const id of new Set(records.flatMap((e) => [e.authorId, ...e.contributorIds, ...(e.lastAction ? [e.lastAction.actorId] : [])]))) {
      names.set(id, (await accounts.findById(id))?.displayName ?? 'Former colleague');
    }
    return records.map((e) => presentEntry(e, (id) => names.get(id) ?? 'Former colleague'));
  }

  async function list(account: AccountRecord, liveFileId: string): Promise<EntryRecord[]> {
    assertCanSeeLiveFile(account, await liveFiles.findById(liveFileId));
    const all = await entries.listByLiveFile(liveFileId);
    return all.filter((e) => canSeeEntry(account, e));
  }

  async function get(account: AccountRecord, entryId: string): Promise<EntryRecord> {
    const entry = await entries.findById(entryId);
    if (!entry || !canSeeEntry(account, entry)) throw notFound('Entry');
    const file = await liveFiles.findById(entry.liveFileId);
    if (!file || !canSeeLiveFile(account, file)) throw notFound('Entry');
    return entry;
  }

  /**
   * Idempotent end to end under `idempotencyKey`: the record is stored first (marked
   * setupPending), then the text and the desk row are written, then the marker is cleared and
   * 'entry:created' emitted. A repeat with the same payload finishes whatever a failed attempt
   * left undone and answers the entry; another payload under the same key is a conflict.
   * `created` is true for the call that completed the creation.
   */
  async function create(account: AccountRecord, liveFileId: string, input: unknown): Promise<{ entry: EntryRecord; created: boolean }> {
    const req = CreateEntryRequest.parse(input);
    const file = assertCanSeeLiveFile(account, await liveFiles.findById(liveFileId));
    // The desk prepares entries before coverage starts; an ended or archived file takes none.
    if (file.status !== 'live' && file.status !== 'scheduled') throw conflict(`This live file is ${file.status}; it takes no new entries.`);
    const text = req.text ?? '';
    const content: FiledContent = { text, ...(req.links ? { links: req.links } : {}), ...(req.photos ? { photos: req.photos } : {}) };
    // Text-only requests keep the fingerprint they always had; a filing's extras join it.
    const extras = req.links || req.photos || req.place || req.bylineAsDesk ? { links: req.links, photos: req.photos, place: req.place, desk: req.bylineAsDesk } : undefined;
    const requestHash = fingerprint(account.id, text, req.headline, extras);
    const now = new Date().toISOString();
    const bylines = [req.bylineAsDesk ? deskByline : account.displayName];
    await assertPhotosUsable(account, req.photos);
    const start = startingText(content);
    const { entry, created } = await entries.createOnce({
      id: newId(),
      liveFileId,
      newsroomId: file.newsroomId,
      authorId: account.id,
      status: EntryStatus.Draft,
      preview: start.preview,
      ...(req.headline ? { headline: req.headline } : {}),
      ...(req.place ? { place: req.place } : {}),
      bylines,
      revision: 1,
      revisionHash: contentHash(start, req.headline ?? '', bylines, req.place),
      contributorIds: [account.id],
      idempotencyKey: req.idempotencyKey,
      requestHash,
      setupPending: true,
      createdAt: now,
      updatedAt: now,
    });
    if (!created && !samePayload(entry, requestHash, account.id, start.preview, req.headline)) {
      throw conflict('This idempotency key was used for a different entry.');
    }
    if (!entry.setupPending) return { entry, created: false };
    const running = settingUp.get(entry.id);
    if (running) return { entry: await running, created: false };
    const setup = finishSetup(entry, content, req.headline ?? '');
    settingUp.set(entry.id, setup);
    try {
      return { entry: await setup, created: true };
    } finally {
      settingUp.delete(entry.id);
    }
  }

  /** Every step is idempotent, so a retry may redo any of them. */
  async function finishSetup(entry: EntryRecord, content: FiledContent, label: string): Promise<EntryRecord> {
    if (content.text || content.links?.length || content.photos?.length) {
      // Only into an empty document: a retry after the text was stored must not write it twice.
      await entryDocs.change(entryDocName(entry.id), (doc) => {
        if (doc.getXmlFragment(ENTRY_FRAGMENT).length === 0) writeFiledContent(doc, content);
      });
    }
    await entryDocs.change(fileDocName(entry.liveFileId), (doc) => addEntryToDesk(doc, entry.id, { label }));
    const done = (await entries.updateMeta(entry.id, { setupPending: false })) ?? { ...entry, setupPending: false };
    events.emit('entry:created', done);
    return done;
  }

  async function updateMeta(account: AccountRecord, entryId: string, input: unknown): Promise<EntryRecord> {
    const req = UpdateEntryMetaRequest.parse(input);
    // Same rule as the text: a correspondent's entry belongs to the desk once submitted.
    const entry = await get(account, entryId);
    const file = await liveFiles.findById(entry.liveFileId);
    if (!file || entryDocAccess(account, entry, file) !== 'write') throw forbidden('This entry is with the desk now; ask an editor to change it.');
    const updated = await entries.updateMeta(entryId, {
      ...(req.headline !== undefined ? { headline: req.headline ?? '' } : {}),
      ...(req.place !== undefined ? { place: req.place ?? '' } : {}),
      ...(req.bylines ? { bylines: req.bylines } : {}),
      updatedAt: new Date().toISOString(),
    });
    if (!updated) throw notFound('Entry');
    // The headline and bylines are part of the wording readers get: a new revision.
    const revised = await revisions.run(entryId, () => recordRevision(entryId, [account.id]));
    events.emit('entry:updated', revised ?? updated);
    return revised ?? updated;
  }

  /**
   * The author writes her filing again ("Edit and resubmit"): the whole document is replaced in
   * one change, with its headline and place; a new revision. Only while she may write it.
   */
  async function replaceContent(account: AccountRecord, entryId: string, input: unknown): Promise<EntryRecord> {
    const req = ReplaceContentRequest.parse(input);
    const entry = await get(account, entryId);
    const file = await liveFiles.findById(entry.liveFileId);
    if (!file || entryDocAccess(account, entry, file) !== 'write') throw conflict('This entry is with the desk now; it can be written again once it is sent back.');
    await assertPhotosUsable(account, req.photos);
    await entryDocs.change(entryDocName(entryId), (doc) => writeFiledContent(doc, req));
    await entries.updateMeta(entryId, {
      ...(req.headline !== undefined ? { headline: req.headline } : {}),
      ...(req.place !== undefined ? { place: req.place } : {}),
      ...(req.bylineAsDesk !== undefined ? { bylines: [req.bylineAsDesk ? deskByline : account.displayName] } : {}),
      updatedAt: new Date().toISOString(),
    });
    const revised = await revisions.run(entryId, () => recordRevision(entryId, [account.id]));
    const current = revised ?? (await entries.findById(entryId));
    if (!current) throw notFound('Entry');
    events.emit('entry:updated', current);
    return current;
  }

  /** A correspondent's own filings across live files, newest first, with where each lives. */
  async function filings(account: AccountRecord): Promise<Array<{ entry: EntryRecord; liveFile: { id: string; slug: string; title: string } }>> {
    const out: Array<{ entry: EntryRecord; liveFile: { id: string; slug: string; title: string } }> = [];
    const files = new Map<string, Awaited<ReturnType<typeof liveFiles.findById>>>();
    for (const entry of await entries.listByAuthor(account.id)) {
      if (!files.has(entry.liveFileId)) files.set(entry.liveFileId, await liveFiles.findById(entry.liveFileId));
      const file = files.get(entry.liveFileId);
      if (!file || !canSeeLiveFile(account, file) || entry.setupPending) continue;
      out.push({ entry, liveFile: { id: file.id, slug: file.slug, title: file.title } });
    }
    return out;
  }

  /** Photos named by a filing: uploaded in this newsroom (ids are not secrets, but must be real). */
  async function assertPhotosUsable(account: AccountRecord, photos: ReadonlyArray<{ mediaId: string }> | undefined): Promise<void> {
    if (!photos?.length) return;
    const found = await media.lookup(photos.map((p) => p.mediaId));
    const missing = photos.filter((p) => found.get(p.mediaId)?.newsroomId !== account.newsroomId);
    if (missing.length > 0) throw invalidInput(`No such photo: ${missing.map((p) => p.mediaId).join(', ')}. Upload it first (POST /api/media).`);
  }

  /** On 'entry:edited' (collab, coalesced): who edited. Queued per entry (see settle). */
  function recordEdit(entryId: string, accountIds: string[]): Promise<void> {
    return revisions.run(entryId, async () => {
      const updated = await recordRevision(entryId, accountIds);
      if (updated) events.emit('entry:updated', updated);
    });
  }

  /**
   * The wording as it now durably reads, read back through the port (the service never holds a
   * live document): contributors, the preview, and a new revision when the fingerprint moved.
   * Returns the record when something changed; formatting-only or no-op edits still bump the
   * revision when the ProseMirror content changed (bold is wording readers see).
   */
  async function recordRevision(entryId: string, accountIds: string[]): Promise<EntryRecord | null> {
    let current = await entries.findById(entryId);
    if (!current) return null;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await entryDocs.read(entryDocName(entryId)));
    const rendered = readEntryJson(doc);
    const preview = readPlainText(doc, PREVIEW_CHARS);
    doc.destroy();
    const newcomers = accountIds.filter((id) => !current!.contributorIds.includes(id));
    if (newcomers.length > 0) current = (await entries.addContributors(entryId, newcomers)) ?? current;
    for (let attempt = 0; attempt < 5; attempt++) {
      const hash = contentHash(rendered, current.headline ?? '', current.bylines, current.place);
      if (hash === current.revisionHash) {
        if (current.preview === preview && newcomers.length === 0) return null;
        return (await entries.updateMeta(entryId, { preview, updatedAt: new Date().toISOString() })) ?? current;
      }
      const bumped = await entries.bumpRevision(entryId, {
        fromHash: current.revisionHash,
        toHash: hash,
        editorId: accountIds.at(-1),
        preview,
        updatedAt: new Date().toISOString(),
      });
      if (bumped) return bumped;
      // Another process recorded a revision meanwhile: compare with what it stored.
      const again = await entries.findById(entryId);
      if (!again) return null;
      current = again;
    }
    throw new Error(`revision of entry ${entryId} kept moving`);
  }

  /**
   * Every edit accepted so far is durable and recorded as a revision: what the workflow reads next
   * is the entry's current wording with its current revision number and last editor.
   */
  async function settle(entryId: string): Promise<EntryRecord | null> {
    await entryDocs.settleEdits(entryDocName(entryId));
    await revisions.idle(entryId);
    return entries.findById(entryId);
  }

  return { list, get, create, updateMeta, replaceContent, filings, recordEdit, settle, present };
}
export type EntryService = ReturnType<typeof createEntryService>;

const PREVIEW_CHARS = 500;

/** A new entry's text as it will read once it is a document: same rules as edits. */
function startingText(content: FiledContent): { preview: string; doc: RenderedEntry['doc'] } {
  const doc = new Y.Doc();
  writeFiledContent(doc, content);
  const preview = readPlainText(doc, PREVIEW_CHARS);
  const rendered = readEntryJson(doc);
  doc.destroy();
  return { preview, doc: rendered.doc };
}

/** What a create request asked for, and by whom: a repeat under the same key must match it. */
function fingerprint(authorId: string, text: string, headline: string | undefined, extras?: object): string {
  return createHash('sha256').update(JSON.stringify(extras ? [authorId, text, headline ?? '', extras] : [authorId, text, headline ?? ''])).digest('base64url');
}

function samePayload(entry: EntryRecord, requestHash: string, authorId: string, preview: string, headline: string | undefined): boolean {
  if (entry.requestHash !== undefined) return entry.requestHash === requestHash;
  // Stored by an earlier build, without a fingerprint: compare what the record kept.
  return entry.authorId === authorId && entry.preview === preview && (entry.headline ?? '') === (headline ?? '');
}
