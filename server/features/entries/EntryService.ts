import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { CreateEntryRequest, UpdateEntryMetaRequest } from '../../../shared/schemas/entry.js';
import type { EntryView } from '../../../shared/schemas/entry.js';
import { entryDocName, fileDocName } from '../../../shared/collab/docName.js';
import { addEntryToDesk } from '../../../shared/collab/deskDoc.js';
import { EntryStatus, canTransition } from '../../../shared/workflow.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import type { DomainEvents } from '../../events.js';
import { newId } from '../../ids.js';
import type { AccountRecord, AccountRepo } from '../../store/ports/accounts.js';
import type { EntryExpected, EntryRecord, EntryRepo } from '../../store/ports/entries.js';
import type { LiveFileRepo } from '../../store/ports/liveFiles.js';
import { assertCanSeeLiveFile, canSeeEntry, entryDocAccess } from '../access.js';
import type { EntryDocs } from './EntryDocs.js';
import { presentEntry } from './presentEntry.js';
import { ENTRY_FRAGMENT, readPlainText, writeParagraphs } from './entryText.js';

export interface EntryServiceDeps {
  entries: EntryRepo;
  liveFiles: Pick<LiveFileRepo, 'findById'>;
  accounts: Pick<AccountRepo, 'findById'>;
  events: DomainEvents;
  /** The entry and desk documents, through the port collab/ implements. */
  entryDocs: EntryDocs;
}

export function createEntryService(deps: EntryServiceDeps) {
  const { entries, liveFiles, accounts, events, entryDocs } = deps;
  /** Setups running in this process, by entry id: a concurrent repeat waits for it instead of redoing it. */
  const settingUp = new Map<string, Promise<EntryRecord>>();

  async function present(records: EntryRecord[]): Promise<EntryView[]> {
    const names = new Map<string, string>();
    for (const id of new Set(records.flatMap((e) => [e.authorId, ...e.contributorIds]))) {
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
    if (file.status !== 'live') throw conflict('This live file has ended; it takes no new entries.');
    const text = req.text ?? '';
    const requestHash = fingerprint(account.id, text, req.headline);
    const now = new Date().toISOString();
    const { entry, created } = await entries.createOnce({
      id: newId(),
      liveFileId,
      newsroomId: file.newsroomId,
      authorId: account.id,
      status: EntryStatus.Draft,
      preview: previewOf(text),
      ...(req.headline ? { headline: req.headline } : {}),
      bylines: [account.displayName],
      contributorIds: [account.id],
      idempotencyKey: req.idempotencyKey,
      requestHash,
      setupPending: true,
      createdAt: now,
      updatedAt: now,
    });
    if (!created && !samePayload(entry, requestHash, account.id, text, req.headline)) {
      throw conflict('This idempotency key was used for a different entry.');
    }
    if (!entry.setupPending) return { entry, created: false };
    const running = settingUp.get(entry.id);
    if (running) return { entry: await running, created: false };
    const setup = finishSetup(entry, text, req.headline ?? '');
    settingUp.set(entry.id, setup);
    try {
      return { entry: await setup, created: true };
    } finally {
      settingUp.delete(entry.id);
    }
  }

  /** Every step is idempotent, so a retry may redo any of them. */
  async function finishSetup(entry: EntryRecord, text: string, label: string): Promise<EntryRecord> {
    if (text) {
      // Only into an empty document: a retry after the text was stored must not write it twice.
      await entryDocs.change(entryDocName(entry.id), (doc) => {
        if (doc.getXmlFragment(ENTRY_FRAGMENT).length === 0) writeParagraphs(doc, text);
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
    if (entryDocAccess(account, await get(account, entryId)) !== 'write') throw forbidden('This entry is with the desk now; ask an editor to change it.');
    const updated = await entries.updateMeta(entryId, {
      ...(req.headline !== undefined ? { headline: req.headline ?? '' } : {}),
      ...(req.bylines ? { bylines: req.bylines } : {}),
      updatedAt: new Date().toISOString(),
    });
    if (!updated) throw notFound('Entry');
    events.emit('entry:updated', updated);
    return updated;
  }

  /**
   * The one way an entry's state changes (the workflow builds on it): compare-and-set on status
   * and version, then every open connection to its document is re-checked at once (a
   * correspondent's write connection to an entry now submitted turns read-only).
   */
  async function changeStatus(entryId: string, expected: EntryExpected, status: EntryStatus): Promise<EntryRecord> {
    if (!canTransition(expected.status, status)) throw conflict(`An entry cannot go from ${expected.status} to ${status}.`);
    const updated = await entries.transition(entryId, expected, { status, updatedAt: new Date().toISOString() });
    if (!updated) throw conflict('Someone else changed this entry first; reload it.');
    await entryDocs.reauthorize(entryDocName(entryId));
    events.emit('entry:updated', updated);
    return updated;
  }

  /**
   * On 'entry:edited' (collab, coalesced): who edited, and the text as it now durably reads, read
   * back through the port: the service never holds a live document.
   */
  async function recordEdit(entryId: string, accountIds: string[]): Promise<void> {
    const current = await entries.findById(entryId);
    if (!current) return;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await entryDocs.read(entryDocName(entryId)));
    const preview = readPlainText(doc);
    doc.destroy();
    const newcomers = accountIds.filter((id) => !current.contributorIds.includes(id));
    // Formatting, or typing past the preview's 500 characters, changes nothing the desk lists:
    // no writes, no broadcast.
    if (newcomers.length === 0 && current.preview === preview) return;
    if (newcomers.length > 0) await entries.addContributors(entryId, newcomers);
    const updated = await entries.updateMeta(entryId, { preview, updatedAt: new Date().toISOString() });
    if (updated) events.emit('entry:updated', updated);
  }

  return { list, get, create, updateMeta, changeStatus, recordEdit, present };
}
export type EntryService = ReturnType<typeof createEntryService>;

/** The preview a new entry's text will have once it is a document: same rules as edits. */
function previewOf(text: string): string {
  const doc = new Y.Doc();
  writeParagraphs(doc, text);
  return readPlainText(doc);
}

/** What a create request asked for, and by whom: a repeat under the same key must match it. */
function fingerprint(authorId: string, text: string, headline: string | undefined): string {
  return createHash('sha256').update(JSON.stringify([authorId, text, headline ?? ''])).digest('base64url');
}

function samePayload(entry: EntryRecord, requestHash: string, authorId: string, text: string, headline: string | undefined): boolean {
  if (entry.requestHash !== undefined) return entry.requestHash === requestHash;
  // Stored by an earlier build, without a fingerprint: compare what the record kept.
  return entry.authorId === authorId && entry.preview === previewOf(text) && (entry.headline ?? '') === (headline ?? '');
}
